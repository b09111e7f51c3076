//! Recovery: a vault whose key is gone (new machine, reset keyring, a tidied
//! Seahorse) gets its accounts back from a backup.
//!
//! The unreadable vault is moved aside, never deleted (its key may turn up again),
//! a new key and vault are made, and the backup's accounts are added as they were,
//! trash included. A vault that opens is never replaced: that is an import.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::BackupError;
use crate::error::{Error, Result};
use crate::keychain::KeyStore;
use crate::vault::{AddReport, Vault, VAULT_FILE};

/// What a recovery did.
#[derive(Debug)]
pub struct Recovered {
    /// Where the unreadable vault was moved, if there was one.
    pub moved_aside: Option<PathBuf>,
    /// The accounts added from the backup (and any duplicates inside it).
    pub report: AddReport,
    /// Entries of the backup that could not be read, with why.
    pub skipped: Vec<super::ImportEntry>,
    /// The format of the file recovered from.
    pub format: &'static str,
    /// The new vault.
    pub vault: Vault,
}

/// True for the errors that mean "this vault cannot be opened here any more".
pub fn is_unreadable(error: &Error) -> bool {
    matches!(
        error,
        Error::KeyMissing { .. } | Error::KeyCorrupt | Error::VaultCorrupt(_)
    )
}

/// Restores the vault in `dir` from `backup` (a Jeton backup, or any export Jeton
/// imports), when the vault there is missing or unreadable.
pub fn recover(
    dir: &Path,
    keystore: Arc<dyn KeyStore>,
    backup: &[u8],
    password: Option<&str>,
) -> Result<Recovered> {
    // Read the backup first: a wrong password must change nothing.
    let imported = super::read(backup, None, password)?;
    let moved_aside = match Vault::open(dir, Arc::clone(&keystore)) {
        Ok(vault) if vault.id().is_some() => return Err(BackupError::NothingToRecover.into()),
        Ok(_) => None,
        Err(error) if is_unreadable(&error) => Some(move_aside(dir)?),
        Err(error) => return Err(error),
    };
    let format = imported.format;
    let (accounts, skipped): (Vec<_>, Vec<_>) = imported
        .entries
        .into_iter()
        .partition(|e| e.outcome.is_ok());
    let accounts = accounts
        .into_iter()
        .filter_map(|e| e.outcome.ok())
        .collect();
    let mut vault = Vault::open(dir, Arc::clone(&keystore))?;
    let report = vault.add_new(accounts)?;
    if let Some(password) = password {
        // Backups go on without a new set-up when the keychain lost their key too.
        let _ = super::auto::remember_key(dir, keystore.as_ref(), password);
    }
    Ok(Recovered {
        moved_aside,
        report,
        skipped,
        format,
        vault,
    })
}

/// Renames `vault.jeton` to `vault.jeton.unreadable-<unix time>` (never over
/// another file).
fn move_aside(dir: &Path) -> Result<PathBuf> {
    let vault = dir.join(VAULT_FILE);
    let now = crate::otp::now();
    for n in 0..100u32 {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let aside = dir.join(format!("{VAULT_FILE}.unreadable-{now}{suffix}"));
        if aside.exists() {
            continue;
        }
        std::fs::rename(&vault, &aside).map_err(|e| Error::io("move aside", &vault, e))?;
        return Ok(aside);
    }
    Err(Error::io(
        "move aside",
        &vault,
        std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    ))
}
