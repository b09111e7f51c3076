//! andOTP backups: the plain JSON list, and the two encrypted binary formats.
//!
//! Read as andOTP wrote them and as Aegis's `AndOtpImporter` reads them:
//! - Plain: a JSON array of `{secret, issuer, label, type, algorithm, digits,
//!   period | counter, tags}`. Old andOTP versions had no `issuer` and wrote the
//!   label as "Issuer - Name": it is split at its first " - " then, and kept as it
//!   is otherwise. The first tag becomes the group. mOTP entries are skipped.
//! - Encrypted ("new" format): `[u32 BE iterations][12 salt][12 nonce][ct‖tag]`,
//!   PBKDF2-HMAC-SHA1 into an AES-256-GCM key. The old format is
//!   `[12 nonce][ct‖tag]` under SHA-256(password).
//! - Neither encrypted format has a magic number, so the importer is the last
//!   one tried and claims only binary content. Reading tries the new format when
//!   its iteration count is one Jeton allows, and the old one when that fails to
//!   authenticate (an old file's nonce makes a random count). When both fail, a
//!   count above the cap (yet within andOTP-like bounds) is reported as a cost too
//!   high, otherwise the password is wrong: GCM cannot tell a damaged file apart.

use serde_json::Value;
use zeroize::Zeroizing;

use super::aegis::{build, kind_of, text, wipe_json, with_extras};
use super::{crypto, limits, need_password, BackupError, ImportEntry, Importer, Input};

const ITERATIONS_LEN: usize = 4;
const SALT_LEN: usize = 12;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// The shortest file either encrypted format can be (old: nonce and tag).
const MIN_ENCRYPTED_LEN: usize = NONCE_LEN + TAG_LEN;
/// Above this an iteration count cannot be andOTP's (Aegis's own bound; andOTP
/// picks 140,000–160,000): a failing file with a count between the cap and this
/// is taken for a new-format file asking too much.
const ANDOTP_MAX_ITERATIONS: u32 = 10_000_000;
/// Well-known file signatures that are never andOTP backups, so that such a file
/// is reported as unknown rather than as needing a password.
const OTHER_MAGIC: &[&[u8]] = &[
    b"SQLite format 3\0",
    b"\xac\xed\x00\x05",
    b"PK\x03\x04",
    b"\x03\xd9\xa2\x9a",
    b"\x1f\x8b",
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
];

/// andOTP's plain JSON backup.
pub struct AndOtpPlain;

impl Importer for AndOtpPlain {
    fn name(&self) -> &'static str {
        "andotp"
    }

    fn detect(&self, input: &Input) -> bool {
        input
            .json
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|entries| entries.iter().all(is_entry))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let entries = input
            .json
            .as_ref()
            .ok_or_else(|| BackupError::damaged("not an andOTP backup (a JSON list expected)"))?;
        read_entries(entries)
    }
}

/// andOTP's encrypted backup, new (PBKDF2) or old (SHA-256) format.
pub struct AndOtpEncrypted;

impl Importer for AndOtpEncrypted {
    fn name(&self) -> &'static str {
        "andotp-encrypted"
    }

    fn detect(&self, input: &Input) -> bool {
        input.text.is_none()
            && input.bytes.len() >= MIN_ENCRYPTED_LEN
            && !OTHER_MAGIC
                .iter()
                .any(|magic| input.bytes.starts_with(magic))
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let password = need_password(password)?;
        let plaintext = decrypt(input.bytes, password)?;
        let mut entries: Value = serde_json::from_slice(&plaintext)
            .map_err(|_| BackupError::damaged("the decrypted andOTP backup is not JSON"))?;
        let read = read_entries(&entries);
        wipe_json(&mut entries);
        read
    }
}

fn is_entry(entry: &Value) -> bool {
    entry
        .as_object()
        .is_some_and(|e| e.contains_key("secret") && e.contains_key("type"))
}

/// The plaintext of either encrypted format.
fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let (head, _) = bytes
        .split_first_chunk::<ITERATIONS_LEN>()
        .filter(|_| bytes.len() >= MIN_ENCRYPTED_LEN)
        .ok_or_else(|| BackupError::damaged("too short to be an andOTP backup"))?;
    let iterations = u32::from_be_bytes(*head);
    if (1..=limits::MAX_PBKDF2_ROUNDS).contains(&iterations) {
        match decrypt_new(bytes, password, iterations) {
            Err(BackupError::WrongPassword) => {}
            done => return done,
        }
    }
    let key = Zeroizing::new(crypto::sha256(password.as_bytes()));
    match open(key.as_slice(), bytes) {
        Err(BackupError::WrongPassword)
            if iterations > limits::MAX_PBKDF2_ROUNDS && iterations <= ANDOTP_MAX_ITERATIONS =>
        {
            limits::check_pbkdf2(iterations).and(Err(BackupError::WrongPassword))
        }
        done => done,
    }
}

fn decrypt_new(
    bytes: &[u8],
    password: &str,
    iterations: u32,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let salt = bytes
        .get(ITERATIONS_LEN..ITERATIONS_LEN + SALT_LEN)
        .ok_or(BackupError::WrongPassword)?;
    let sealed = bytes
        .get(ITERATIONS_LEN + SALT_LEN..)
        .filter(|rest| rest.len() >= NONCE_LEN + TAG_LEN)
        .ok_or(BackupError::WrongPassword)?;
    let key = crypto::pbkdf2_sha1(password.as_bytes(), salt, iterations)?;
    open(key.as_slice(), sealed)
}

/// AES-256-GCM over `[12 nonce][ct‖tag]`.
fn open(key: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let (nonce, ciphertext) = sealed
        .split_at_checked(NONCE_LEN)
        .ok_or_else(|| BackupError::damaged("too short to be an andOTP backup"))?;
    crypto::aes256_gcm_open(key, nonce, ciphertext, &[])
}

fn read_entries(entries: &Value) -> Result<Vec<ImportEntry>, BackupError> {
    let entries = entries
        .as_array()
        .ok_or_else(|| BackupError::damaged("an andOTP backup is a JSON list"))?;
    limits::check_entries(entries.len())?;
    Ok(entries.iter().map(read_entry).collect())
}

fn read_entry(entry: &Value) -> ImportEntry {
    let label = text(entry, "label");
    let (issuer, name) = match entry.get("issuer").and_then(Value::as_str) {
        Some(issuer) => (issuer, label),
        None => label.split_once(" - ").unwrap_or(("", label)),
    };
    let Some(fields) = entry.as_object() else {
        return ImportEntry::skipped(
            "",
            "",
            crate::Error::Backup(BackupError::damaged("an andOTP entry is not an object")),
        );
    };
    let kind = match kind_of(text(entry, "type")) {
        Ok(kind) => kind,
        Err(reason) => return ImportEntry::skipped(issuer, name, reason),
    };
    let group = entry
        .get("tags")
        .and_then(Value::as_array)
        .and_then(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .find(|t| !t.trim().is_empty())
        });
    with_extras(
        build(issuer, name, fields, kind, "algorithm"),
        group,
        false,
        "",
    )
}
