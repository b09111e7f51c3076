//! Proton Authenticator exports: plain JSON, or the same JSON password-protected.
//!
//! Why it is built this way (after proton-pass-common `proton-authenticator/src/entry/`):
//! - Plain: `{version: 1, entries: [{id, content: {uri, entry_type, name}, note}]}`.
//!   A TOTP entry is its otpauth link, read by Jeton's link rules; Proton's
//!   `name` only fills an account the link lacks. A Steam entry holds
//!   `steam://SECRET`: its `name` is the issuer ("Steam" when empty), as Proton
//!   shows it, and the account stays empty.
//! - Encrypted: `{version: 1, salt, content}`: Argon2id 1.3 (19 MiB, 2 passes,
//!   1 lane; fixed by the app, not by the file) over the 16-byte salt, then
//!   AES-256-GCM over `content` = nonce (12) ‖ ciphertext ‖ tag, with the AAD
//!   `proton.authenticator.export.v1`. The GCM tag tells a wrong password.
//! - Each entry is read on its own, so one unreadable entry is reported and the
//!   others still import.

use serde::Deserialize;

use super::{crypto, limits, BackupError, ImportEntry, Importer, Input};
use crate::account::Account;
use crate::otp::OtpParams;

/// Proton Authenticator export, plain or encrypted (Argon2id + AES-256-GCM).
pub struct Proton;

/// Argon2id memory (KiB), passes and lanes of Proton's password-protected export.
const ARGON2_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;
const ARGON2_LANES: u32 = 1;
/// Lengths Proton writes: salt, GCM nonce, GCM tag.
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// The associated data of the encrypted export.
const AAD: &[u8] = b"proton.authenticator.export.v1";

/// The password-protected export.
#[derive(Deserialize)]
struct EncryptedExport {
    version: u64,
    salt: String,
    content: String,
}

/// One entry's content.
#[derive(Deserialize)]
struct Content {
    uri: String,
    entry_type: String,
    #[serde(default)]
    name: Option<String>,
}

/// One entry.
#[derive(Deserialize)]
struct Entry {
    content: Content,
    #[serde(default)]
    note: Option<String>,
}

impl Importer for Proton {
    fn name(&self) -> &'static str {
        "proton-authenticator"
    }

    fn detect(&self, input: &Input) -> bool {
        let Some(json) = input.json.as_ref().filter(|j| j.get("version").is_some()) else {
            return false;
        };
        let plain = json
            .get("entries")
            .and_then(|e| e.as_array())
            .is_some_and(|e| e.first().is_none_or(|first| first.get("content").is_some()));
        let encrypted = json.get("entries").is_none()
            && json.get("salt").is_some_and(|s| s.is_string())
            && json.get("content").is_some_and(|c| c.is_string());
        plain || encrypted
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let json = input.json_of("Proton Authenticator export")?;
        if json.get("entries").is_some() {
            return entries(json);
        }
        let export: EncryptedExport = super::from_json(input.bytes)?;
        check_version(export.version)?;
        let salt = super::base64(&export.salt)?;
        if salt.len() != SALT_LEN {
            return Err(BackupError::damaged("the salt is not 16 bytes"));
        }
        let content = super::base64(&export.content)?;
        let (nonce, sealed) = content
            .split_at_checked(NONCE_LEN)
            .filter(|(_, sealed)| sealed.len() >= TAG_LEN)
            .ok_or_else(|| BackupError::damaged("the encrypted content is truncated"))?;
        let password = super::need_password(password)?;
        let key = crypto::argon2id(
            password.as_bytes(),
            &salt,
            ARGON2_KIB,
            ARGON2_PASSES,
            ARGON2_LANES,
        )?;
        let plaintext = crypto::aes256_gcm_open(key.as_slice(), nonce, sealed, AAD)?;
        let json: serde_json::Value = super::from_json(&plaintext)?;
        entries(&json)
    }
}

/// Proton's only export version is 1; a later one may mean something else.
fn check_version(version: u64) -> Result<(), BackupError> {
    if version != 1 {
        return Err(BackupError::Unsupported(format!(
            "this Proton Authenticator export has version {version}; Jeton reads version 1"
        )));
    }
    Ok(())
}

/// Reads the plain export's entries.
fn entries(json: &serde_json::Value) -> Result<Vec<ImportEntry>, BackupError> {
    let version = json
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| BackupError::damaged("no export version"))?;
    check_version(version)?;
    let list = json
        .get("entries")
        .and_then(|e| e.as_array())
        .ok_or_else(|| BackupError::damaged("no entries list"))?;
    limits::check_entries(list.len())?;
    Ok(list.iter().map(entry).collect())
}

/// One entry, or why it cannot be imported.
fn entry(value: &serde_json::Value) -> ImportEntry {
    let entry = match Entry::deserialize(value) {
        Ok(entry) => entry,
        Err(e) => {
            let name = value
                .pointer("/content/name")
                .and_then(|n| n.as_str())
                .unwrap_or("");
            return ImportEntry::skipped(name, "", BackupError::damaged(e).into());
        }
    };
    let content = entry.content;
    let name = content.name.as_deref().map(str::trim).unwrap_or("");
    let mut imported = match content.entry_type.as_str() {
        "Totp" => {
            let mut imported = ImportEntry::from_link(&content.uri);
            if imported.account.is_empty() {
                if let Ok(account) = &mut imported.outcome {
                    account.name = name.to_string();
                }
                imported.account = name.to_string();
            }
            imported
        }
        "Steam" => steam(&content.uri, name),
        other => ImportEntry::unsupported(
            name,
            "",
            format!("Proton Authenticator entry type {other:?} is not supported"),
        ),
    };
    if let (Ok(account), Some(note)) = (&mut imported.outcome, entry.note) {
        account.notes = note;
    }
    imported
}

/// A Steam entry: the link's secret, Proton's name as the issuer, no account.
fn steam(uri: &str, name: &str) -> ImportEntry {
    let issuer = if name.is_empty() { "Steam" } else { name };
    match crate::uri::parse(uri) {
        Ok(parsed) => match Account::new(issuer, "", parsed.secret, OtpParams::steam()) {
            Ok(account) => ImportEntry::ok(account),
            Err(reason) => ImportEntry::skipped(issuer, "", reason),
        },
        Err(reason) => ImportEntry::skipped(issuer, "", reason),
    }
}
