//! Automatic backups: after every change to the vault, from the app or the CLI, a
//! new encrypted backup in the folder the user chose, keeping the newest N.
//!
//! Why it is built this way:
//! - The vault's own write comes first and always stands; a backup that fails is
//!   recorded (`backup-status.json`) and reported by whoever made the change, so
//!   the user hears of it at once instead of discovering it the day they need it.
//! - The password is asked once, at set-up; the key derived from it is kept in the
//!   keychain under its own entry, so no prompt is needed and no KDF runs per change.
//! - A backup is written like the vault (exclusive temporary file, fsync, rename,
//!   fsync the folder): a file with the final name is always complete. Only files
//!   named `jeton-backup-*.jetonbackup` (and Jeton's own leftover temporary files)
//!   are ever removed from the folder: it may be the user's Nextcloud or Dropbox.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::jeton::{self, KdfParams};
use super::BackupError;
use crate::account::Account;
use crate::error::{Error, Result};
use crate::keychain::{self, KeyStore};
use crate::settings::{BackupSettings, Settings, MAX_KEEP};

/// File name of the record of the last automatic backup, in the data directory.
pub const STATUS_FILE: &str = "backup-status.json";
const PREFIX: &str = "jeton-backup-";
/// Leftover temporary files older than this are from a write that was interrupted
/// (writing one takes milliseconds): removed at the next backup. Not younger: a
/// sync tool may share the folder with another machine writing its own.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(600);

/// One backup written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRecord {
    /// Its path.
    pub path: PathBuf,
    /// When it was written (Unix seconds).
    pub time: u64,
    /// Accounts in it (in use and in the trash).
    pub accounts: usize,
}

/// The last automatic backup and the last failure, as `jeton backup status` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupStatus {
    /// The newest backup written.
    pub last_backup: Option<BackupRecord>,
    /// Why the last attempt failed, if it did (cleared by the next success).
    pub last_error: Option<String>,
    /// Stable key of that failure, for translation.
    #[serde(default)]
    pub last_error_code: Option<String>,
}

impl BackupStatus {
    /// Reads the status in `data_dir` (empty when there is none or it is unreadable:
    /// it is only a record).
    pub fn load(data_dir: &Path) -> Self {
        std::fs::read(data_dir.join(STATUS_FILE))
            .ok()
            .filter(|bytes| bytes.len() < 64 * 1024)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn save(&self, data_dir: &Path) -> Result<()> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| Error::SettingsCorrupt(e.to_string()))?;
        crate::vault::write_atomically(data_dir, &data_dir.join(STATUS_FILE), &bytes)
    }
}

/// Sets up automatic backups into `dir`, keeping `keep`: derives the key from the
/// password (a new salt), keeps the key in the keychain, saves the settings. The
/// caller then writes the first backup.
pub fn configure(
    data_dir: &Path,
    keystore: &dyn KeyStore,
    dir: &Path,
    keep: usize,
    password: &str,
) -> Result<BackupSettings> {
    jeton::check_new_password(password)?;
    if keep == 0 || keep > MAX_KEEP {
        return Err(BackupError::Folder(
            dir.display().to_string(),
            format!("keep must be from 1 to {MAX_KEEP}"),
        )
        .into());
    }
    check_folder(dir)?;
    let kdf = KdfParams::new_random()?;
    let key = kdf.derive(password)?;
    // A settings file that cannot be read fails here, before a key is kept.
    Settings::load(data_dir)?;
    let key_id = uuid::Uuid::new_v4();
    keystore.store(&keychain::backup_key_id(&key_id.to_string()), &key)?;
    let chosen = BackupSettings {
        dir: std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
        keep,
        kdf,
        key_id,
    };
    let old = Settings::update(data_dir, |settings| {
        Ok(settings.backup.replace(chosen.clone()))
    })?;
    if let Some(old) = old {
        // The previous password's key protects nothing new any more.
        let _ = keystore.delete(&keychain::backup_key_id(&old.key_id.to_string()));
    }
    Ok(chosen)
}

/// After a password-based recovery: keeps the backup key again in a keychain that
/// lost it, when `password` is the backup password of the settings.
pub fn remember_key(data_dir: &Path, keystore: &dyn KeyStore, password: &str) -> Result<()> {
    let Some(backup) = Settings::load(data_dir)?.backup else {
        return Ok(());
    };
    let id = keychain::backup_key_id(&backup.key_id.to_string());
    if keystore.load(&id).ok().flatten().is_none() {
        let key = backup.kdf.derive(password)?;
        keystore.store(&id, &key)?;
    }
    Ok(())
}

fn check_folder(dir: &Path) -> Result<()> {
    let unusable = |why: String| Error::from(BackupError::Folder(dir.display().to_string(), why));
    let meta = std::fs::metadata(dir).map_err(|e| unusable(e.to_string()))?;
    if !meta.is_dir() {
        return Err(unusable("it is not a folder".into()));
    }
    Ok(())
}

/// Writes a backup now if backups are set up (`Ok(None)` when they are not), and
/// records the outcome for `jeton backup status` and the app's banner.
pub fn run(
    data_dir: &Path,
    keystore: &dyn KeyStore,
    accounts: &[&Account],
) -> Result<Option<BackupRecord>> {
    let Some(backup) = Settings::load(data_dir)?.backup else {
        return Ok(None);
    };
    let outcome = write_backup(&backup, keystore, accounts);
    let mut status = BackupStatus::load(data_dir);
    match &outcome {
        Ok(record) => {
            status.last_backup = Some(record.clone());
            status.last_error = None;
            status.last_error_code = None;
        }
        Err(error) => {
            status.last_error = Some(error.to_string());
            status.last_error_code = Some(error.code().to_string());
        }
    }
    // The record is a convenience: failing to keep it must not hide the outcome.
    let _ = status.save(data_dir);
    outcome.map(Some)
}

fn write_backup(
    backup: &BackupSettings,
    keystore: &dyn KeyStore,
    accounts: &[&Account],
) -> Result<BackupRecord> {
    let key = keystore
        .load(&keychain::backup_key_id(&backup.key_id.to_string()))?
        .ok_or_else(|| {
            Error::from(BackupError::Folder(
                backup.dir.display().to_string(),
                "the backup key is missing from the keychain: set up backups again".into(),
            ))
        })?;
    check_folder(&backup.dir)?;
    let bytes = jeton::write(accounts, &backup.kdf, &key)?;
    let now = std::time::SystemTime::now();
    let path = backup.dir.join(file_name(now));
    // A full or read-only backup folder is the folder's problem, said as such
    // (the vault change itself stands).
    crate::vault::write_atomically(&backup.dir, &path, &bytes).map_err(|error| match error {
        Error::Io { source, .. } => {
            BackupError::Folder(backup.dir.display().to_string(), source.to_string()).into()
        }
        other => other,
    })?;
    prune(&backup.dir, backup.keep);
    Ok(BackupRecord {
        path,
        time: crate::otp::now(),
        accounts: accounts.len(),
    })
}

/// `jeton-backup-20261201T213000.123Z.jetonbackup`: UTC, so names sort by time.
fn file_name(at: std::time::SystemTime) -> String {
    let at = time::OffsetDateTime::from(at);
    let stamp = at
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second].[subsecond digits:3]Z"
        ))
        .unwrap_or_else(|_| at.unix_timestamp().to_string());
    format!("{PREFIX}{stamp}.{}", jeton::EXTENSION)
}

/// Jeton's backups in `dir`, oldest first (their names sort by time).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let suffix = format!(".{}", jeton::EXTENSION);
    let mut found: Vec<PathBuf> = read
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(&suffix))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes all but the newest `keep` backups, and Jeton's own temporary files
/// that an interrupted write left (older than [`STALE_TEMP`]).
fn prune(dir: &Path, keep: usize) {
    let backups = list(dir);
    for old in &backups[..backups.len().saturating_sub(keep)] {
        let _ = std::fs::remove_file(old);
    }
    let suffix = format!(".{}", jeton::EXTENSION);
    crate::vault::remove_abandoned_temps(
        dir,
        |name| name.starts_with(PREFIX) && name.ends_with(&suffix),
        STALE_TEMP,
    );
}
