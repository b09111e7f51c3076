//! The vault: every account, encrypted in one file under a key from the OS keychain.
//!
//! Why it is built this way:
//! - Three layers, each testable alone: [`format`] (pure: bytes and a key in,
//!   contents out), [`contents`] (pure: the rules for adding, renaming, the trash,
//!   HOTP), and this module with `store` (the I/O: lock, re-read, atomic writes,
//!   and the keychain).
//! - The vault id in the header names the keychain entry, so several vaults (tests,
//!   `JETON_DATA_DIR`) never share or overwrite each other's key.
//! - Writers hold an exclusive lock on `vault.lock`, so the app and the CLI can run
//!   together; each writer re-reads a vault another process changed before
//!   applying its change.
//! - A key is created only when no vault file exists. A vault whose key is missing,
//!   locked or refused, or that fails to decrypt or parse, is reported and never
//!   written to.
//! - Deletion moves an account to the trash; only purge removes it.

pub mod contents;
pub mod format;
mod store;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::Generate;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::account::{Account, CodeView};
use crate::backup::auto::BackupRecord;
use crate::error::{Error, Result};
use crate::keychain::{KeyStore, SystemKeychain, VaultKey};

pub use contents::{AddReport, Contents};
pub use format::FORMAT_VERSION;
pub use store::create_private_dir;
pub use store::write_file_atomically;
pub(crate) use store::{lock as lock_data_dir, remove_abandoned_temps, write_atomically};

/// File name of the vault inside the data directory.
pub const VAULT_FILE: &str = "vault.jeton";
/// The vault as it was before the last write (KeePassXC-style), kept beside it.
pub const PREVIOUS_FILE: &str = "vault.jeton.prev";

/// What identifies the file as last read: its header nonce (fresh and random on
/// every write, so it tells writes apart when size, time and inode repeat:
/// same-length writes, coarse clocks, reused inodes), and its size, time and
/// inode (which tell an in-place change of the body, such as damage, apart).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    nonce: [u8; format::NONCE_LEN],
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

impl Seen {
    fn of(nonce: [u8; format::NONCE_LEN], metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Seen {
            nonce,
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
    /// The file as last read or written; a change to any part of it means
    /// another process (or damage) changed it.
    seen: Option<Seen>,
    /// Outcome of the automatic backup after the last change, until taken.
    backup_outcome: Option<Result<Option<BackupRecord>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("accounts", &self.contents.accounts.len())
            .finish_non_exhaustive()
    }
}

/// The app's own data folder as the platform's app runtime gives it, where only
/// that runtime knows it (Android's app sandbox, which `directories` cannot name).
static PLATFORM_DATA_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Sets the data folder the platform's app runtime gives (a phone app's sandbox),
/// used when `JETON_DATA_DIR` is not set. Only the first call counts.
pub fn use_platform_data_dir(dir: PathBuf) {
    let _ = PLATFORM_DATA_DIR.set(dir);
}

/// The data directory: `JETON_DATA_DIR`, else the folder the platform's app
/// runtime gave, else the OS's per-user data directory.
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("JETON_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = PLATFORM_DATA_DIR.get() {
        return Ok(dir.clone());
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
            seen: None,
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

    /// Re-reads the file if another process changed it since it was last read
    /// (told by the nonce in its header: a 52-byte read when nothing changed).
    pub fn refresh(&mut self) -> Result<()> {
        let path = self.path();
        let mut file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // The vault is gone (reset, moved aside): forget its key too, so
                // this handle behaves as a fresh start would. Keeping the key would
                // write the next change under a key the keychain may no longer
                // hold, readable by this process only.
                self.contents = Contents::default();
                self.key = None;
                self.seen = None;
                return Ok(());
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        let mut bytes = vec![0u8; format::HEADER_LEN];
        match file.read_exact(&mut bytes) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(self.corrupt_or(Error::VaultCorrupt(String::new())));
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        }
        let header = format::Header::parse(&bytes).map_err(|e| self.corrupt_or(e))?;
        let metadata = file.metadata().map_err(|e| Error::io("read", &path, e))?;
        let seen = Seen::of(header.nonce, &metadata);
        if self.seen.as_ref() == Some(&seen) && self.id() == Some(header.vault_id) {
            return Ok(());
        }
        // Read the rest from the same open file (a rename meanwhile cannot mix two
        // files), never more than the cap.
        (&mut file)
            .take(format::MAX_VAULT_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("read", &path, e))?;
        if bytes.len() as u64 > format::MAX_VAULT_BYTES {
            return Err(self.corrupt_or(Error::VaultCorrupt(String::new())));
        }
        let vault_id = header.vault_id;
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
        self.contents = format::decrypt(&bytes, key).map_err(|e| self.corrupt_or(e))?;
        self.seen = Some(seen);
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
        self.contents.in_use_accounts()
    }

    /// Every account, in use and in the trash (what a Jeton backup holds).
    pub fn all_accounts(&self) -> Vec<&Account> {
        self.contents.all_accounts()
    }

    /// The automatic backup's outcome after the last change, once: `None` when
    /// nothing changed since it was taken, `Some(Ok(None))` when backups are off.
    pub fn take_backup_outcome(&mut self) -> Option<Result<Option<BackupRecord>>> {
        self.backup_outcome.take()
    }

    /// Writes an automatic backup now (if backups are set up), as after a change:
    /// under the vault lock like every backup, of the vault as it is on disk then
    /// (another process may have changed it, and backed it up, a moment before; a
    /// backup of older contents must never become the newest).
    pub fn backup_now(&mut self) -> Result<Option<BackupRecord>> {
        let _lock = store::lock(&self.dir)?;
        self.refresh()?;
        self.backup_locked()
    }

    /// The automatic backup, for a caller that holds the vault lock.
    fn backup_locked(&self) -> Result<Option<BackupRecord>> {
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
        self.change(|contents| contents.add_new(accounts))
    }

    /// For each account, the id of the one [`Vault::add_new`] would see it as a
    /// duplicate of (for a preview: nothing is written).
    pub fn duplicates_among<'a>(
        &self,
        accounts: impl Iterator<Item = &'a Account>,
    ) -> Vec<Option<Uuid>> {
        self.contents.duplicates_among(accounts)
    }

    /// Accounts in the trash, most recently deleted first.
    pub fn trash(&self) -> Vec<&Account> {
        self.contents.trash()
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

    /// The account in use with this id, or the only one in use whose id starts
    /// with `text`.
    pub fn find(&self, text: &str) -> Result<&Account> {
        self.contents.find(text)
    }

    /// The account in the trash with this id, or the only one in the trash whose id
    /// starts with `text` (for restore and purge).
    pub fn find_in_trash(&self, text: &str) -> Result<&Account> {
        self.contents.find_in_trash(text)
    }

    /// The account in use (not in the trash) with this id.
    pub fn in_use(&self, id: Uuid) -> Result<&Account> {
        self.contents.in_use(id)
    }

    /// The account in use that `account` would duplicate (same kind and secret).
    pub fn duplicate_of(&self, account: &Account) -> Option<&Account> {
        self.contents.duplicate_of(account)
    }

    /// Adds an account at the end of the list. An account in use with the same kind
    /// and secret is reported as a duplicate and nothing is written.
    pub fn add(&mut self, account: Account) -> Result<Uuid> {
        let id = account.id;
        self.add_all(vec![account])?;
        Ok(id)
    }

    /// Adds several accounts in one write; if any is a duplicate, none is added.
    pub fn add_all(&mut self, accounts: Vec<Account>) -> Result<Vec<Uuid>> {
        self.change(|contents| contents.add_all(accounts))
    }

    /// Sets an account's issuer and name.
    pub fn rename(&mut self, id: Uuid, issuer: &str, name: &str) -> Result<()> {
        self.change(|contents| contents.rename(id, issuer, name))
    }

    /// Puts the accounts in use in the order of `ids`; accounts not listed keep their
    /// relative order after them.
    pub fn reorder(&mut self, ids: &[Uuid]) -> Result<()> {
        self.change(|contents| contents.reorder(ids))
    }

    /// Moves an account to the trash.
    pub fn delete(&mut self, id: Uuid) -> Result<()> {
        let now = crate::otp::now();
        self.change(|contents| contents.delete(id, now))
    }

    /// Brings an account back from the trash, to the place it had in the list
    /// (so "Undo" after a delete leaves the list as it was). Refused with
    /// [`Error::Duplicate`] when the same credential is in use again.
    pub fn restore(&mut self, id: Uuid) -> Result<()> {
        self.change(|contents| contents.restore(id))
    }

    /// Removes an account in the trash for good.
    pub fn purge(&mut self, id: Uuid) -> Result<()> {
        self.change(|contents| contents.purge(id))
    }

    /// HOTP: advances the counter, saves it, and returns the new code.
    pub fn hotp_next(&mut self, id: Uuid) -> Result<CodeView> {
        let now = crate::otp::now();
        self.change(|contents| contents.hotp_next(id, now))
    }

    /// Runs `edit` on the latest contents under the cross-process lock and writes the
    /// result atomically. If `edit` or the write fails, memory and disk are unchanged.
    fn change<T>(&mut self, edit: impl FnOnce(&mut Contents) -> Result<T>) -> Result<T> {
        let _lock = store::lock(&self.dir)?;
        store::remove_abandoned_temps(
            &self.dir,
            |name| [VAULT_FILE, PREVIOUS_FILE, crate::backup::auto::STATUS_FILE].contains(&name),
            std::time::Duration::ZERO,
        );
        self.refresh()?;
        let new_key = self.key.is_none();
        if new_key {
            self.create_key()?;
        } else {
            self.check_key_kept()?;
        }
        let outcome = edit(&mut self.contents).and_then(|value| self.write().map(|()| value));
        if outcome.is_ok() {
            // The change stands whatever happens to its backup; the outcome is
            // kept for the caller to report.
            self.backup_outcome = Some(self.backup_locked());
        }
        if outcome.is_err() {
            let made = self.id().filter(|_| new_key);
            // Memory may hold a half-made change and the file was not replaced:
            // read the file again so memory matches it.
            self.seen = None;
            let _ = self.refresh();
            if let Some(vault_id) = made {
                if matches!(self.path().try_exists(), Ok(false)) {
                    // The key made for this first write protects nothing: remove
                    // its entry rather than leave an orphan in the user's keychain.
                    self.key = None;
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

    /// Before writing with the key in memory, checks the keychain still holds it: a
    /// key deleted since it was read (a reset, a tidied keychain) must stop writes
    /// rather than produce a vault nobody can open after this process ends.
    fn check_key_kept(&self) -> Result<()> {
        let (vault_id, key) = self.key.as_ref().ok_or(Error::KeyCorrupt)?;
        match self.keystore.load(&vault_id.to_string())? {
            Some(kept) if *kept == **key => Ok(()),
            Some(_) => Err(Error::KeyCorrupt),
            None => Err(Error::KeyMissing {
                vault: self.path().display().to_string(),
                entry: self.keystore.entry_name(&vault_id.to_string()),
            }),
        }
    }

    fn write(&mut self) -> Result<()> {
        let (vault_id, key) = self.key.as_ref().ok_or(Error::KeyCorrupt)?;
        let bytes = format::encrypt(&self.contents, *vault_id, key)?;
        let path = self.path();
        store::keep_previous(&self.dir, &path, &self.dir.join(PREVIOUS_FILE))?;
        write_atomically(&self.dir, &path, &bytes)?;
        // The new file is in place: not knowing what it looks like only means the
        // next use reads it again.
        self.seen = match (format::Header::parse(&bytes), fs::metadata(&path)) {
            (Ok(header), Ok(metadata)) => Some(Seen::of(header.nonce, &metadata)),
            _ => None,
        };
        Ok(())
    }
}
