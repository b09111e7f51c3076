//! Automatic backups, import, export and recovery in the app: the same core calls
//! as `jeton backup`, `jeton import`, `jeton export` and `jeton recover`.
//!
//! Why it is built this way:
//! - Files are chosen in native dialogs opened from Rust ([`crate::dialogs`]) and
//!   the paths stay here: the page never names a file to read or write.
//! - A file being imported is read and parsed here, and its accounts wait in
//!   [`BackupFlows`] between the preview and the user's confirmation (as Google
//!   transfers wait in `TransferState`); the page only sees names and outcomes.
//! - Key derivations (about a second), dialogs and file reads block: every entry
//!   point here is called on a blocking thread by the commands.
//! - Exports are written with the core's atomic, owner-only (0600) write.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use jeton_core::backup::auto::BackupStatus;
use jeton_core::backup::export::{self, ExportFormat};
use jeton_core::backup::{self, limits, BackupError};
use jeton_core::keychain::SystemKeychain;
use jeton_core::settings::Settings;
use jeton_core::vault::default_data_dir;
use jeton_core::Account;
use serde::Serialize;
use tauri::AppHandle;
use zeroize::Zeroizing;

use crate::dialogs::{self, Choice};
use crate::qr::{self, QrMatrix};
use crate::vault_state::ErrorView;
use crate::{AppError, VaultState};

/// What the backup, import and recovery flows hold between two commands.
#[derive(Default)]
pub struct BackupFlows {
    /// The file being imported, until it is added or cancelled.
    import: Mutex<Option<PendingImport>>,
    /// The folder chosen for automatic backups, until they are set up.
    folder: Mutex<Option<PathBuf>>,
    /// The backup chosen to recover from, until the recovery succeeds or is cancelled.
    recovery: Mutex<Option<Zeroizing<Vec<u8>>>>,
}

struct PendingImport {
    bytes: Zeroizing<Vec<u8>>,
    /// The readable accounts, once the file was read (with its password if any).
    accounts: Option<Vec<Account>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ---------------------------------------------------------------------------
// Automatic backups.

/// Where automatic backups go and how the last one went.
#[derive(Debug, Serialize)]
pub struct BackupStatusView {
    /// Whether automatic backups are set up.
    configured: bool,
    /// The backup folder.
    dir: Option<String>,
    /// How many backups are kept.
    keep: Option<usize>,
    /// The newest backup written.
    last_backup: Option<LastBackup>,
    /// Why the last backup failed, until one succeeds again.
    last_error: Option<ErrorView>,
}

/// One backup written, as the page shows it.
#[derive(Debug, Serialize)]
pub struct LastBackup {
    /// Unix seconds.
    time: u64,
    /// Accounts in it.
    accounts: usize,
    /// Its file name.
    file: String,
}

/// The backup status now (settings, the last record, and a failure of this session).
pub fn status(vault: &VaultState) -> Result<BackupStatusView, AppError> {
    let data_dir = default_data_dir()?;
    let settings = Settings::load(&data_dir)?;
    let Some(backup) = settings.backup else {
        return Ok(BackupStatusView {
            configured: false,
            dir: None,
            keep: None,
            last_backup: None,
            last_error: None,
        });
    };
    let record = BackupStatus::load(&data_dir);
    let last_error = match (record.last_error, record.last_error_code) {
        (Some(message), code) => Some(ErrorView::new(code.as_deref(), message)),
        (None, _) => vault.backup_failure(),
    };
    Ok(BackupStatusView {
        configured: true,
        dir: Some(backup.dir.display().to_string()),
        keep: Some(backup.keep),
        last_backup: record.last_backup.map(|r| LastBackup {
            time: r.time,
            accounts: r.accounts,
            file: file_name(&r.path),
        }),
        last_error,
    })
}

/// Lets the user choose the backup folder; returns it for display (`None`: cancelled).
pub fn choose_folder(app: &AppHandle, flows: &BackupFlows, title: &str) -> Option<String> {
    let dir = dialogs::choose(app, title, Choice::Folder)?;
    let shown = dir.display().to_string();
    *lock(&flows.folder) = Some(dir);
    Some(shown)
}

/// Sets up automatic backups into the chosen folder, then writes the first one.
pub fn configure(
    vault: &VaultState,
    flows: &BackupFlows,
    keep: usize,
    password: &str,
) -> Result<BackupStatusView, AppError> {
    let dir = lock(&flows.folder)
        .clone()
        .ok_or(AppError::NoFolderChosen)?;
    let data_dir = default_data_dir()?;
    backup::auto::configure(&data_dir, &SystemKeychain, &dir, keep, password)?;
    *lock(&flows.folder) = None;
    back_up_now(vault)
}

/// Writes a backup now; a failure is part of the status returned.
pub fn back_up_now(vault: &VaultState) -> Result<BackupStatusView, AppError> {
    vault.back_up_now()?;
    status(vault)
}

// ---------------------------------------------------------------------------
// Import.

/// Where an import stands after a step.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportStep {
    /// The user closed the dialog.
    Cancelled,
    /// The file is encrypted: ask for its password, then `import_unlock`.
    PasswordNeeded,
    /// What the file holds; nothing is written until `import_confirm`.
    Preview {
        /// The format recognised.
        format: &'static str,
        /// Every entry, in the file's order.
        entries: Vec<ImportRow>,
    },
}

/// One entry of the file, as previewed.
#[derive(Debug, Serialize)]
pub struct ImportRow {
    /// Issuer as the file names it.
    issuer: String,
    /// Account name as the file names it.
    account: String,
    /// "new", "duplicate" (already in Jeton, or earlier in the file) or "skipped".
    status: &'static str,
    /// Why a skipped entry cannot be imported.
    reason: Option<ErrorView>,
}

/// What confirming an import did.
#[derive(Debug, Serialize)]
pub struct ImportDone {
    /// Accounts added.
    added: usize,
    /// Accounts left out because Jeton has them.
    duplicates: usize,
}

/// Lets the user choose a file, reads it and previews it (or asks for its password).
pub fn import_choose(
    app: &AppHandle,
    vault: &VaultState,
    flows: &BackupFlows,
    title: &str,
) -> Result<ImportStep, AppError> {
    *lock(&flows.import) = None;
    let Some(path) = dialogs::choose(app, title, Choice::Open) else {
        return Ok(ImportStep::Cancelled);
    };
    import_bytes(vault, flows, read_file(&path)?)
}

/// Reads a file's bytes to import and previews them (or asks for the password).
pub fn import_bytes(
    vault: &VaultState,
    flows: &BackupFlows,
    bytes: Zeroizing<Vec<u8>>,
) -> Result<ImportStep, AppError> {
    let slot = &mut *lock(&flows.import);
    let pending = slot.insert(PendingImport {
        bytes,
        accounts: None,
    });
    match preview(vault, pending, None) {
        Err(AppError::Core(jeton_core::Error::Backup(BackupError::PasswordNeeded))) => {
            Ok(ImportStep::PasswordNeeded)
        }
        Err(error) => {
            *slot = None;
            Err(error)
        }
        Ok(step) => Ok(step),
    }
}

/// Reads the chosen encrypted file with `password`; a wrong password can be retried.
pub fn import_unlock(
    vault: &VaultState,
    flows: &BackupFlows,
    password: &str,
) -> Result<ImportStep, AppError> {
    let slot = &mut *lock(&flows.import);
    let pending = slot.as_mut().ok_or(AppError::NothingPending)?;
    preview(vault, pending, Some(password))
}

fn preview(
    vault: &VaultState,
    pending: &mut PendingImport,
    password: Option<&str>,
) -> Result<ImportStep, AppError> {
    let imported = backup::read(&pending.bytes, None, password).map_err(jeton_core::Error::from)?;
    let format = imported.format;
    let duplicates = vault.with(|v| Ok(v.duplicates_among(imported.accounts())))?;
    let mut duplicates = duplicates.into_iter();
    let mut accounts = Vec::new();
    let mut entries = Vec::with_capacity(imported.entries.len());
    for entry in imported.entries {
        let (status, reason) = match &entry.outcome {
            Ok(_) if duplicates.next().flatten().is_some() => ("duplicate", None),
            Ok(_) => ("new", None),
            Err(reason) => ("skipped", Some(ErrorView::of(reason))),
        };
        entries.push(ImportRow {
            issuer: entry.issuer,
            account: entry.account,
            status,
            reason,
        });
        if let Ok(account) = entry.outcome {
            accounts.push(account);
        }
    }
    pending.accounts = Some(accounts);
    Ok(ImportStep::Preview { format, entries })
}

/// Adds the previewed accounts Jeton does not have, in one write. The file is kept
/// until the write succeeds, so a failure can be retried.
pub fn import_confirm(vault: &VaultState, flows: &BackupFlows) -> Result<ImportDone, AppError> {
    let slot = &mut *lock(&flows.import);
    let accounts = slot
        .as_ref()
        .and_then(|p| p.accounts.clone())
        .ok_or(AppError::NothingPending)?;
    let report = vault.with(|v| v.add_new(accounts))?;
    *slot = None;
    Ok(ImportDone {
        added: report.added.len(),
        duplicates: report.duplicates.len(),
    })
}

/// Forgets the file being imported.
pub fn import_cancel(flows: &BackupFlows) {
    *lock(&flows.import) = None;
}

// ---------------------------------------------------------------------------
// Export.

/// What an export did.
#[derive(Debug, Serialize)]
pub struct ExportDone {
    /// False when the user closed the save dialog.
    written: bool,
    /// The file's name.
    file: Option<String>,
    /// Accounts in the file.
    accounts: usize,
    /// "Issuer: account" of the accounts the format cannot carry.
    left_out: Vec<String>,
}

/// The Google Authenticator transfer QR codes of the accounts in use.
#[derive(Serialize)]
pub struct TransferCodes {
    /// One QR code per part, in order.
    codes: Vec<QrMatrix>,
    /// "Issuer: account" of the accounts a transfer cannot carry.
    left_out: Vec<String>,
}

/// Asks where to save, then writes the export of `format` there (0600, atomically).
pub fn export_file(
    app: &AppHandle,
    vault: &VaultState,
    format: &str,
    password: Option<&str>,
    title: &str,
) -> Result<ExportDone, AppError> {
    let format = ExportFormat::parse(format).map_err(jeton_core::Error::from)?;
    if format == ExportFormat::Google {
        return Err(BackupError::UnknownFormatName("google".into()).into());
    }
    let password = if format.is_plain() {
        None
    } else {
        let password = password.unwrap_or_default();
        backup::jeton::check_new_password(password).map_err(jeton_core::Error::from)?;
        Some(password)
    };
    let suggested = match format {
        ExportFormat::Jeton => "jeton-export.jetonbackup",
        ExportFormat::Otpauth => "jeton-export.txt",
        _ => "jeton-export-aegis.json",
    };
    let Some(path) = dialogs::choose(app, title, Choice::Save(suggested)) else {
        return Ok(ExportDone {
            written: false,
            file: None,
            accounts: 0,
            left_out: Vec::new(),
        });
    };
    let (exported, count) = vault.with(|v| {
        let accounts = match format {
            ExportFormat::Jeton => v.all_accounts(),
            _ => v.accounts(),
        };
        let exported = export::export(format, &accounts, password)?;
        Ok((exported, accounts.len()))
    })?;
    let bytes = exported.parts.first().ok_or(AppError::NothingPending)?;
    jeton_core::vault::write_file_atomically(&path, bytes)?;
    Ok(ExportDone {
        written: true,
        file: Some(file_name(&path)),
        accounts: count - exported.left_out.len(),
        left_out: labels(exported.left_out),
    })
}

/// The transfer QR codes for "Move to a phone" (they hold the keys: behind the
/// `reveal` capability).
pub fn transfer_codes(vault: &VaultState) -> Result<TransferCodes, AppError> {
    let exported = vault.with(|v| Ok(export::google_transfer(&v.accounts())?))?;
    let codes = exported
        .parts
        .iter()
        .map(|link| qr::matrix(link))
        .collect::<Result<_, _>>()?;
    Ok(TransferCodes {
        codes,
        left_out: labels(exported.left_out),
    })
}

fn labels(left_out: Vec<(String, String)>) -> Vec<String> {
    left_out.into_iter().map(|(label, _)| label).collect()
}

// ---------------------------------------------------------------------------
// Recovery.

/// Where a recovery stands.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RecoverStep {
    /// The user closed the dialog.
    Cancelled,
    /// The backup is encrypted: ask for its password and call again.
    PasswordNeeded,
    /// The accounts are back.
    Restored {
        /// Where the unreadable vault was kept.
        moved_aside: Option<String>,
        /// Accounts restored (in use and in the trash).
        restored: usize,
        /// Entries of the backup that could not be read.
        skipped: usize,
    },
}

/// Restores the unreadable vault from a backup the user chooses (the first call
/// shows the dialog; a call with the password follows when it is encrypted).
pub fn recover(
    app: &AppHandle,
    vault: &VaultState,
    flows: &BackupFlows,
    password: Option<&str>,
    title: &str,
) -> Result<RecoverStep, AppError> {
    let slot = &mut *lock(&flows.recovery);
    if slot.is_none() || password.is_none() {
        let Some(path) = dialogs::choose(app, title, Choice::Open) else {
            *slot = None;
            return Ok(RecoverStep::Cancelled);
        };
        *slot = Some(read_file(&path)?);
    }
    let bytes = slot.as_ref().ok_or(AppError::NothingPending)?;
    let data_dir = default_data_dir()?;
    let outcome = vault.replace_with(|| {
        let recovered =
            backup::recover::recover(&data_dir, Arc::new(SystemKeychain), bytes, password)?;
        let step = RecoverStep::Restored {
            moved_aside: recovered
                .moved_aside
                .as_ref()
                .map(|p| p.display().to_string()),
            restored: recovered.report.added.len(),
            skipped: recovered.skipped.len(),
        };
        Ok((recovered.vault, step))
    });
    match outcome {
        Err(AppError::Core(jeton_core::Error::Backup(BackupError::PasswordNeeded))) => {
            Ok(RecoverStep::PasswordNeeded)
        }
        Err(AppError::Core(jeton_core::Error::Backup(BackupError::WrongPassword))) => {
            Err(BackupError::WrongPassword.into())
        }
        Err(error) => {
            *slot = None;
            Err(error)
        }
        Ok(step) => {
            *slot = None;
            Ok(step)
        }
    }
}

/// Forgets the backup chosen for a recovery.
pub fn recover_cancel(flows: &BackupFlows) {
    *lock(&flows.recovery) = None;
}

// ---------------------------------------------------------------------------

/// Reads a file the user chose, refusing what is larger than any real export.
fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, AppError> {
    let unreadable = |e: std::io::Error| AppError::File(file_name(path), e.to_string());
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(limits::MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    limits::check_size(bytes.len() as u64).map_err(jeton_core::Error::from)?;
    Ok(bytes)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
