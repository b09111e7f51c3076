//! Bitwarden exports — JSON (plain or password-protected) and CSV — and the
//! Bitwarden Authenticator app's JSON and CSV exports, which use the same shapes.
//!
//! Why it is built this way:
//! - Only logins with a `totp` value are entries; cards, identities, notes and
//!   logins without one hold no OTP and are not reported at all.
//! - `totp` is an otpauth link (read by Jeton's own link rules), `steam://SECRET`
//!   or a bare Base32 secret (TOTP/SHA1/6/30); those two take the item's `name` as
//!   issuer and the login's user name as account, as Bitwarden shows them.
//! - A password-protected export is read as Bitwarden's clients write it (and
//!   KeePassXC and Stratum read it): the `salt` *text* salts PBKDF2-SHA256, or
//!   Argon2id over SHA-256 of that text; HKDF-Expand gives the "enc" and "mac"
//!   keys; each value is an EncString `2.iv|ct|mac` (AES-256-CBC, HMAC-SHA256 over
//!   iv‖ct). The MAC is checked before anything is decrypted, and the
//!   `encKeyValidation_DO_NOT_EDIT` value tells a wrong password from damaged data.
//! - An account-restricted export is sealed with the Bitwarden account's own key,
//!   which the file does not hold: it is refused with what to do instead.
//! - CSV has no crate here: the reader below handles what RFC 4180 allows
//!   (quoted fields holding commas, line breaks and doubled quotes). Bitwarden
//!   Authenticator writes more fields than its header names: they are ignored.

use std::collections::HashMap;
use std::iter::Peekable;
use std::str::Chars;

use serde_json::Value;
use zeroize::Zeroizing;

use super::twofas::{entry, list, text, with_extras};
use super::{base64, crypto, from_json, limits, need_password};
use super::{BackupError, ImportEntry, Importer, Input};
use crate::otp::{OtpParams, Secret};

/// The EncString type Bitwarden uses: AES-256-CBC with HMAC-SHA256, Base64.
const ENC_TYPE_AES_CBC_HMAC: &str = "2";

/// Bitwarden (and Bitwarden Authenticator) JSON export, plain or password-protected.
pub struct BitwardenJson;

impl Importer for BitwardenJson {
    fn name(&self) -> &'static str {
        "bitwarden"
    }

    fn detect(&self, input: &Input) -> bool {
        input.json.as_ref().is_some_and(|json| {
            let encrypted = json.get("encrypted").and_then(Value::as_bool);
            match json.get("items").and_then(Value::as_array) {
                Some(items) => {
                    encrypted.is_some() || items.first().is_some_and(|i| i.get("login").is_some())
                }
                None => encrypted == Some(true) && json.get("data").is_some_and(Value::is_string),
            }
        })
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let json = input.json_of("Bitwarden JSON export")?;
        if json.get("encrypted").and_then(Value::as_bool) != Some(true) {
            return vault_items(json);
        }
        if json.get("passwordProtected").and_then(Value::as_bool) != Some(true) {
            return Err(BackupError::Unsupported(
                "this is an account-restricted Bitwarden export: it is sealed with your Bitwarden \
                 account's key, which the file does not hold. In Bitwarden, re-export with a \
                 password (\"Password protected\") or unencrypted, then import that file"
                    .into(),
            ));
        }
        let plain = decrypt(json, need_password(password)?)?;
        vault_items(&from_json::<Value>(&plain)?)
    }
}

/// Bitwarden (and Bitwarden Authenticator) CSV export.
pub struct BitwardenCsv;

impl Importer for BitwardenCsv {
    fn name(&self) -> &'static str {
        "bitwarden-csv"
    }

    fn detect(&self, input: &Input) -> bool {
        input
            .text
            .and_then(|text| text.lines().next())
            .and_then(|line| next_record(&mut line.chars().peekable())?.ok())
            .is_some_and(|header| header.iter().any(|h| h.trim() == "login_totp"))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let text = input
            .text
            .ok_or_else(|| BackupError::damaged("a Bitwarden CSV export is text"))?;
        let mut chars = text.chars().peekable();
        let header = next_record(&mut chars).ok_or_else(|| BackupError::damaged("no header"))??;
        let column = |name: &str| header.iter().position(|h| h.trim() == name);
        let totp =
            column("login_totp").ok_or_else(|| BackupError::damaged("no login_totp column"))?;
        let [kind, name, username, folder, favourite] =
            ["type", "name", "login_username", "folder", "favorite"].map(column);
        let mut entries = Vec::new();
        while let Some(record) = next_record(&mut chars) {
            let record = record?;
            let field =
                |index: Option<usize>| index.and_then(|i| record.get(i)).map_or("", |f| f.trim());
            let link = field(Some(totp));
            if link.is_empty() || !matches!(field(kind), "" | "login" | "1") {
                continue; // Not a login with a code: not an entry.
            }
            limits::check_entries(entries.len() + 1)?;
            let group = Some(field(folder).to_string());
            let entry = totp_entry(link, field(name), field(username));
            entries.push(with_extras(entry, group, field(favourite) == "1"));
        }
        Ok(entries)
    }
}

/// The entries of a (decrypted) vault: its logins that hold a `totp`.
fn vault_items(vault: &Value) -> Result<Vec<ImportEntry>, BackupError> {
    let items = list(vault, "items")?;
    let folders = names(vault, "folders")?;
    let collections = names(vault, "collections")?;
    Ok(items
        .iter()
        .filter_map(|item| {
            let login = item.get("login")?;
            let link = text(login, "totp");
            if link.is_empty() {
                return None; // A login without a code: not an entry.
            }
            // Organisation items sit in collections rather than folders (KeePassXC too).
            let collection = item
                .get("collectionIds")
                .and_then(Value::as_array)
                .and_then(|ids| ids.first())
                .and_then(Value::as_str)
                .and_then(|id| collections.get(id));
            let group = folders.get(text(item, "folderId")).or(collection);
            let favourite = item.get("favorite").and_then(Value::as_bool) == Some(true);
            let entry = totp_entry(link, text(item, "name"), text(login, "username"));
            Some(with_extras(entry, group.map(|g| g.to_string()), favourite))
        })
        .collect())
}

/// The names of a vault's folders (or collections) by id.
fn names<'a>(vault: &'a Value, key: &str) -> Result<HashMap<&'a str, &'a str>, BackupError> {
    let list = vault
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    limits::check_entries(list.len())?;
    Ok(list
        .iter()
        .map(|f| (text(f, "id"), text(f, "name")))
        .collect())
}

/// One login's `totp` value: a link, `steam://SECRET` or a bare secret.
fn totp_entry(totp: &str, name: &str, username: &str) -> ImportEntry {
    let steam = totp
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("steam://"))
        .and_then(|_| totp.get(8..));
    match steam {
        Some(secret) => entry(
            name,
            username,
            Secret::from_base32(secret.trim_end_matches('/')),
            Ok(OtpParams::steam()),
        ),
        None if totp.contains("://") => ImportEntry::from_link(totp),
        None => entry(
            name,
            username,
            Secret::from_base32(totp),
            Ok(OtpParams::default()),
        ),
    }
}

/// Decrypts a password-protected export's `data` into the vault's JSON.
fn decrypt(json: &Value, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let salt = text(json, "salt");
    if salt.is_empty() {
        return Err(BackupError::damaged("no salt"));
    }
    // A count beyond u32 is certainly too costly: let the cost check say so.
    let kdf_number = |key: &str| {
        json.get(key)
            .and_then(Value::as_u64)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .ok_or_else(|| BackupError::damaged(format!("{key} is missing or not a number")))
    };
    let iterations = kdf_number("kdfIterations")?;
    let master = match json.get("kdfType").and_then(Value::as_u64) {
        Some(0) => crypto::pbkdf2_sha256(password.as_bytes(), salt.as_bytes(), iterations)?,
        Some(1) => {
            let memory_kib = kdf_number("kdfMemory")?.saturating_mul(1024);
            let lanes = kdf_number("kdfParallelism")?;
            let salt = crypto::sha256(salt.as_bytes());
            crypto::argon2id(password.as_bytes(), &salt, memory_kib, iterations, lanes)?
        }
        _ => {
            return Err(BackupError::Unsupported(
                "this Bitwarden export uses a key derivation Jeton does not know \
                 (only PBKDF2-SHA256 and Argon2id)"
                    .into(),
            ))
        }
    };
    let hkdf = hkdf::Hkdf::<sha2::Sha256>::from_prk(master.as_slice())
        .map_err(|_| BackupError::damaged("bad key length"))?;
    let expand = |info: &[u8]| -> Result<crypto::Key32, BackupError> {
        let mut key: crypto::Key32 = Zeroizing::new([0; 32]);
        hkdf.expand(info, key.as_mut_slice())
            .map_err(|_| BackupError::damaged("key expansion failed"))?;
        Ok(key)
    };
    let (enc_key, mac_key) = (expand(b"enc")?, expand(b"mac")?);

    let check = EncString::parse(text(json, "encKeyValidation_DO_NOT_EDIT"))?;
    if !check.authentic(mac_key.as_slice())? {
        return Err(BackupError::WrongPassword);
    }
    let data = EncString::parse(text(json, "data"))?;
    if !data.authentic(mac_key.as_slice())? {
        return Err(BackupError::damaged("the data fail their integrity check"));
    }
    // The key is known right (the check value's MAC matched): bad padding is damage.
    crypto::aes256_cbc_open(enc_key.as_slice(), &data.iv, &data.ciphertext).map_err(|e| match e {
        BackupError::WrongPassword => BackupError::damaged("the data do not decrypt"),
        other => other,
    })
}

/// A Bitwarden "EncString" of type 2: `2.iv|ciphertext|mac`, each Base64.
struct EncString {
    iv: Zeroizing<Vec<u8>>,
    ciphertext: Zeroizing<Vec<u8>>,
    mac: Zeroizing<Vec<u8>>,
}

impl EncString {
    fn parse(text: &str) -> Result<Self, BackupError> {
        let (kind, rest) = text
            .split_once('.')
            .ok_or_else(|| BackupError::damaged("an encrypted value lacks its type"))?;
        if kind != ENC_TYPE_AES_CBC_HMAC {
            return Err(BackupError::damaged(format!(
                "encrypted value of type {:?}; Bitwarden exports use type 2",
                kind.chars().take(4).collect::<String>()
            )));
        }
        let mut parts = rest.split('|');
        let mut next = || base64(parts.next().unwrap_or_default());
        let value = EncString {
            iv: next()?,
            ciphertext: next()?,
            mac: next()?,
        };
        if parts.next().is_some() || value.iv.len() != 16 || value.mac.len() != 32 {
            return Err(BackupError::damaged("an encrypted value is malformed"));
        }
        Ok(value)
    }

    /// True when the MAC matches (checked in constant time).
    fn authentic(&self, mac_key: &[u8]) -> Result<bool, BackupError> {
        let tag = crypto::hmac_sha256(mac_key, &[&self.iv, &self.ciphertext])?;
        Ok(crypto::ct_eq(&tag, &self.mac))
    }
}

/// The next CSV record, or `None` at the end of the text. A quote opening a field
/// runs to the matching quote (`""` inside is one quote); elsewhere, a comma ends
/// a field and a line break (LF or CRLF) the record.
fn next_record(chars: &mut Peekable<Chars>) -> Option<Result<Vec<Zeroizing<String>>, BackupError>> {
    chars.peek()?;
    let mut record = Vec::new();
    let mut field = Zeroizing::new(String::new());
    let mut quoted = false;
    loop {
        let Some(c) = chars.next() else {
            if quoted {
                return Some(Err(BackupError::damaged("a quoted CSV field never ends")));
            }
            break;
        };
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => break,
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (_, c) => field.push(c),
        }
    }
    record.push(field);
    Some(Ok(record))
}
