//! The app's handle on the vault: opened on first use (so a locked keychain at
//! start-up is an error the UI can show and retry, not a crash), then kept open.
//! Every use first re-reads the file if the CLI or another process changed it.

use std::sync::{Mutex, MutexGuard};

use jeton_core::Vault;

use crate::AppError;

/// The vault, once it could be opened.
#[derive(Debug, Default)]
pub struct VaultState(Mutex<Option<Vault>>);

impl VaultState {
    /// Runs `action` on the up-to-date vault, opening it first if needed.
    pub fn with<T>(
        &self,
        action: impl FnOnce(&mut Vault) -> jeton_core::Result<T>,
    ) -> Result<T, AppError> {
        let mut slot = self.lock();
        let vault = match slot.as_mut() {
            Some(vault) => {
                vault.refresh()?;
                vault
            }
            None => slot.insert(Vault::open_default()?),
        };
        Ok(action(vault)?)
    }

    /// The lock; a panic in another command cannot leave the vault half-changed
    /// (the core writes atomically), so a poisoned lock is simply taken over.
    fn lock(&self) -> MutexGuard<'_, Option<Vault>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
