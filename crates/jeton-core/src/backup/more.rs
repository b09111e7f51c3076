//! Further formats Aegis reads: Steam Desktop Authenticator's `.maFile`, FreeOTP
//! 1's `tokens.xml`, Authenticator Plus's ZIP, Authy's, Battle.net's and TOTP
//! Authenticator's Android preference files, TOTP Authenticator's backup and
//! Duo's `accounts.json`.
//!
//! Why it is built this way:
//! - Several are Android `SharedPreferences` files (`<map>` of `<string
//!   name=…>` values, most holding JSON). One small reader for that shape,
//!   [`prefs`], serves them all; it reads only `<string>` elements and the five
//!   XML entities plus numeric references, which is all Android writes.
//! - Each `detect` looks for a key only that app writes (`tokenOrder`,
//!   `com.authy.storage.tokens…`, `com.blizzard.messenger…`,
//!   `STATIC_TOTP_CODES_LIST`, `shared_secret` with `account_name`,
//!   `otpGenerator`), so no other format's file is claimed. TOTP
//!   Authenticator's backup is bare Base64 and is tried last of all.
//! - Fields are mapped as Aegis's importers map them, with the conventions of
//!   `importers-more/EXPECTED.md`: FreeOTP's stored HOTP counter is one below
//!   the next code's, so 1 is added; names are kept as written.

use serde_json::Value;
use zeroize::Zeroizing;

use super::raivo::{zip_member, zip_members};
use super::{crypto, limits, BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

// ---- Steam ----

/// Steam Desktop Authenticator `.maFile` (one account, or `accounts` of them).
pub struct Steam;

impl Steam {
    fn accounts(json: &Value) -> Option<Vec<&Value>> {
        let is_account = |v: &Value| {
            v.get("shared_secret").is_some_and(Value::is_string)
                && v.get("account_name").is_some_and(Value::is_string)
        };
        if is_account(json) {
            return Some(vec![json]);
        }
        let accounts = json.get("accounts")?.as_object()?;
        let list: Vec<&Value> = accounts.values().collect();
        (!list.is_empty() && list.iter().all(|v| is_account(v))).then_some(list)
    }
}

impl Importer for Steam {
    fn name(&self) -> &'static str {
        "steam"
    }

    fn detect(&self, input: &Input) -> bool {
        input.json.as_ref().and_then(Steam::accounts).is_some()
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let json = parsed(input)?;
        let accounts =
            Steam::accounts(&json).ok_or_else(|| BackupError::damaged("no shared_secret"))?;
        limits::check_entries(accounts.len())?;
        Ok(accounts
            .into_iter()
            .map(|a| {
                let name = str_of(a, "account_name");
                let secret = super::base64(str_of(a, "shared_secret"))
                    .map(|b| Secret::from_bytes(b.to_vec()))
                    .map_err(Error::Backup);
                ImportEntry::build("Steam", name, secret, OtpParams::steam())
            })
            .collect())
    }
}

// ---- FreeOTP 1 ----

/// FreeOTP 1's `tokens.xml` (also FreeOTP+'s internal copy): one JSON token per
/// preference, and `tokenOrder`.
pub struct FreeOtpXml;

impl Importer for FreeOtpXml {
    fn name(&self) -> &'static str {
        "freeotp-xml"
    }

    fn detect(&self, input: &Input) -> bool {
        is_prefs(input)
            && input
                .text
                .is_some_and(|t| t.contains("name=\"tokenOrder\""))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let prefs = prefs(input)?;
        let tokens: Vec<_> = prefs
            .iter()
            .filter(|(name, _)| name != "tokenOrder")
            .collect();
        limits::check_entries(tokens.len())?;
        tokens
            .into_iter()
            .map(|(_, value)| Ok(freeotp_token(&super::from_json(value.as_bytes())?)))
            .collect()
    }
}

/// One FreeOTP token: `type`, `algo`, `digits`, `period`, `counter`, `secret`
/// (signed bytes), `issuerExt`, `label`.
fn freeotp_token(token: &Value) -> ImportEntry {
    let issuer = str_of(token, "issuerExt");
    let account = str_of(token, "label");
    let params = (|| {
        let kind = match str_of(token, "type").to_ascii_uppercase().as_str() {
            "TOTP" => Kind::Totp,
            "HOTP" => Kind::Hotp,
            other => return Err(Error::UnknownType(other.to_ascii_lowercase())),
        };
        let mut params = OtpParams {
            kind,
            ..OtpParams::default()
        };
        if let Some(algo) = token.get("algo").and_then(Value::as_str) {
            params.algorithm = Algorithm::parse(algo)?;
        }
        params.digits = number(token, "digits", 6, |found| Error::DigitsOutOfRange {
            found,
            min: *crate::otp::DIGITS_RANGE.start(),
            max: *crate::otp::DIGITS_RANGE.end(),
        })?;
        params.period = number(token, "period", 30, |found| Error::PeriodOutOfRange {
            found,
            max: crate::otp::MAX_PERIOD,
        })?;
        if kind == Kind::Hotp {
            let stored: u64 = number(token, "counter", 0, Error::InvalidCounter)?;
            params.counter = stored
                .checked_add(1)
                .ok_or_else(|| Error::InvalidCounter(stored.to_string()))?;
        }
        Ok(params)
    })();
    let secret = token
        .get("secret")
        .and_then(Value::as_array)
        .map(|bytes| {
            bytes
                .iter()
                .map(|b| {
                    b.as_i64()
                        .filter(|b| (-128..=255).contains(b))
                        .map(|b| (b & 0xff) as u8)
                })
                .collect::<Option<Vec<u8>>>()
        })
        .and_then(|b| b.filter(|b| !b.is_empty()))
        .map(Secret::from_bytes)
        .ok_or(Error::InvalidSecret("not a list of bytes".into()));
    match params {
        Ok(params) => ImportEntry::build(issuer, account, secret, params),
        Err(reason) => ImportEntry::skipped(issuer, account, reason),
    }
}

// ---- Authenticator Plus ----

/// Authenticator Plus's export: a ZipCrypto ZIP holding `Accounts.txt`, one
/// otpauth link per line.
pub struct AuthenticatorPlus;

impl AuthenticatorPlus {
    fn member(bytes: &[u8]) -> Option<String> {
        zip_members(bytes)?.iter().find_map(|m| {
            let name = std::str::from_utf8(m.name).ok()?;
            (name.rsplit('/').next() == Some("Accounts.txt")).then(|| name.to_string())
        })
    }
}

impl Importer for AuthenticatorPlus {
    fn name(&self) -> &'static str {
        "authenticator-plus"
    }

    fn detect(&self, input: &Input) -> bool {
        AuthenticatorPlus::member(input.bytes).is_some()
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let name = AuthenticatorPlus::member(input.bytes)
            .ok_or_else(|| BackupError::damaged("the archive holds no Accounts.txt"))?;
        let text = zip_member(input.bytes, &name, password)?;
        let text = std::str::from_utf8(&text)
            .map_err(|_| BackupError::damaged("Accounts.txt is not UTF-8 text"))?;
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        limits::check_entries(lines.len())?;
        Ok(lines.into_iter().map(ImportEntry::from_link).collect())
    }
}

// ---- Authy ----

/// Preference keys of Authy's token lists (third-party and Authy's own tokens).
const AUTHY_KEYS: [&str; 2] = [
    "com.authy.storage.tokens.authenticator.key",
    "com.authy.storage.tokens.authy.key",
];

/// Authy's `com.authy.storage.tokens.*.xml` preferences, plain or with
/// password-encrypted secrets.
pub struct Authy;

impl Importer for Authy {
    fn name(&self) -> &'static str {
        "authy"
    }

    fn detect(&self, input: &Input) -> bool {
        is_prefs(input)
            && input.text.is_some_and(|t| {
                AUTHY_KEYS
                    .iter()
                    .any(|k| t.contains(&format!("name=\"{k}\"")))
            })
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let prefs = prefs(input)?;
        let list = prefs
            .iter()
            .find(|(name, _)| AUTHY_KEYS.contains(&name.as_str()))
            .ok_or_else(|| BackupError::damaged("no Authy token list"))?;
        let tokens: Value = super::from_json(list.1.as_bytes())?;
        let tokens = tokens
            .as_array()
            .ok_or_else(|| BackupError::damaged("the Authy token list is not a list"))?;
        limits::check_entries(tokens.len())?;
        tokens.iter().map(|t| authy_token(t, password)).collect()
    }
}

/// Authy's fixed IV and iteration count for encrypted secrets.
const AUTHY_ROUNDS: u32 = 1000;

fn authy_token(token: &Value, password: Option<&str>) -> Result<ImportEntry, BackupError> {
    let digits = number(token, "digits", 6, |found| Error::DigitsOutOfRange {
        found,
        min: *crate::otp::DIGITS_RANGE.start(),
        max: *crate::otp::DIGITS_RANGE.end(),
    });
    let name = str_of(token, "name");
    if let Some(seed) = token.get("secretSeed").and_then(Value::as_str) {
        // Authy's own tokens: a hex seed, codes every 10 s, named by `name` alone.
        let secret = super::hex(seed)
            .map(|b| Secret::from_bytes(b.to_vec()))
            .map_err(Error::Backup);
        return Ok(match digits {
            Ok(digits) => ImportEntry::build(
                name,
                "",
                secret,
                OtpParams {
                    digits,
                    period: 10,
                    ..OtpParams::default()
                },
            ),
            Err(reason) => ImportEntry::skipped(name, "", reason),
        });
    }
    let (issuer, account) = authy_names(token);
    let base32 = match token.get("decryptedSecret").and_then(Value::as_str) {
        Some(secret) => Zeroizing::new(secret.to_string()),
        None => authy_decrypt(token, password)?,
    };
    Ok(match digits {
        Ok(digits) => ImportEntry::build(
            &issuer,
            &account,
            Secret::from_base32(&base32),
            OtpParams {
                digits,
                ..OtpParams::default()
            },
        ),
        Err(reason) => ImportEntry::skipped(&issuer, &account, reason),
    })
}

/// Issuer and account of a third-party Authy token, as Aegis derives them:
/// `originalIssuer`, else the part of `originalName` before `:`, else of `name`
/// before ` - `, else the capitalised `accountType`; the account is `name`
/// without that prefix.
fn authy_names(token: &Value) -> (String, String) {
    let name = str_of(token, "name");
    let original_name = token.get("originalName").and_then(Value::as_str);
    let (issuer, separator) =
        if let Some(issuer) = token.get("originalIssuer").and_then(Value::as_str) {
            (issuer.to_string(), "")
        } else if let Some((issuer, _)) = original_name.and_then(|n| n.split_once(':')) {
            (issuer.to_string(), ":")
        } else if let Some((issuer, _)) = name.split_once(" - ") {
            (issuer.to_string(), " - ")
        } else {
            let kind = str_of(token, "accountType");
            let mut chars = kind.chars();
            let capitalised = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            (capitalised, "")
        };
    let account = name.replacen(&format!("{issuer}{separator}"), "", 1);
    let account = account.strip_prefix(": ").unwrap_or(&account).to_string();
    (issuer, account)
}

/// An encrypted Authy secret: PBKDF2-SHA1 (1,000 rounds) over the `salt` text,
/// AES-256-CBC with a zero IV, giving the Base32 text.
fn authy_decrypt(token: &Value, password: Option<&str>) -> Result<Zeroizing<String>, BackupError> {
    let encrypted = token
        .get("encryptedSecret")
        .and_then(Value::as_str)
        .ok_or_else(|| BackupError::damaged("an Authy token has no secret"))?;
    let password = super::need_password(password)?;
    let key = crypto::pbkdf2_sha1(
        password.as_bytes(),
        str_of(token, "salt").as_bytes(),
        AUTHY_ROUNDS,
    )?;
    let plain = crypto::aes256_cbc_open(key.as_slice(), &[0; 16], &super::base64(encrypted)?)?;
    String::from_utf8(plain.to_vec())
        .map(Zeroizing::new)
        .map_err(|_| BackupError::WrongPassword)
}

// ---- Battle.net ----

const BATTLE_NET_SECRET: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const BATTLE_NET_SERIAL: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";
/// The fixed XOR mask the Battle.net app stores its serial and secret under.
const BATTLE_NET_MASK: &str = "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a";

/// The Battle.net app's authenticator preferences: one masked TOTP secret.
pub struct BattleNet;

impl Importer for BattleNet {
    fn name(&self) -> &'static str {
        "battle-net"
    }

    fn detect(&self, input: &Input) -> bool {
        is_prefs(input) && input.text.is_some_and(|t| t.contains(BATTLE_NET_SECRET))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let prefs = prefs(input)?;
        let value = |key: &str| prefs.iter().find(|(name, _)| name == key).map(|(_, v)| v);
        let masked =
            value(BATTLE_NET_SECRET).ok_or_else(|| BackupError::damaged("no Battle.net secret"))?;
        let serial = match value(BATTLE_NET_SERIAL).filter(|s| !s.is_empty()) {
            Some(serial) => String::from_utf8_lossy(&unmask(serial)?).into_owned(),
            None => String::new(),
        };
        let hex = unmask(masked)?;
        let secret = std::str::from_utf8(&hex)
            .map_err(|_| BackupError::damaged("the Battle.net secret is not hex"))
            .and_then(super::hex)
            .map(|b| Secret::from_bytes(b.to_vec()))
            .map_err(Error::Backup);
        let params = OtpParams {
            digits: 8,
            ..OtpParams::default()
        };
        Ok(vec![ImportEntry::build(
            "Battle.net",
            &serial,
            secret,
            params,
        )])
    }
}

/// Hex text XOR-ed with Battle.net's mask (values longer than it are damaged).
fn unmask(text: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let data = super::hex(text)?;
    let mask = super::hex(BATTLE_NET_MASK)?;
    if data.len() > mask.len() {
        return Err(BackupError::damaged("a Battle.net value is too long"));
    }
    Ok(Zeroizing::new(
        data.iter().zip(mask.iter()).map(|(d, m)| d ^ m).collect(),
    ))
}

// ---- TOTP Authenticator ----

const TOTP_AUTH_KEY: &str = "STATIC_TOTP_CODES_LIST";
/// The password TOTP Authenticator encrypts with when the user set none.
const TOTP_AUTH_DEFAULT_PASSWORD: &str = "TotpAuthenticator";

/// TOTP Authenticator's internal preferences (`STATIC_TOTP_CODES_LIST`).
pub struct TotpAuthenticatorXml;

impl Importer for TotpAuthenticatorXml {
    fn name(&self) -> &'static str {
        "totp-authenticator-xml"
    }

    fn detect(&self, input: &Input) -> bool {
        is_prefs(input)
            && input
                .text
                .is_some_and(|t| t.contains(&format!("name=\"{TOTP_AUTH_KEY}\"")))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let prefs = prefs(input)?;
        let list = prefs
            .iter()
            .find(|(name, _)| name == TOTP_AUTH_KEY)
            .ok_or_else(|| BackupError::damaged("no TOTP Authenticator list"))?;
        totp_authenticator_list(&list.1)
    }
}

/// TOTP Authenticator's backup file: Base64 of AES-256-CBC (key SHA-256 of the
/// password, zero IV) over a JSON object whose only key is the token list.
pub struct TotpAuthenticator;

impl TotpAuthenticator {
    fn ciphertext(input: &Input) -> Option<Zeroizing<Vec<u8>>> {
        let text = input.text?.trim();
        if text.len() < 24
            || !text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n".contains(&b))
        {
            return None;
        }
        super::base64(text).ok().filter(|c| c.len() % 16 == 0)
    }

    fn open(ciphertext: &[u8], password: &str) -> Result<Vec<ImportEntry>, BackupError> {
        let key = Zeroizing::new(crypto::sha256(password.as_bytes()));
        let plain = crypto::aes256_cbc_open(key.as_slice(), &[0; 16], ciphertext)?;
        let object: Value =
            serde_json::from_slice(&plain).map_err(|_| BackupError::WrongPassword)?;
        let list = object
            .as_object()
            .and_then(|o| o.keys().next())
            .ok_or_else(|| BackupError::damaged("the backup holds no token list"))?;
        totp_authenticator_list(list)
    }
}

impl Importer for TotpAuthenticator {
    fn name(&self) -> &'static str {
        "totp-authenticator"
    }

    fn detect(&self, input: &Input) -> bool {
        TotpAuthenticator::ciphertext(input).is_some()
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let ciphertext = TotpAuthenticator::ciphertext(input)
            .ok_or_else(|| BackupError::damaged("not a TOTP Authenticator backup"))?;
        match password.filter(|p| !p.is_empty()) {
            Some(password) => TotpAuthenticator::open(&ciphertext, password),
            // Without a password, the app's own default may still open it.
            None => TotpAuthenticator::open(&ciphertext, TOTP_AUTH_DEFAULT_PASSWORD)
                .map_err(|_| BackupError::PasswordNeeded),
        }
    }
}

/// TOTP Authenticator's token list: `key` in `base` 16, 32 or 64, `issuer`,
/// `name`. Read as Aegis reads it: every token TOTP, SHA1, 6 digits, 30 s.
fn totp_authenticator_list(json: &str) -> Result<Vec<ImportEntry>, BackupError> {
    let tokens: Value = super::from_json(json.as_bytes())?;
    let tokens = tokens
        .as_array()
        .ok_or_else(|| BackupError::damaged("the token list is not a list"))?;
    limits::check_entries(tokens.len())?;
    Ok(tokens
        .iter()
        .map(|t| {
            let key = Zeroizing::new(str_of(t, "key").to_string());
            let secret = match t.get("base").and_then(Value::as_u64) {
                Some(16) => super::hex(&key)
                    .map(|b| Secret::from_bytes(b.to_vec()))
                    .map_err(Error::Backup),
                Some(32) => Secret::from_base32(&key),
                Some(64) => super::base64(&key)
                    .map(|b| Secret::from_bytes(b.to_vec()))
                    .map_err(Error::Backup),
                other => Err(Error::Backup(BackupError::UnsupportedEntry(format!(
                    "unsupported secret encoding (base {})",
                    other.map_or("?".to_string(), |b| b.to_string())
                )))),
            };
            ImportEntry::build(
                str_of(t, "issuer"),
                str_of(t, "name"),
                secret,
                OtpParams::default(),
            )
        })
        .collect())
}

// ---- Duo ----

/// Duo Mobile's `accounts.json`: `name` and `otpGenerator` (`otpSecret`, and
/// `counter` for HOTP).
pub struct Duo;

impl Importer for Duo {
    fn name(&self) -> &'static str {
        "duo"
    }

    fn detect(&self, input: &Input) -> bool {
        input
            .json
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|list| {
                !list.is_empty()
                    && list.iter().all(|a| {
                        a.get("otpGenerator")
                            .and_then(|g| g.get("otpSecret"))
                            .is_some()
                    })
            })
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let json = parsed(input)?;
        let list = json
            .as_array()
            .ok_or_else(|| BackupError::damaged("not a list"))?;
        limits::check_entries(list.len())?;
        Ok(list
            .iter()
            .map(|a| {
                let name = str_of(a, "name");
                let generator = a.get("otpGenerator").unwrap_or(&Value::Null);
                let secret = Zeroizing::new(str_of(generator, "otpSecret").to_string());
                let params = match generator.get("counter") {
                    None | Some(Value::Null) => Ok(OtpParams::default()),
                    Some(_) => {
                        number(generator, "counter", 0, Error::InvalidCounter).map(|counter| {
                            OtpParams {
                                kind: Kind::Hotp,
                                counter,
                                ..OtpParams::default()
                            }
                        })
                    }
                };
                match params {
                    Ok(params) => {
                        ImportEntry::build("", name, Secret::from_base32(&secret), params)
                    }
                    Err(reason) => ImportEntry::skipped("", name, reason),
                }
            })
            .collect())
    }
}

// ---- shared helpers ----

/// The parsed JSON, or why the file is not JSON.
fn parsed(input: &Input) -> Result<Value, BackupError> {
    match &input.json {
        Some(json) => Ok(json.clone()),
        None => super::from_json(input.bytes),
    }
}

/// A string field, or "" when absent or not a string.
fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A whole-number field (a JSON number or a numeric string), `default` when
/// absent; `bad` names what was found otherwise.
fn number<T: TryFrom<u64>>(
    value: &Value,
    key: &str,
    default: T,
    bad: impl FnOnce(String) -> Error,
) -> Result<T, Error> {
    let found = match value.get(key) {
        None | Some(Value::Null) => return Ok(default),
        Some(found) => found,
    };
    let parsed = match found {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    parsed
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| bad(found.to_string()))
}

/// True when the text looks like an Android preferences file (`<map>`).
fn is_prefs(input: &Input) -> bool {
    input.text.is_some_and(|t| {
        let t = t.trim_start();
        (t.starts_with("<?xml") || t.starts_with("<map")) && t.contains("<map")
    })
}

/// The `<string name="…">value</string>` preferences of an Android
/// `SharedPreferences` file, in order, with XML entities decoded.
fn prefs(input: &Input) -> Result<Vec<(String, Zeroizing<String>)>, BackupError> {
    let bad = || BackupError::damaged("the preferences file is malformed");
    let text = input.text.ok_or_else(bad)?;
    let body = text
        .find("<map")
        .and_then(|at| text.get(at..))
        .ok_or_else(bad)?;
    let mut prefs = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("<string") {
        let tag = rest.get(at..).ok_or_else(bad)?;
        let end = tag.find('>').ok_or_else(bad)?;
        let head = tag.get(..end).ok_or_else(bad)?;
        let name = head
            .split_once("name=\"")
            .and_then(|(_, n)| n.split_once('"'))
            .map(|(n, _)| unescape(n))
            .ok_or_else(bad)?;
        let after = tag.get(end + 1..).ok_or_else(bad)?;
        if head.ends_with('/') {
            prefs.push((name.to_string(), Zeroizing::new(String::new())));
            rest = after;
            continue;
        }
        let close = after.find("</string>").ok_or_else(bad)?;
        let value = after.get(..close).ok_or_else(bad)?;
        prefs.push((name.to_string(), unescape(value)));
        rest = after.get(close + "</string>".len()..).ok_or_else(bad)?;
    }
    Ok(prefs)
}

/// Decodes `&quot; &amp; &lt; &gt; &apos;` and `&#…;` references; anything else
/// is kept as written.
fn unescape(text: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let entity = rest.get(at..).unwrap_or("");
        let decoded = entity.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = entity.get(1..end)?;
            let c = match name {
                "quot" => '"',
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "apos" => '\'',
                _ => {
                    let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => name.strip_prefix('#')?.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = entity.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = entity.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}
