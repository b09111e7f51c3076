//! The vault: every account, encrypted in one file under a key from the OS keychain.
//!
//! Why it is built this way:
//! - One file, `vault.jeton`: a 52-byte header (magic, format version, cipher id,
//!   vault id, nonce) then XChaCha20-Poly1305 ciphertext of the accounts, encoded
//!   with postcard (compact and fast: a 10,000-account vault opens in a few ms).
//!   The whole header is the associated data, so a tampered header fails to open.
//! - The vault id in the header names the keychain entry, so several vaults (tests,
//!   `JETON_DATA_DIR`) never share or overwrite each other's key.
//! - Nothing is ever lost: each write goes to a temporary file that is fsynced, then
//!   renamed over the vault, then the directory is fsynced. Writers hold an exclusive
//!   lock on `vault.lock`, so the app and the CLI can run together; each writer
//!   re-reads a vault another process changed before applying its change.
//! - A key is created only when no vault file exists. A vault whose key is missing,
//!   locked or refused, or that fails to decrypt or parse, is reported and never
//!   written to.
//! - Deletion moves an account to the trash; only purge removes it.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::account::{Account, AccountSummary, CodeView};
use crate::backup::auto::BackupRecord;
use crate::error::{Error, Result};
use crate::keychain::{KeyStore, SystemKeychain, VaultKey};
use crate::otp::Kind;

/// File name of the vault inside the data directory.
pub const VAULT_FILE: &str = "vault.jeton";
const LOCK_FILE: &str = "vault.lock";
/// The vault as it was before the last write (KeePassXC-style), kept beside it.
pub const PREVIOUS_FILE: &str = "vault.jeton.prev";
const MAGIC: &[u8; 8] = b"JETONVLT";
/// Format version this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;
const CIPHER_XCHACHA20_POLY1305: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 2 + 16 + 24;
/// Largest vault file accepted (about 100,000 accounts).
const MAX_VAULT_BYTES: u64 = 64 * 1024 * 1024;

/// What is encrypted: the accounts, in use and in the trash.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    accounts: Vec<Account>,
}

impl Contents {
    /// The place after the last account, in use or in the trash.
    fn next_position(&self) -> u32 {
        self.accounts
            .iter()
            .map(|a| a.position + 1)
            .max()
            .unwrap_or(0)
    }
}

/// Identity of the vault file as last read, to notice another process's write.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

impl FileStamp {
    fn of(metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            inode: metadata.ino(),
        }
    }
}

/// An open vault. Reads see the latest state on disk; writes are atomic.
pub struct Vault {
    dir: PathBuf,
    keystore: Arc<dyn KeyStore>,
    /// Vault id and key, once a vault file exists.
    key: Option<(Uuid, VaultKey)>,
    contents: Contents,
    stamp: Option<FileStamp>,
    /// Outcome of the automatic backup after the last change, until taken.
    backup_outcome: Option<Result<Option<BackupRecord>>>,
}

/// What [`Vault::add_new`] did.
#[derive(Debug, Default)]
pub struct AddReport {
    /// The accounts added, in order.
    pub added: Vec<AccountSummary>,
    /// Accounts not added because Jeton already has them: (the account given, the
    /// id of the one already there).
    pub duplicates: Vec<(Account, Uuid)>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("accounts", &self.contents.accounts.len())
            .finish_non_exhaustive()
    }
}

/// The data directory: `JETON_DATA_DIR`, else the OS's per-user data directory.
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("JETON_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "Jeton")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(Error::NoDataDir)
}

impl Vault {
    /// Opens the vault in the default data directory with the OS keychain.
    pub fn open_default() -> Result<Self> {
        Self::open(&default_data_dir()?, Arc::new(SystemKeychain))
    }

    /// Opens the vault in `dir`. A directory without a vault opens empty; the vault
    /// file and its key are created on the first change.
    pub fn open(dir: &Path, keystore: Arc<dyn KeyStore>) -> Result<Self> {
        let mut vault = Vault {
            dir: dir.to_path_buf(),
            keystore,
            key: None,
            contents: Contents::default(),
            stamp: None,
            backup_outcome: None,
        };
        vault.refresh()?;
        Ok(vault)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key store this vault's key (and its backup key) live in.
    pub fn keystore(&self) -> &dyn KeyStore {
        self.keystore.as_ref()
    }

    /// Path of the vault file.
    pub fn path(&self) -> PathBuf {
        self.dir.join(VAULT_FILE)
    }

    /// The vault's id (names its keychain entry), once the file exists.
    pub fn id(&self) -> Option<Uuid> {
        self.key.as_ref().map(|(id, _)| *id)
    }

    /// Re-reads the file if another process changed it since it was last read.
    pub fn refresh(&mut self) -> Result<()> {
        let path = self.path();
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.contents = Contents::default();
                self.stamp = None;
                return Ok(());
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        if self.stamp.as_ref() == Some(&FileStamp::of(&metadata)) {
            return Ok(());
        }
        if metadata.len() > MAX_VAULT_BYTES {
            return Err(Error::VaultCorrupt(path.display().to_string()));
        }
        let bytes = fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        let vault_id = parse_header(&bytes).map_err(|e| self.corrupt_or(e))?;
        if self.id() != Some(vault_id) {
            let key =
                self.keystore
                    .load(&vault_id.to_string())?
                    .ok_or_else(|| Error::KeyMissing {
                        vault: path.display().to_string(),
                        entry: self.keystore.entry_name(&vault_id.to_string()),
                    })?;
            self.key = Some((vault_id, key));
        }
        let key = &self.key.as_ref().ok_or(Error::KeyCorrupt)?.1;
        self.contents = decrypt(&bytes, key).map_err(|e| self.corrupt_or(e))?;
        self.stamp = Some(FileStamp::of(&metadata));
        Ok(())
    }

    fn corrupt_or(&self, error: Error) -> Error {
        match error {
            Error::VaultTooNew(_) => error,
            _ => Error::VaultCorrupt(self.path().display().to_string()),
        }
    }

    /// Accounts in use, in the user's order.
    pub fn accounts(&self) -> Vec<&Account> {
        let mut accounts: Vec<&Account> = self
            .contents
            .accounts
            .iter()
            .filter(|a| a.deleted_at.is_none())
            .collect();
        accounts.sort_by_key(|a| (a.position, a.created));
        accounts
    }

    /// Every account, in use and in the trash (what a Jeton backup holds).
    pub fn all_accounts(&self) -> Vec<&Account> {
        let mut all: Vec<&Account> = self.contents.accounts.iter().collect();
        all.sort_by_key(|a| (a.position, a.created));
        all
    }

    /// The automatic backup's outcome after the last change, once: `None` when
    /// nothing changed since it was taken, `Some(Ok(None))` when backups are off.
    pub fn take_backup_outcome(&mut self) -> Option<Result<Option<BackupRecord>>> {
        self.backup_outcome.take()
    }

    /// Writes an automatic backup now (if backups are set up), as after a change.
    pub fn backup_now(&self) -> Result<Option<BackupRecord>> {
        crate::backup::auto::run(&self.dir, self.keystore.as_ref(), &self.all_accounts())
    }

    /// Creates the vault file (and its key) if there is none yet.
    pub fn create_if_missing(&mut self) -> Result<()> {
        if self.key.is_some() {
            return Ok(());
        }
        self.change(|_| Ok(()))
    }

    /// Adds the accounts Jeton does not have yet, in one write, and reports the
    /// others as duplicates (same kind and secret as an account in use, or as an
    /// earlier one of `accounts`). Accounts given in the trash (from a Jeton
    /// backup) go to the trash; their group, pin and notes are kept.
    /// When every account is a duplicate, nothing is written (the vault file is
    /// still created if there is none yet).
    pub fn add_new(&mut self, accounts: Vec<Account>) -> Result<AddReport> {
        self.refresh()?;
        if self.key.is_some() {
            let duplicates = self.duplicates_among(accounts.iter());
            if duplicates.iter().all(Option::is_some) {
                let duplicates = accounts
                    .into_iter()
                    .zip(duplicates)
                    .filter_map(|(a, d)| d.map(|id| (a, id)))
                    .collect();
                return Ok(AddReport {
                    added: Vec::new(),
                    duplicates,
                });
            }
        }
        self.change(|contents| {
            for account in &accounts {
                account.params.validate()?;
            }
            let duplicates = duplicates_of(&contents.accounts, accounts.iter());
            let mut report = AddReport::default();
            let mut position = contents.next_position();
            for (mut account, duplicate) in accounts.into_iter().zip(duplicates) {
                if let Some(id) = duplicate {
                    report.duplicates.push((account, id));
                    continue;
                }
                if contents.accounts.iter().any(|a| a.id == account.id) {
                    account.id = Uuid::new_v4();
                }
                account.position = position;
                position += 1;
                report.added.push(account.summary());
                contents.accounts.push(account);
            }
            Ok(report)
        })
    }

    /// For each account, the id of the one [`Vault::add_new`] would see it as a
    /// duplicate of (for a preview: nothing is written).
    pub fn duplicates_among<'a>(
        &self,
        accounts: impl Iterator<Item = &'a Account>,
    ) -> Vec<Option<Uuid>> {
        duplicates_of(&self.contents.accounts, accounts)
    }

    /// Accounts in the trash, most recently deleted first.
    pub fn trash(&self) -> Vec<&Account> {
        let mut trashed: Vec<&Account> = self
            .contents
            .accounts
            .iter()
            .filter(|a| a.deleted_at.is_some())
            .collect();
        trashed.sort_by_key(|a| std::cmp::Reverse(a.deleted_at));
        trashed
    }

    /// Codes of the accounts in use whose issuer or name contains `query`
    /// (case-insensitive; all accounts when `query` is empty).
    pub fn code_views(&self, query: &str, unix_time: u64) -> Result<Vec<CodeView>> {
        let query = query.to_lowercase();
        self.accounts()
            .into_iter()
            .filter(|a| {
                query.is_empty()
                    || a.issuer.to_lowercase().contains(&query)
                    || a.name.to_lowercase().contains(&query)
            })
            .map(|a| a.code_view(unix_time))
            .collect()
    }

    /// The account with this id, or the only one whose id starts with `text`.
    pub fn find(&self, text: &str) -> Result<&Account> {
        let text = text.trim().to_lowercase();
        if text.is_empty() {
            return Err(Error::NotFound(text));
        }
        let mut matches = self
            .contents
            .accounts
            .iter()
            .filter(|a| a.id.to_string().starts_with(&text));
        match (matches.next(), matches.next()) {
            (Some(account), None) => Ok(account),
            (Some(_), Some(_)) => Err(Error::Ambiguous(text)),
            (None, _) => Err(Error::NotFound(text)),
        }
    }

    /// The account in use (not in the trash) with this id.
    pub fn in_use(&self, id: Uuid) -> Result<&Account> {
        self.contents
            .accounts
            .iter()
            .find(|a| a.id == id && a.deleted_at.is_none())
            .ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// The account in use that `account` would duplicate (same kind and secret).
    pub fn duplicate_of(&self, account: &Account) -> Option<&Account> {
        self.contents
            .accounts
            .iter()
            .find(|a| a.deleted_at.is_none() && a.same_credential(account))
    }

    /// Adds an account at the end of the list. An account in use with the same kind
    /// and secret is reported as a duplicate and nothing is written.
    pub fn add(&mut self, account: Account) -> Result<Uuid> {
        self.add_all(vec![account]).map(|ids| ids[0])
    }

    /// Adds several accounts in one write; if any is a duplicate, none is added.
    pub fn add_all(&mut self, accounts: Vec<Account>) -> Result<Vec<Uuid>> {
        self.change(|contents| {
            for (i, account) in accounts.iter().enumerate() {
                let same = |a: &&Account| a.same_credential(account);
                let in_use = contents.accounts.iter().filter(|a| a.deleted_at.is_none());
                if let Some(existing) = in_use.chain(&accounts[..i]).find(same) {
                    return Err(Error::Duplicate {
                        id: existing.id,
                        issuer_account: existing.label(),
                    });
                }
            }
            let first_position = contents.next_position();
            let mut ids = Vec::with_capacity(accounts.len());
            for (position, mut account) in (first_position..).zip(accounts) {
                account.params.validate()?;
                account.position = position;
                account.deleted_at = None;
                ids.push(account.id);
                contents.accounts.push(account);
            }
            Ok(ids)
        })
    }

    /// Sets an account's issuer and name.
    pub fn rename(&mut self, id: Uuid, issuer: &str, name: &str) -> Result<()> {
        self.change_account(id, |account| {
            account.issuer = issuer.trim().to_string();
            account.name = name.trim().to_string();
            Ok(())
        })
    }

    /// Puts the accounts in use in the order of `ids`; accounts not listed keep their
    /// relative order after them.
    pub fn reorder(&mut self, ids: &[Uuid]) -> Result<()> {
        self.change(|contents| {
            if let Some(unknown) = ids
                .iter()
                .find(|id| !contents.accounts.iter().any(|a| a.id == **id))
            {
                return Err(Error::NotFound(unknown.to_string()));
            }
            let rank = |a: &Account| ids.iter().position(|id| *id == a.id).unwrap_or(ids.len());
            contents
                .accounts
                .sort_by_key(|a| (rank(a), a.position, a.created));
            for (position, account) in contents.accounts.iter_mut().enumerate() {
                account.position = position as u32;
            }
            Ok(())
        })
    }

    /// Moves an account to the trash.
    pub fn delete(&mut self, id: Uuid) -> Result<()> {
        self.change_account(id, |account| {
            account.deleted_at.get_or_insert_with(crate::otp::now);
            Ok(())
        })
    }

    /// Brings an account back from the trash, to the place it had in the list
    /// (so "Undo" after a delete leaves the list as it was).
    pub fn restore(&mut self, id: Uuid) -> Result<()> {
        self.change(|contents| {
            trashed_mut(contents, id)?.deleted_at = None;
            Ok(())
        })
    }

    /// Removes an account in the trash for good.
    pub fn purge(&mut self, id: Uuid) -> Result<()> {
        self.change(|contents| {
            trashed_mut(contents, id)?;
            contents.accounts.retain(|a| a.id != id);
            Ok(())
        })
    }

    /// HOTP: advances the counter, saves it, and returns the new code.
    pub fn hotp_next(&mut self, id: Uuid) -> Result<CodeView> {
        let now = crate::otp::now();
        self.change_account(id, |account| {
            if account.params.kind != Kind::Hotp {
                return Err(Error::NotHotp);
            }
            account.params.counter = account
                .params
                .counter
                .checked_add(1)
                .ok_or_else(|| Error::InvalidCounter(u64::MAX.to_string()))?;
            account.code_view(now)
        })
    }

    fn change_account<T>(
        &mut self,
        id: Uuid,
        edit: impl FnOnce(&mut Account) -> Result<T>,
    ) -> Result<T> {
        self.change(|contents| {
            let account = contents
                .accounts
                .iter_mut()
                .find(|a| a.id == id && a.deleted_at.is_none())
                .ok_or_else(|| Error::NotFound(id.to_string()))?;
            edit(account)
        })
    }

    /// Runs `edit` on the latest contents under the cross-process lock and writes the
    /// result atomically. If `edit` or the write fails, memory and disk are unchanged.
    fn change<T>(&mut self, edit: impl FnOnce(&mut Contents) -> Result<T>) -> Result<T> {
        let _lock = self.lock()?;
        self.refresh()?;
        let new_key = self.key.is_none();
        if new_key {
            self.create_key()?;
        }
        let outcome = edit(&mut self.contents).and_then(|value| self.write().map(|()| value));
        if outcome.is_ok() {
            // The change stands whatever happens to its backup; the outcome is
            // kept for the caller to report.
            self.backup_outcome = Some(self.backup_now());
        }
        if outcome.is_err() {
            // Memory may hold a half-made change and the file was not replaced:
            // read the file again so memory matches it.
            self.stamp = None;
            let _ = self.refresh();
            if new_key && matches!(self.path().try_exists(), Ok(false)) {
                // The key made for this first write protects nothing: remove its
                // entry rather than leave an orphan in the user's keychain.
                if let Some((vault_id, _)) = self.key.take() {
                    let _ = self.keystore.delete(&vault_id.to_string());
                }
            }
        }
        outcome
    }

    fn create_key(&mut self) -> Result<()> {
        let vault_id = Uuid::new_v4();
        let key: VaultKey = Zeroizing::new(
            chacha20poly1305::Key::try_generate()
                .map_err(|e| Error::Keychain(format!("no secure random numbers: {e}")))?
                .0,
        );
        self.keystore.store(&vault_id.to_string(), &key)?;
        // Read it back: a keychain that accepts but does not keep keys must fail now,
        // before any account depends on it.
        match self.keystore.load(&vault_id.to_string()) {
            Ok(Some(stored)) if *stored == *key => {}
            kept => {
                // The entry protects nothing yet: do not leave it behind.
                let _ = self.keystore.delete(&vault_id.to_string());
                kept?;
                return Err(Error::Keychain(
                    "the keychain did not keep the new vault key".into(),
                ));
            }
        }
        self.key = Some((vault_id, key));
        Ok(())
    }

    fn lock(&self) -> Result<File> {
        create_private_dir(&self.dir)?;
        let path = self.dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        file.lock().map_err(|e| Error::io("lock", &path, e))?;
        Ok(file)
    }

    fn write(&mut self) -> Result<()> {
        let (vault_id, key) = self.key.as_ref().ok_or(Error::KeyCorrupt)?;
        let bytes = encrypt(&self.contents, *vault_id, key)?;
        let path = self.path();
        keep_previous(&self.dir, &path)?;
        write_atomically(&self.dir, &path, &bytes)?;
        // The new file is in place: not knowing its stamp only means the next
        // use reads it again.
        self.stamp = fs::metadata(&path).ok().map(|m| FileStamp::of(&m));
        Ok(())
    }
}

/// The duplicate rule of [`Vault::add_new`]: an account duplicates one in use with
/// the same kind and secret, or an earlier one of the same list; one going to the
/// trash (from a backup) also duplicates one already in the trash.
fn duplicates_of<'a>(
    existing: &[Account],
    accounts: impl Iterator<Item = &'a Account>,
) -> Vec<Option<Uuid>> {
    let mut seen: Vec<&Account> = Vec::new();
    let mut found = Vec::new();
    for account in accounts {
        let duplicate = existing
            .iter()
            .chain(seen.iter().copied())
            .filter(|a| a.deleted_at.is_none() || account.deleted_at.is_some())
            .find(|a| a.same_credential(account))
            .map(|a| a.id);
        if duplicate.is_none() {
            seen.push(account);
        }
        found.push(duplicate);
    }
    found
}

fn trashed_mut(contents: &mut Contents, id: Uuid) -> Result<&mut Account> {
    contents
        .accounts
        .iter_mut()
        .find(|a| a.id == id && a.deleted_at.is_some())
        .ok_or_else(|| Error::NotFound(id.to_string()))
}

fn header(vault_id: Uuid, nonce: &[u8]) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&CIPHER_XCHACHA20_POLY1305.to_le_bytes());
    header.extend_from_slice(vault_id.as_bytes());
    header.extend_from_slice(nonce);
    header
}

/// Checks the header and returns the vault id it names.
fn parse_header(bytes: &[u8]) -> Result<Uuid> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Err(Error::VaultCorrupt(String::new()));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > FORMAT_VERSION {
        return Err(Error::VaultTooNew(version));
    }
    if u16::from_le_bytes([bytes[10], bytes[11]]) != CIPHER_XCHACHA20_POLY1305 {
        return Err(Error::VaultCorrupt(String::new()));
    }
    Uuid::from_slice(&bytes[12..28]).map_err(|_| Error::VaultCorrupt(String::new()))
}

fn encrypt(contents: &Contents, vault_id: Uuid, key: &VaultKey) -> Result<Vec<u8>> {
    // Sized first, then written into a buffer of exactly that size: a growing
    // buffer would leave unwiped copies of the secrets behind as it moves.
    let serialise_error = |e: postcard::Error| Error::VaultCorrupt(e.to_string());
    let size = postcard::serialize_with_flavor(contents, postcard::ser_flavors::Size::default())
        .map_err(serialise_error)?;
    let mut plaintext = Zeroizing::new(vec![0u8; size]);
    postcard::to_slice(contents, &mut plaintext).map_err(serialise_error)?;
    let nonce = XNonce::try_generate()
        .map_err(|e| Error::Keychain(format!("no secure random numbers: {e}")))?;
    let mut out = header(vault_id, &nonce);
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_slice()).map_err(|_| Error::KeyCorrupt)?;
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: &plaintext,
                aad: &out,
            },
        )
        .map_err(|_| Error::VaultCorrupt("encryption failed".into()))?;
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

fn decrypt(bytes: &[u8], key: &VaultKey) -> Result<Contents> {
    let (header, ciphertext) = bytes.split_at(HEADER_LEN);
    let nonce = XNonce::try_from(&header[28..HEADER_LEN])
        .map_err(|_| Error::VaultCorrupt(String::new()))?;
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_slice()).map_err(|_| Error::KeyCorrupt)?;
    let plaintext = Zeroizing::new(
        cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .map_err(|_| Error::VaultCorrupt(String::new()))?,
    );
    postcard::from_bytes(&plaintext).map_err(|_| Error::VaultCorrupt(String::new()))
}

/// Creates the data folder (mode 0700) if it is missing.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| Error::io("create the folder", dir, e))
}

/// Makes `vault.jeton.prev` the vault as it is now, before it is replaced: a hard
/// link (no copy of the bytes) renamed over the previous one, so `.prev` is always
/// a whole vault.
fn keep_previous(dir: &Path, path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let previous = dir.join(PREVIOUS_FILE);
    let temp = temp_name(dir, &previous)?;
    match fs::hard_link(path, &temp) {
        Ok(()) => fs::rename(&temp, &previous).map_err(|e| {
            let _ = fs::remove_file(&temp);
            Error::io("replace", &previous, e)
        }),
        // A file system without hard links: copy instead.
        Err(_) => {
            let bytes = fs::read(path).map_err(|e| Error::io("read", path, e))?;
            write_atomically(dir, &previous, &bytes)
        }
    }
}

/// A temporary name beside `path` that nobody can have planted: random, hidden.
fn temp_name(dir: &Path, path: &Path) -> Result<PathBuf> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random)
        .map_err(|e| Error::Keychain(format!("no secure random numbers: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(dir.join(format!(
        ".{name}.{}.tmp",
        data_encoding::HEXLOWER.encode(&random)
    )))
}

/// Writes a file only the user can read, atomically (exports, for the CLI and app).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    write_atomically(&dir, path, bytes)
}

/// Exclusive temporary file (mode 0600, random name) -> write -> fsync -> rename
/// over `path` -> fsync the folder. A file with the final name is always whole.
pub(crate) fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_name(dir, path)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&temp)
        .map_err(|e| Error::io("create", &temp, e))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io("write", &temp, e));
    drop(file);
    let renamed =
        written.and_then(|()| fs::rename(&temp, path).map_err(|e| Error::io("replace", path, e)));
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed?;
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io("sync", dir, e))?;
    Ok(())
}
