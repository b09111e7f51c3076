//! Aegis vaults (`aegis-export*.json`), read and written, plain or encrypted.
//!
//! Read as Aegis's own `VaultFile`, `SlotList` and `Vault` classes do, and
//! written as Aegis itself writes an export, so that Aegis opens what Jeton writes:
//! - The file is JSON `{version: 1, header, db}`. `db` is the vault content as an
//!   object when plain, or Base64 of its AES-256-GCM ciphertext when encrypted;
//!   the header then lists key slots, each holding the random master key wrapped
//!   under one credential. Only password slots (scrypt) can be opened away from
//!   the phone: a vault with only biometric slots is refused with what to do.
//! - A slot whose tag fails is a wrong password; once a slot has opened, the
//!   master key is known to be right, so a content that fails is a damaged file.
//! - Content versions 1–3 are read: version 3 files groups as `{uuid, name}`
//!   objects that entries point to; version 2 names one group per entry.
//! - Each entry is read on its own: one that Jeton cannot use (mOTP, Yandex, a
//!   bad secret) is skipped with its reason and the others are still imported.
//!
//! The helpers shared with the andOTP reader (parameters, extras, wiping the
//! parsed JSON) live here, as Aegis's format is the fuller of the two.

use serde::Serialize;
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use super::{crypto, limits, need_password, BackupError, ImportEntry, Importer, Input};
use crate::account::Account;
use crate::error::Error;
use crate::otp::{Algorithm, Kind, OtpParams, DIGITS_RANGE, MAX_PERIOD};

/// The vault file version Aegis writes and the newest it reads.
const FILE_VERSION: u64 = 1;
/// The newest vault content version (`db.version`) Aegis writes and reads.
const CONTENT_VERSION: u64 = 3;
/// Slot types in the header.
const SLOT_PASSWORD: u64 = 1;
const SLOT_BIOMETRIC: u64 = 2;
/// Most key slots in one header: Aegis writes one password slot, a backup
/// password slot and a few biometric ones. Each password slot costs a scrypt.
const MAX_SLOTS: usize = 16;
/// The scrypt cost Aegis writes: N = 2^15, r = 8, p = 1.
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
/// AES-GCM's tag length.
const TAG_LEN: usize = 16;

/// Aegis vault JSON, plain or encrypted with scrypt + AES-256-GCM.
pub struct Aegis;

impl Importer for Aegis {
    fn name(&self) -> &'static str {
        "aegis"
    }

    fn detect(&self, input: &Input) -> bool {
        let Some(file) = input.json.as_ref().and_then(Value::as_object) else {
            return false;
        };
        file.get("version").is_some_and(Value::is_u64)
            && file.get("header").is_some_and(Value::is_object)
            && file
                .get("db")
                .is_some_and(|db| db.is_object() || db.is_string())
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let file = input
            .json
            .as_ref()
            .and_then(Value::as_object)
            .ok_or_else(|| BackupError::damaged("not an Aegis vault (JSON object expected)"))?;
        let version = file.get("version").and_then(Value::as_u64);
        if version.is_none_or(|v| v > FILE_VERSION) {
            return Err(BackupError::Unsupported(format!(
                "this Aegis vault has file version {}; Jeton reads version {FILE_VERSION}: \
                 export it again from an up-to-date Aegis",
                version.map_or_else(|| "?".to_string(), |v| v.to_string())
            )));
        }
        match file.get("db") {
            Some(Value::Object(content)) => read_content(content),
            Some(Value::String(sealed)) => {
                let header = file
                    .get("header")
                    .and_then(Value::as_object)
                    .ok_or_else(|| BackupError::damaged("the Aegis vault has no header"))?;
                let mut content: Value =
                    serde_json::from_slice(&decrypt(header, sealed, password)?).map_err(|_| {
                        BackupError::damaged("the decrypted Aegis vault is not JSON")
                    })?;
                let entries = content
                    .as_object()
                    .ok_or_else(|| BackupError::damaged("the Aegis vault content is not an object"))
                    .and_then(read_content);
                wipe_json(&mut content);
                entries
            }
            _ => Err(BackupError::damaged("the Aegis vault has no content (db)")),
        }
    }
}

/// Opens the encrypted `db` with the master key from the first password slot
/// the password opens.
fn decrypt(
    header: &Map<String, Value>,
    sealed: &str,
    password: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| BackupError::damaged("the encrypted Aegis vault has no key slots"))?;
    if slots.len() > MAX_SLOTS {
        return Err(BackupError::CostTooHigh(format!(
            "{} key slots; the most allowed is {MAX_SLOTS}",
            slots.len()
        )));
    }
    let slot_type = |slot: &Value| slot.get("type").and_then(Value::as_u64);
    let password_slots: Vec<&Map<String, Value>> = slots
        .iter()
        .filter(|slot| slot_type(slot) == Some(SLOT_PASSWORD))
        .filter_map(Value::as_object)
        .collect();
    if password_slots.is_empty() {
        let locked_by = if slots.iter().any(|s| slot_type(s) == Some(SLOT_BIOMETRIC)) {
            "a fingerprint, which works only on the phone that made it"
        } else {
            "no password"
        };
        return Err(BackupError::Unsupported(format!(
            "this Aegis vault is locked by {locked_by}: in Aegis, set a password \
             (Settings, Security) and export again"
        )));
    }
    let password = need_password(password)?;
    let params = header
        .get("params")
        .and_then(Value::as_object)
        .ok_or_else(|| BackupError::damaged("the Aegis vault has no cipher parameters"))?;
    let master = open_slots(&password_slots, password)?;
    let mut ciphertext = super::base64(sealed)?;
    ciphertext.extend_from_slice(&hex_field(params, "tag")?);
    crypto::aes256_gcm_open(
        master.as_slice(),
        &hex_field(params, "nonce")?,
        &ciphertext,
        &[],
    )
    .map_err(|_| {
        BackupError::damaged("the vault content does not match its key (the file was altered)")
    })
}

/// The master key from the first slot the password opens. When none does, a
/// slot too costly to try wins over a wrong password, which wins over damage.
fn open_slots(
    slots: &[&Map<String, Value>],
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let (mut too_costly, mut wrong, mut damaged) = (None, None, None);
    for slot in slots {
        match open_slot(slot, password) {
            Ok(master) => return Ok(master),
            Err(e @ BackupError::WrongPassword) => wrong = Some(e),
            Err(e @ BackupError::CostTooHigh(_)) => too_costly = too_costly.or(Some(e)),
            Err(e) => damaged = damaged.or(Some(e)),
        }
    }
    Err(too_costly
        .or(wrong)
        .or(damaged)
        .unwrap_or(BackupError::WrongPassword))
}

/// Unwraps the 32-byte master key held by one password slot.
fn open_slot(slot: &Map<String, Value>, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let number = |key: &str| {
        slot.get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| BackupError::damaged(format!("a key slot has no valid {key:?}")))
    };
    let n = number("n")?;
    if n < 2 || !n.is_power_of_two() {
        return Err(BackupError::damaged(
            "a key slot's scrypt N is not a power of two",
        ));
    }
    let log_n = u8::try_from(n.trailing_zeros()).unwrap_or(u8::MAX);
    // Oversized r and p saturate, so the cost check refuses them.
    let r = u32::try_from(number("r")?).unwrap_or(u32::MAX);
    let p = u32::try_from(number("p")?).unwrap_or(u32::MAX);
    limits::check_scrypt(log_n, r, p)?;
    let key_params = slot
        .get("key_params")
        .and_then(Value::as_object)
        .ok_or_else(|| BackupError::damaged("a key slot has no key parameters"))?;
    let mut wrapped = hex_field(slot, "key")?;
    wrapped.extend_from_slice(&hex_field(key_params, "tag")?);
    let nonce = hex_field(key_params, "nonce")?;
    let derived = crypto::scrypt(password.as_bytes(), &hex_field(slot, "salt")?, log_n, r, p)?;
    let master = crypto::aes256_gcm_open(derived.as_slice(), &nonce, &wrapped, &[])?;
    if master.len() != 32 {
        return Err(BackupError::damaged("the master key is not 256 bits"));
    }
    Ok(master)
}

fn hex_field(object: &Map<String, Value>, key: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| BackupError::damaged(format!("{key:?} is missing")))
        .and_then(super::hex)
}

/// Reads the vault content (`db`): its groups, then each entry.
fn read_content(content: &Map<String, Value>) -> Result<Vec<ImportEntry>, BackupError> {
    let version = content.get("version").and_then(Value::as_u64);
    if version.is_none_or(|v| v > CONTENT_VERSION) {
        return Err(BackupError::Unsupported(format!(
            "this Aegis vault has content version {}; Jeton reads versions up to \
             {CONTENT_VERSION}: export it again from an up-to-date Aegis",
            version.map_or_else(|| "?".to_string(), |v| v.to_string())
        )));
    }
    let groups: &[Value] = match content.get("groups") {
        None | Some(Value::Null) => &[],
        Some(Value::Array(groups)) => groups,
        Some(_) => return Err(BackupError::damaged("the Aegis groups are not a list")),
    };
    limits::check_entries(groups.len())?;
    let group_name = |uuid: &str| {
        groups.iter().find_map(|group| {
            let matches = group
                .get("uuid")
                .and_then(Value::as_str)
                .is_some_and(|u| u.eq_ignore_ascii_case(uuid));
            matches
                .then(|| group.get("name").and_then(Value::as_str))
                .flatten()
        })
    };
    let entries = content
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| BackupError::damaged("the Aegis vault has no entry list"))?;
    limits::check_entries(entries.len())?;
    Ok(entries
        .iter()
        .map(|entry| read_entry(entry, &group_name))
        .collect())
}

fn read_entry<'a>(entry: &'a Value, group_name: &dyn Fn(&str) -> Option<&'a str>) -> ImportEntry {
    let issuer = text(entry, "issuer");
    let name = text(entry, "name");
    let Some(info) = entry.get("info").and_then(Value::as_object) else {
        return ImportEntry::skipped(issuer, name, damaged_entry("it has no info"));
    };
    let kind = match kind_of(entry.get("type").and_then(Value::as_str).unwrap_or("")) {
        Ok(kind) => kind,
        Err(reason) => return ImportEntry::skipped(issuer, name, reason),
    };
    // Content v3 lists group ids, and then the old per-entry name is ignored
    // (as Aegis does); ids that match no group are dropped.
    let group = match entry.get("groups") {
        Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_str).find_map(group_name),
        Some(_) => None,
        None => entry.get("group").and_then(Value::as_str),
    };
    let built = build(issuer, name, info, kind, "algo");
    with_extras(
        built,
        group,
        entry
            .get("favorite")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        text(entry, "note"),
    )
}

/// A text field; absent or null reads as empty (Aegis writes `issuer: null`).
pub(super) fn text<'a>(object: &'a Value, key: &str) -> &'a str {
    object.get(key).and_then(Value::as_str).unwrap_or("")
}

fn damaged_entry(what: &str) -> Error {
    Error::Backup(BackupError::damaged(format!(
        "this entry cannot be read: {what}"
    )))
}

/// The kind an OTP type name means (any case), or why the entry is skipped.
pub(super) fn kind_of(type_name: &str) -> crate::Result<Kind> {
    let unsupported = |what: &str| {
        Error::Backup(BackupError::UnsupportedEntry(format!(
            "{what} accounts are not supported by Jeton"
        )))
    };
    match type_name.to_ascii_lowercase().as_str() {
        "totp" => Ok(Kind::Totp),
        "hotp" => Ok(Kind::Hotp),
        "steam" => Ok(Kind::Steam),
        "motp" => Err(unsupported("mOTP")),
        "yandex" => Err(unsupported("Yandex")),
        _ => Err(Error::UnknownType(type_name.chars().take(20).collect())),
    }
}

/// Builds an entry from a JSON object holding the Base32 `secret`, the
/// algorithm (under `algo_key`), `digits`, `period` and
/// `counter`. Absent values take the usual defaults (SHA1, 6 digits, 30 s, 0);
/// Steam always has its fixed parameters.
pub(super) fn build(
    issuer: &str,
    name: &str,
    info: &Map<String, Value>,
    kind: Kind,
    algo_key: &str,
) -> ImportEntry {
    let secret = match info.get("secret").and_then(Value::as_str) {
        Some(text) => crate::otp::Secret::from_base32(text),
        None => Err(Error::MissingSecret),
    };
    match otp_params(info, kind, algo_key) {
        Ok(params) => ImportEntry::build(issuer, name, secret, params),
        Err(reason) => ImportEntry::skipped(issuer, name, reason),
    }
}

fn otp_params(info: &Map<String, Value>, kind: Kind, algo_key: &str) -> crate::Result<OtpParams> {
    if kind == Kind::Steam {
        return Ok(OtpParams::steam());
    }
    let algorithm = match info.get(algo_key) {
        None | Some(Value::Null) => Algorithm::Sha1,
        Some(Value::String(name)) => Algorithm::parse(name)?,
        Some(other) => return Err(Error::UnsupportedAlgorithm(shown(other))),
    };
    let digits = number(info, "digits", 6)
        .and_then(|d| u8::try_from(d).map_err(|_| d.to_string()))
        .map_err(|found| Error::DigitsOutOfRange {
            found,
            min: *DIGITS_RANGE.start(),
            max: *DIGITS_RANGE.end(),
        })?;
    let period = number(info, "period", 30).map_err(|found| Error::PeriodOutOfRange {
        found,
        max: MAX_PERIOD,
    })?;
    let counter = number(info, "counter", 0).map_err(Error::InvalidCounter)?;
    Ok(OtpParams {
        kind,
        algorithm,
        digits,
        period: if kind == Kind::Hotp { 30 } else { period },
        counter: if kind == Kind::Hotp { counter } else { 0 },
    })
}

/// A whole number from 0, or `default` when absent; otherwise what was found.
fn number(info: &Map<String, Value>, key: &str, default: u64) -> Result<u64, String> {
    match info.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(value) => value.as_u64().ok_or_else(|| shown(value)),
    }
}

/// A short rendering of a (non-secret) JSON value for an error message.
fn shown(value: &Value) -> String {
    value.to_string().chars().take(20).collect()
}

/// Adds the group, pin and notes to a readable entry.
pub(super) fn with_extras(
    mut entry: ImportEntry,
    group: Option<&str>,
    favourite: bool,
    notes: &str,
) -> ImportEntry {
    if let Ok(account) = entry.outcome.as_mut() {
        account.group = group
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string);
        account.favourite = favourite;
        account.notes = notes.to_string();
    }
    entry
}

/// Overwrites every string of decrypted JSON once it has been read: they hold
/// the secrets.
pub(super) fn wipe_json(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_json),
        Value::Object(map) => map.values_mut().for_each(wipe_json),
        _ => {}
    }
}

// ---- Export ----

/// Writes the accounts as a plain Aegis vault (`header: {slots: null, params:
/// null}`, `db` an object), as Aegis's "export without encryption" does.
pub fn export_plain(accounts: &[&Account]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let content = Content::new(accounts);
    to_json(&VaultFile {
        version: FILE_VERSION,
        header: Header {
            slots: None,
            params: None,
        },
        db: &content,
    })
}

/// Writes the accounts as an encrypted Aegis vault: a random master key
/// encrypts the content with AES-256-GCM and is wrapped in one password slot
/// (scrypt N = 2^15, r = 8, p = 1, random 32-byte salt), as Aegis writes it.
pub fn export_encrypted(
    accounts: &[&Account],
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if password.is_empty() {
        return Err(BackupError::WeakPassword(
            "an encrypted Aegis export needs a password".into(),
        ));
    }
    let master: crypto::Key32 = Zeroizing::new(crypto::random()?);
    let salt: [u8; 32] = crypto::random()?;
    let derived = crypto::scrypt(password.as_bytes(), &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)?;
    let key_nonce: [u8; 12] = crypto::random()?;
    let (wrapped, key_tag) = seal(derived.as_slice(), &key_nonce, master.as_slice())?;
    let content = to_json(&Content::new(accounts))?;
    let db_nonce: [u8; 12] = crypto::random()?;
    let (ciphertext, db_tag) = seal(master.as_slice(), &db_nonce, &content)?;
    let hex = |bytes: &[u8]| data_encoding::HEXLOWER.encode(bytes);
    to_json(&VaultFile {
        version: FILE_VERSION,
        header: Header {
            slots: Some(vec![Slot {
                kind: SLOT_PASSWORD,
                uuid: uuid::Uuid::new_v4().to_string(),
                key: hex(&wrapped),
                key_params: Params {
                    nonce: hex(&key_nonce),
                    tag: hex(&key_tag),
                },
                n: 1 << SCRYPT_LOG_N,
                r: SCRYPT_R,
                p: SCRYPT_P,
                salt: hex(&salt),
                repaired: true,
                is_backup: false,
            }]),
            params: Some(Params {
                nonce: hex(&db_nonce),
                tag: hex(&db_tag),
            }),
        },
        db: data_encoding::BASE64.encode(&ciphertext),
    })
}

/// AES-256-GCM, with the tag apart as Aegis stores it.
fn seal(key: &[u8], nonce: &[u8], plaintext: &[u8]) -> Result<(Vec<u8>, Vec<u8>), BackupError> {
    let mut sealed = crypto::aes256_gcm_seal(key, nonce, plaintext, &[])?;
    let tag = sealed.split_off(sealed.len().saturating_sub(TAG_LEN));
    Ok((sealed, tag))
}

/// JSON indented by four spaces as Aegis writes it, into a buffer sized first:
/// a growing buffer would leave unwiped copies of the secrets as it moves.
fn to_json<T: Serialize>(value: &T) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self.0.saturating_add(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    fn write<W: std::io::Write, T: Serialize>(out: W, value: &T) -> Result<(), BackupError> {
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        value
            .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
            .map_err(|e| BackupError::damaged(format!("the export could not be written: {e}")))
    }
    let mut count = Count(0);
    write(&mut count, value)?;
    let mut out = Zeroizing::new(Vec::with_capacity(count.0));
    write(&mut *out, value)?;
    Ok(out)
}

#[derive(Serialize)]
struct VaultFile<D> {
    version: u64,
    header: Header,
    db: D,
}

#[derive(Serialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<Params>,
}

#[derive(Serialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u64,
    uuid: String,
    key: String,
    key_params: Params,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

#[derive(Serialize)]
struct Params {
    nonce: String,
    tag: String,
}

/// The vault content (`db`), version 3.
#[derive(Serialize)]
struct Content<'a> {
    version: u64,
    entries: Vec<EntryOut<'a>>,
    groups: Vec<GroupOut<'a>>,
    icons_optimized: bool,
}

impl<'a> Content<'a> {
    fn new(accounts: &[&'a Account]) -> Self {
        let mut groups: Vec<GroupOut<'a>> = Vec::new();
        let entries = accounts
            .iter()
            .map(|account| {
                let group = account
                    .group
                    .as_deref()
                    .filter(|g| !g.is_empty())
                    .map(|name| match groups.iter().find(|g| g.name == name) {
                        Some(group) => group.uuid.clone(),
                        None => {
                            let uuid = uuid::Uuid::new_v4().to_string();
                            groups.push(GroupOut {
                                uuid: uuid.clone(),
                                name,
                            });
                            uuid
                        }
                    });
                EntryOut::new(account, group.into_iter().collect())
            })
            .collect();
        Content {
            version: CONTENT_VERSION,
            entries,
            groups,
            icons_optimized: true,
        }
    }
}

#[derive(Serialize)]
struct GroupOut<'a> {
    uuid: String,
    name: &'a str,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'a str,
    favorite: bool,
    icon: Option<()>,
    info: InfoOut,
    groups: Vec<String>,
}

impl<'a> EntryOut<'a> {
    fn new(account: &'a Account, groups: Vec<String>) -> Self {
        let params = &account.params;
        let hotp = params.kind == Kind::Hotp;
        EntryOut {
            kind: params.kind.as_str(),
            uuid: account.id.to_string(),
            name: &account.name,
            issuer: &account.issuer,
            note: &account.notes,
            favorite: account.favourite,
            icon: None,
            info: InfoOut {
                secret: WipedText(account.secret.to_base32()),
                algo: params.algorithm.as_str(),
                digits: params.digits,
                period: (!hotp).then_some(params.period),
                counter: hotp.then_some(params.counter),
            },
            groups,
        }
    }
}

#[derive(Serialize)]
struct InfoOut {
    secret: WipedText,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// A secret's text, wiped on drop, written as a JSON string.
struct WipedText(Zeroizing<String>);

impl Serialize for WipedText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}
