//! Jeton's own backup file (`.jetonbackup`), documented in docs/backup-format.md.
//!
//! Why it is built this way:
//! - It must open anywhere with only the password, years later, without Jeton:
//!   a fixed 66-byte header states everything needed (Argon2id parameters, salt,
//!   cipher, nonce), and the payload is plain JSON, so a 30-line script reads it.
//! - The header is the associated data: a changed parameter or nonce fails to
//!   open, like a wrong password, instead of yielding something else.
//! - The payload names every field of every account, trash included, so a backup
//!   restores the vault as it was, not a lossy list of links.
//! - Automatic backups derive the key once (the key, never the password, is kept
//!   in the keychain) and reuse salt and parameters with a fresh nonce each time.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::crypto::{self, Key32};
use super::{BackupError, ImportEntry, Importer, Input};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

/// The first bytes of every Jeton backup.
pub const MAGIC: &[u8; 8] = b"JETONBAK";
/// The format version this build writes and reads.
pub const VERSION: u16 = 1;
/// File name extension of Jeton backups.
pub const EXTENSION: &str = "jetonbackup";
const KDF_ARGON2ID: u16 = 1;
const CIPHER_XCHACHA20_POLY1305: u16 = 1;
/// Header length: magic 8, version 2, KDF 2, memory 4, passes 4, lanes 4, salt 16,
/// cipher 2, nonce 24.
pub const HEADER_LEN: usize = 66;
/// Argon2id memory for new backups (64 MiB: OWASP's first recommended setting).
pub const DEFAULT_MEMORY_KIB: u32 = 64 * 1024;
/// Argon2id passes for new backups.
pub const DEFAULT_PASSES: u32 = 3;
/// Argon2id lanes for new backups.
pub const DEFAULT_LANES: u32 = 1;
/// Shortest password accepted to protect a backup.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// How a password becomes the backup key: Argon2id with these parameters and salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub passes: u32,
    /// Lanes (parallelism).
    pub lanes: u32,
    /// Random salt.
    #[serde(with = "salt_base64")]
    pub salt: [u8; 16],
}

impl KdfParams {
    /// Default parameters with a fresh random salt.
    pub fn new_random() -> Result<Self, BackupError> {
        Ok(KdfParams {
            memory_kib: DEFAULT_MEMORY_KIB,
            passes: DEFAULT_PASSES,
            lanes: DEFAULT_LANES,
            salt: crypto::random()?,
        })
    }

    /// Derives the key from the password (costly: about a second).
    pub fn derive(&self, password: &str) -> Result<Key32, BackupError> {
        crypto::argon2id(
            password.as_bytes(),
            &self.salt,
            self.memory_kib,
            self.passes,
            self.lanes,
        )
    }
}

mod salt_base64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(salt: &[u8; 16], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&data_encoding::BASE64.encode(salt))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 16], D::Error> {
        let text = String::deserialize(d)?;
        data_encoding::BASE64
            .decode(text.as_bytes())
            .ok()
            .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
            .ok_or_else(|| serde::de::Error::custom("the salt is not 16 bytes of Base64"))
    }
}

/// Refuses passwords too short to protect a file that may be copied anywhere.
pub fn check_new_password(password: &str) -> Result<(), BackupError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(BackupError::WeakPassword(format!(
            "the backup password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}

/// The JSON inside a backup.
#[derive(Serialize, Deserialize)]
struct BackupContents {
    /// Always "jeton-backup".
    format: String,
    /// Payload version (1).
    version: u16,
    /// When the backup was made (Unix seconds).
    created: u64,
    /// Every account, in use and in the trash.
    accounts: Vec<BackupAccount>,
}

/// One account with every field, the secret in Base32. Only ever serialised
/// inside the encrypted payload.
#[derive(Serialize, Deserialize)]
struct BackupAccount {
    id: Uuid,
    issuer: String,
    account: String,
    #[serde(rename = "type")]
    kind: Kind,
    secret: Zeroizing<String>,
    algorithm: Algorithm,
    digits: u8,
    period: u64,
    counter: u64,
    created: u64,
    position: u32,
    group: Option<String>,
    favourite: bool,
    notes: String,
    /// Set when the account is in the trash (Unix seconds of the deletion).
    deleted_at: Option<u64>,
}

impl BackupAccount {
    fn from_account(a: &Account) -> Self {
        BackupAccount {
            id: a.id,
            issuer: a.issuer.clone(),
            account: a.name.clone(),
            kind: a.params.kind,
            secret: a.secret.to_base32(),
            algorithm: a.params.algorithm,
            digits: a.params.digits,
            period: a.params.period,
            counter: a.params.counter,
            created: a.created,
            position: a.position,
            group: a.group.clone(),
            favourite: a.favourite,
            notes: a.notes.clone(),
            deleted_at: a.deleted_at,
        }
    }

    fn into_entry(self) -> ImportEntry {
        let params = OtpParams {
            kind: self.kind,
            algorithm: self.algorithm,
            digits: self.digits,
            period: self.period,
            counter: self.counter,
        };
        let built = Secret::from_base32(&self.secret)
            .and_then(|secret| Account::new(&self.issuer, &self.account, secret, params));
        match built {
            Ok(mut account) => {
                account.id = self.id;
                account.created = self.created;
                account.position = self.position;
                account.group = self.group;
                account.favourite = self.favourite;
                account.notes = self.notes;
                account.deleted_at = self.deleted_at;
                ImportEntry::ok(account)
            }
            Err(reason) => ImportEntry::skipped(&self.issuer, &self.account, reason),
        }
    }
}

fn header(kdf: &KdfParams, nonce: &[u8; 24]) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    let fields: [&[u8]; 9] = [
        MAGIC,
        &VERSION.to_le_bytes(),
        &KDF_ARGON2ID.to_le_bytes(),
        &kdf.memory_kib.to_le_bytes(),
        &kdf.passes.to_le_bytes(),
        &kdf.lanes.to_le_bytes(),
        &kdf.salt,
        &CIPHER_XCHACHA20_POLY1305.to_le_bytes(),
        nonce,
    ];
    let mut at = 0;
    for field in fields {
        header[at..at + field.len()].copy_from_slice(field);
        at += field.len();
    }
    header
}

/// Writes a backup of `accounts` (all of them: in use and in the trash) under a key
/// derived with `kdf`.
pub fn write(accounts: &[&Account], kdf: &KdfParams, key: &Key32) -> Result<Vec<u8>, BackupError> {
    let payload = BackupContents {
        format: "jeton-backup".into(),
        version: VERSION,
        created: crate::otp::now(),
        accounts: accounts
            .iter()
            .map(|a| BackupAccount::from_account(a))
            .collect(),
    };
    let plaintext = super::export::json_exact(&payload)?;
    let nonce: [u8; 24] = crypto::random()?;
    let header = header(kdf, &nonce);
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_slice())
        .map_err(|_| BackupError::damaged("the key is not 256 bits"))?;
    let ciphertext = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &plaintext,
                aad: &header,
            },
        )
        .map_err(|_| BackupError::damaged("encryption failed"))?;
    let mut out = Vec::with_capacity(HEADER_LEN + ciphertext.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Writes a backup under a new password (fresh salt, default parameters).
pub fn write_with_password(accounts: &[&Account], password: &str) -> Result<Vec<u8>, BackupError> {
    check_new_password(password)?;
    let kdf = KdfParams::new_random()?;
    let key = kdf.derive(password)?;
    write(accounts, &kdf, &key)
}

/// Reads a backup's header: its KDF parameters, checked against the caps.
pub fn read_header(bytes: &[u8]) -> Result<KdfParams, BackupError> {
    let header = bytes
        .get(..HEADER_LEN)
        .filter(|h| h.starts_with(MAGIC))
        .ok_or_else(|| BackupError::damaged("not a Jeton backup, or cut short"))?;
    let u16_at = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
    let u32_at = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let version = u16_at(8);
    if version > VERSION {
        return Err(BackupError::TooNew(version));
    }
    if version == 0 || u16_at(10) != KDF_ARGON2ID || u16_at(40) != CIPHER_XCHACHA20_POLY1305 {
        return Err(BackupError::damaged(
            "unknown version, KDF or cipher in the header",
        ));
    }
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&header[24..40]);
    let kdf = KdfParams {
        memory_kib: u32_at(12),
        passes: u32_at(16),
        lanes: u32_at(20),
        salt,
    };
    super::limits::check_argon2(kdf.memory_kib, kdf.passes, kdf.lanes)?;
    Ok(kdf)
}

/// Decrypts a backup with an already derived key.
pub fn open_with_key(bytes: &[u8], key: &Key32) -> Result<Vec<ImportEntry>, BackupError> {
    read_header(bytes)?;
    let (header, ciphertext) = bytes.split_at(HEADER_LEN);
    let nonce =
        XNonce::try_from(&header[42..HEADER_LEN]).map_err(|_| BackupError::damaged("bad nonce"))?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_slice())
        .map_err(|_| BackupError::damaged("the key is not 256 bits"))?;
    let plaintext = Zeroizing::new(
        cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .map_err(|_| BackupError::WrongPassword)?,
    );
    let payload: BackupContents = serde_json::from_slice(&plaintext)
        .map_err(|e| BackupError::damaged(format!("the backup's contents: {e}")))?;
    if payload.format != "jeton-backup" || payload.version == 0 {
        return Err(BackupError::damaged(
            "the backup's contents are not a Jeton backup",
        ));
    }
    if payload.version > VERSION {
        return Err(BackupError::TooNew(payload.version));
    }
    super::limits::check_entries(payload.accounts.len())?;
    Ok(payload
        .accounts
        .into_iter()
        .map(BackupAccount::into_entry)
        .collect())
}

/// Decrypts a backup with its password.
pub fn open(bytes: &[u8], password: &str) -> Result<Vec<ImportEntry>, BackupError> {
    let key = read_header(bytes)?.derive(password)?;
    open_with_key(bytes, &key)
}

/// Jeton's encrypted backup file.
pub struct JetonBackup;

impl Importer for JetonBackup {
    fn name(&self) -> &'static str {
        "jeton"
    }

    fn detect(&self, input: &Input) -> bool {
        input.bytes.starts_with(MAGIC)
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        // Check the header (and its costs) before asking for the password.
        read_header(input.bytes)?;
        open(input.bytes, super::need_password(password)?)
    }
}
