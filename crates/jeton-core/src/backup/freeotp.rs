//! FreeOTP+ JSON export (`tokens` and `tokenOrder`), as FreeOTP+ writes it.
//!
//! Why it is built this way:
//! - Secrets are Java `byte[]`s: signed numbers from -128 to 127, read back as
//!   raw key bytes (anything outside -128..=255 is a bad secret, not a guess).
//! - FreeOTP stores the HOTP counter one below the counter of the next code
//!   (it increments before generating), so the counter read is the stored one
//!   plus one: the otpauth meaning, the one every other format here uses.
//! - FreeOTP shows Steam codes for a TOTP token whose issuer is exactly `Steam`
//!   (it has no Steam type), so such a token is imported as Steam.
//! - Entries keep the order `tokenOrder` gives (the list the user arranged);
//!   tokens it does not name follow, in the file's order.

use serde_json::Value;
use zeroize::Zeroizing;

use super::twofas::{entry, list, number, params, text};
use super::{BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Kind, Secret, MAX_SECRET_BYTES};

/// FreeOTP+ JSON export.
pub struct FreeOtpPlus;

impl Importer for FreeOtpPlus {
    fn name(&self) -> &'static str {
        "freeotp-plus"
    }

    fn detect(&self, input: &Input) -> bool {
        input.json.as_ref().is_some_and(|json| {
            json.get("tokens")
                .and_then(Value::as_array)
                .is_some_and(|tokens| {
                    json.get("tokenOrder").is_some_and(Value::is_array)
                        || tokens
                            .first()
                            .is_some_and(|t| t.get("secret").is_some_and(Value::is_array))
                })
        })
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let json = input.json_of("FreeOTP+ export")?;
        let mut tokens: Vec<&Value> = list(json, "tokens")?.iter().collect();
        if let Some(order) = json.get("tokenOrder").and_then(Value::as_array) {
            let rank = |token: &Value| {
                let id = token_id(token);
                order
                    .iter()
                    .position(|o| o.as_str() == Some(id.as_str()))
                    .unwrap_or(order.len())
            };
            tokens.sort_by_cached_key(|t| rank(t));
        }
        Ok(tokens.into_iter().map(token).collect())
    }
}

/// The name `tokenOrder` uses for a token (FreeOTP's `Token.getID`).
fn token_id(token: &Value) -> String {
    let label = text(token, "label");
    match [text(token, "issuerInt"), text(token, "issuerExt")]
        .into_iter()
        .find(|i| !i.is_empty())
    {
        Some(issuer) => format!("{issuer}:{label}"),
        None => label.to_string(),
    }
}

/// One token: issuer = `issuerExt`, account = `label`.
fn token(token: &Value) -> ImportEntry {
    let issuer = text(token, "issuerExt");
    let account = text(token, "label");
    let kind = match text(token, "type").to_ascii_uppercase().as_str() {
        "TOTP" if issuer == "Steam" => Kind::Steam,
        "TOTP" => Kind::Totp,
        "HOTP" => Kind::Hotp,
        other => return ImportEntry::skipped(issuer, account, Error::UnknownType(other.into())),
    };
    let params = params(kind, token, ["algo", "digits", "period"]).and_then(|mut p| {
        if kind == Kind::Hotp {
            let stored = number(token, "counter").map_err(Error::InvalidCounter)?;
            p.counter = stored
                .unwrap_or(0)
                .checked_add(1)
                .ok_or_else(|| Error::InvalidCounter(u64::MAX.to_string()))?;
        }
        Ok(p)
    });
    entry(issuer, account, signed_bytes(token.get("secret")), params)
}

/// A Java `byte[]` written as a JSON list of numbers.
fn signed_bytes(value: Option<&Value>) -> crate::Result<Secret> {
    let list = value
        .and_then(Value::as_array)
        .ok_or(Error::MissingSecret)?;
    if list.is_empty() {
        return Err(Error::MissingSecret);
    }
    if list.len() > MAX_SECRET_BYTES {
        return Err(Error::TooLarge {
            size: list.len(),
            limit: MAX_SECRET_BYTES,
        });
    }
    // Filled in place (capacity fixed above), so no copy of the key is left behind.
    let mut bytes = Zeroizing::new(Vec::with_capacity(list.len()));
    for byte in list {
        match byte.as_i64().filter(|b| (-128..=255).contains(b)) {
            Some(b) => bytes.push((b & 0xff) as u8),
            None => {
                return Err(Error::InvalidSecret(
                    "a byte of the secret is not a number from -128 to 255".into(),
                ))
            }
        }
    }
    Ok(Secret::from_bytes(std::mem::take(&mut *bytes)))
}
