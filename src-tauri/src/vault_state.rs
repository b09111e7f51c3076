//! The app's handle on the vault: opened on first use (so a locked keychain at
//! start-up is an error the UI can show and retry, not a crash), then kept open.
//! Every use first re-reads the file if the CLI or another process changed it.
//!
//! After every change the core writes an automatic backup (when they are set up);
//! its outcome is taken here, once for every command, and a failure is kept until
//! a later backup succeeds, for `backup_status` to report. So the commands that
//! change the vault stay one line, and the page asks `backup_status` after each.

use std::sync::{Mutex, MutexGuard};

use jeton_core::Vault;
use serde::Serialize;

use crate::AppError;

/// The vault, once it could be opened, and the last automatic backup failure.
#[derive(Debug, Default)]
pub struct VaultState {
    vault: Mutex<Option<Vault>>,
    backup_failure: Mutex<Option<ErrorView>>,
}

/// An error as the page receives it: `{code, message}` (translated by `code`).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    /// Stable key ("backup.folder").
    code: String,
    /// The English text.
    message: String,
}

impl ErrorView {
    /// The view of a core error.
    pub fn of(error: &jeton_core::Error) -> Self {
        ErrorView {
            code: error.code().to_string(),
            message: error.to_string(),
        }
    }

    /// A recorded error: its code when known, else "unknown".
    pub fn new(code: Option<&str>, message: String) -> Self {
        ErrorView {
            code: code.unwrap_or("unknown").to_string(),
            message,
        }
    }
}

impl VaultState {
    /// Runs `action` on the up-to-date vault, opening it first if needed.
    pub fn with<T>(
        &self,
        action: impl FnOnce(&mut Vault) -> jeton_core::Result<T>,
    ) -> Result<T, AppError> {
        let mut slot = lock(&self.vault);
        let vault = match slot.as_mut() {
            Some(vault) => {
                vault.refresh()?;
                vault
            }
            None => slot.insert(Vault::open_default()?),
        };
        let outcome = action(vault);
        if let Some(backup) = vault.take_backup_outcome() {
            self.note_backup(backup.err().as_ref());
        }
        Ok(outcome?)
    }

    /// The current code of the account in use with this id (copied or typed).
    pub fn current_code(&self, id: uuid::Uuid) -> Result<String, AppError> {
        self.with(|v| v.in_use(id)?.code_at(jeton_core::otp::now()))
    }

    /// Writes an automatic backup now (if they are set up), noting its outcome.
    pub fn back_up_now(&self) -> Result<(), AppError> {
        let outcome = self.with(|v| Ok(v.backup_now()))?;
        self.note_backup(outcome.err().as_ref());
        Ok(())
    }

    /// Replaces the vault by the one `make` returns (a recovery), under the lock so
    /// no command opens the old one meanwhile.
    pub fn replace_with<T>(
        &self,
        make: impl FnOnce() -> jeton_core::Result<(Vault, T)>,
    ) -> Result<T, AppError> {
        let mut slot = lock(&self.vault);
        let (mut vault, value) = make()?;
        if let Some(backup) = vault.take_backup_outcome() {
            self.note_backup(backup.err().as_ref());
        }
        *slot = Some(vault);
        Ok(value)
    }

    /// Takes the vault's lock if it is free: while the guard lives, no command of
    /// this process reads or writes the vault (held across a restart, so none is
    /// cut short). None while another thread uses it.
    pub fn try_hold(&self) -> Option<MutexGuard<'_, Option<Vault>>> {
        match self.vault.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// The last automatic backup failure of this session, if no backup succeeded since.
    pub fn backup_failure(&self) -> Option<ErrorView> {
        lock(&self.backup_failure).clone()
    }

    fn note_backup(&self, failure: Option<&jeton_core::Error>) {
        *lock(&self.backup_failure) = failure.map(ErrorView::of);
    }
}

/// A panic in another command cannot leave the vault half-changed (the core
/// writes atomically), so a poisoned lock is simply taken over.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
