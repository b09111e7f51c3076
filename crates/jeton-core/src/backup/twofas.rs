//! 2FAS backups (`.2fas`, schema 1–4), plain or encrypted, read as the 2FAS apps
//! (Android `BackupContent`, iOS `ExchangeData2`) write them.
//!
//! Why it is built this way:
//! - A backup is a JSON object whose `services` list the accounts, or whose
//!   `servicesEncrypted` holds that list as `b64(ciphertext‖tag):b64(salt):b64(iv)`
//!   (PBKDF2-HMAC-SHA256 × 10,000 → AES-256-GCM). `reference` is a fixed text
//!   sealed with the same key: when it opens, the password is right, so a
//!   services blob that then fails its tag is a damaged file, not a wrong password.
//! - Every field but `secret` is optional across the schemas: schema 1 has no
//!   parameters (TOTP/SHA1/6/30), schema 2 no `tokenType` (TOTP), so absent
//!   values take those defaults, and `otp.link` is never consulted (iOS hides the
//!   secret in it). Groups live beside the services, in clear, in every schema.
//! - The small JSON field readers and the parameter builder at the end are
//!   shared with the other loose-JSON formats (FreeOTP+, LastPass): one reading
//!   of "absent means default, malformed skips the entry" for all of them.

use std::collections::HashMap;

use serde_json::Value;
use zeroize::Zeroizing;

use super::{base64, crypto, from_json, limits, need_password};
use super::{BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Algorithm, Kind, OtpParams, Secret, DIGITS_RANGE, MAX_PERIOD};

/// 2FAS's fixed key derivation.
const PBKDF2_ROUNDS: u32 = 10_000;
/// The newest schema 2FAS writes (and the newest its apps read).
const NEWEST_SCHEMA: u64 = 4;

/// 2FAS backups (.2fas, schema 1–4), plain or encrypted.
pub struct TwoFas;

impl Importer for TwoFas {
    fn name(&self) -> &'static str {
        "2fas"
    }

    fn detect(&self, input: &Input) -> bool {
        input.json.as_ref().is_some_and(|json| {
            json.get("schemaVersion").is_some_and(Value::is_u64)
                && (json.get("services").is_some_and(Value::is_array)
                    || json.get("servicesEncrypted").is_some_and(Value::is_string))
        })
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let json = input.json_of("2FAS backup")?;
        let schema = json.get("schemaVersion").and_then(Value::as_u64);
        if let Some(schema) = schema.filter(|v| *v > NEWEST_SCHEMA) {
            return Err(BackupError::Unsupported(format!(
                "this 2FAS backup uses schema {schema}, newer than the ones Jeton reads \
                 (1–{NEWEST_SCHEMA}); update Jeton"
            )));
        }
        let groups = group_names(json)?;
        let sealed = text(json, "servicesEncrypted");
        let decrypted;
        let services = if sealed.is_empty() {
            list(json, "services")?
        } else {
            let plain = decrypt(sealed, text(json, "reference"), need_password(password)?)?;
            decrypted = from_json::<Value>(&plain)?;
            decrypted
                .as_array()
                .ok_or_else(|| BackupError::damaged("the decrypted services are not a list"))?
        };
        limits::check_entries(services.len())?;
        Ok(services.iter().map(|s| service(s, &groups)).collect())
    }
}

/// Opens `servicesEncrypted`, telling a wrong password (the `reference` does not
/// open either) from a damaged services blob (the reference opens, they do not).
fn decrypt(
    services: &str,
    reference: &str,
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let mut last_key: Option<(Zeroizing<Vec<u8>>, crypto::Key32)> = None;
    let mut open = |blob: &str| -> Result<Zeroizing<Vec<u8>>, BackupError> {
        let mut parts = blob.split(':').map(str::trim);
        let mut next = || base64(parts.next().unwrap_or_default());
        let (sealed, salt, iv) = (next()?, next()?, next()?);
        if sealed.is_empty() || salt.is_empty() {
            return Err(BackupError::damaged("an encrypted part is empty"));
        }
        // Both parts share one salt in the files 2FAS writes: derive the key once.
        let key = match last_key.take() {
            Some((s, key)) if s.as_slice() == salt.as_slice() => key,
            _ => crypto::pbkdf2_sha256(password.as_bytes(), &salt, PBKDF2_ROUNDS)?,
        };
        let opened = crypto::aes256_gcm_open(key.as_slice(), &iv, &sealed, b"");
        last_key = Some((salt, key));
        opened
    };
    if !reference.is_empty() {
        open(reference)?;
        return open(services).map_err(|e| match e {
            BackupError::WrongPassword => {
                BackupError::damaged("the services fail their integrity check")
            }
            other => other,
        });
    }
    open(services)
}

/// The backup's group names by id.
fn group_names(json: &Value) -> Result<HashMap<&str, &str>, BackupError> {
    let groups = match json.get("groups").and_then(Value::as_array) {
        Some(groups) => groups,
        None => return Ok(HashMap::new()),
    };
    limits::check_entries(groups.len())?;
    Ok(groups
        .iter()
        .map(|g| (text(g, "id"), text(g, "name")))
        .filter(|(id, name)| !id.is_empty() && !name.is_empty())
        .collect())
}

/// One service: issuer = its `name` (else `otp.issuer`), account = `otp.account`.
fn service(service: &Value, groups: &HashMap<&str, &str>) -> ImportEntry {
    let otp = service.get("otp").unwrap_or(&Value::Null);
    let issuer = match text(service, "name") {
        "" => text(otp, "issuer"),
        name => name,
    };
    let account = text(otp, "account");
    let kind = match text(otp, "tokenType").to_ascii_uppercase().as_str() {
        "" | "TOTP" => Kind::Totp,
        "HOTP" => Kind::Hotp,
        "STEAM" => Kind::Steam,
        other => return ImportEntry::skipped(issuer, account, Error::UnknownType(other.into())),
    };
    let params = params(kind, otp, ["algorithm", "digits", "period"]).and_then(|mut p| {
        p.counter = number(otp, "counter")
            .map_err(Error::InvalidCounter)?
            .unwrap_or(0);
        Ok(p)
    });
    let group = groups.get(text(service, "groupId")).map(|g| g.to_string());
    with_extras(
        entry(issuer, account, secret(service, "secret"), params),
        group,
        false,
    )
}

/// The list under `key`, its length checked against the entry cap.
pub(super) fn list<'a>(json: &'a Value, key: &str) -> Result<&'a [Value], BackupError> {
    let list = json
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| BackupError::damaged(format!("no {key:?} list")))?;
    limits::check_entries(list.len())?;
    Ok(list)
}

/// The text under `key`, trimmed: empty when absent, null or not text.
pub(super) fn text<'a>(json: &'a Value, key: &str) -> &'a str {
    json.get(key).and_then(Value::as_str).map_or("", str::trim)
}

/// The Base32 secret under `key` (a missing one is [`Error::MissingSecret`]).
pub(super) fn secret(json: &Value, key: &str) -> crate::Result<Secret> {
    Secret::from_base32(json.get(key).and_then(Value::as_str).unwrap_or_default())
}

/// A whole number under `key` (a JSON number, or digits in a string): `None`
/// when absent or null, `Err` with (a short form of) what was found otherwise.
pub(super) fn number(json: &Value, key: &str) -> Result<Option<u64>, String> {
    match json.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(value) => value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
            .map(Some)
            .ok_or_else(|| value.to_string().chars().take(24).collect()),
    }
}

/// OTP parameters from an entry's loose fields, named `[algorithm, digits,
/// period]`: absent ones take the usual defaults (SHA1, 6, 30 s); an unknown
/// algorithm or a value out of range is the entry's reason to be skipped.
/// Steam's parameters are fixed, whatever the fields say. The counter is the
/// caller's to set.
pub(super) fn params(kind: Kind, json: &Value, keys: [&str; 3]) -> crate::Result<OtpParams> {
    if kind == Kind::Steam {
        return Ok(OtpParams::steam());
    }
    let [algorithm, digits, period] = keys;
    let mut params = OtpParams {
        kind,
        ..OtpParams::default()
    };
    let algorithm = text(json, algorithm);
    if !algorithm.is_empty() {
        params.algorithm = Algorithm::parse(algorithm)?;
    }
    let digits_error = |found: String| Error::DigitsOutOfRange {
        found,
        min: *DIGITS_RANGE.start(),
        max: *DIGITS_RANGE.end(),
    };
    if let Some(found) = number(json, digits).map_err(digits_error)? {
        params.digits = u8::try_from(found).map_err(|_| digits_error(found.to_string()))?;
    }
    if kind != Kind::Hotp {
        let period_error = |found| Error::PeriodOutOfRange {
            found,
            max: MAX_PERIOD,
        };
        if let Some(found) = number(json, period).map_err(period_error)? {
            params.period = found;
        }
    }
    Ok(params)
}

/// The entry from its parts: a bad secret or bad parameters skip it, named.
pub(super) fn entry(
    issuer: &str,
    account: &str,
    secret: crate::Result<Secret>,
    params: crate::Result<OtpParams>,
) -> ImportEntry {
    match params {
        Ok(params) => ImportEntry::build(issuer, account, secret, params),
        Err(reason) => ImportEntry::skipped(issuer, account, reason),
    }
}

/// Sets the group and favourite mark of a readable entry.
pub(super) fn with_extras(
    mut entry: ImportEntry,
    group: Option<String>,
    favourite: bool,
) -> ImportEntry {
    if let Ok(account) = &mut entry.outcome {
        account.group = group.filter(|g| !g.trim().is_empty());
        account.favourite = favourite;
    }
    entry
}
