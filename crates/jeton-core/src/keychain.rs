//! Where the vault key lives: the OS keychain (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows), through `keyring`.
//!
//! The key is never created here on a whim: only [`crate::vault`] asks for a new one,
//! and only when no vault file exists yet. A missing or refused key is an error the
//! user can act on, never a reason to start over.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The 256-bit vault key, wiped on drop.
pub type VaultKey = Zeroizing<[u8; 32]>;

/// Service name of Jeton's keychain entries.
pub const SERVICE: &str = "Jeton";

/// A place that keeps vault keys, one per vault id.
pub trait KeyStore: Send + Sync {
    /// The key for `vault_id`, or `None` if there is no such entry.
    fn load(&self, vault_id: &str) -> Result<Option<VaultKey>>;
    /// Stores the key of a brand-new vault.
    fn store(&self, vault_id: &str, key: &VaultKey) -> Result<()>;
    /// Removes the entry (uninstall and tests; never called on a live vault).
    fn delete(&self, vault_id: &str) -> Result<()>;
    /// How the entry is named, for error messages ("Jeton / vault-…").
    fn entry_name(&self, vault_id: &str) -> String {
        format!("{SERVICE} / {}", user_name(vault_id))
    }
}

fn user_name(vault_id: &str) -> String {
    format!("vault-{vault_id}")
}

/// The operating system's keychain.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemKeychain;

impl SystemKeychain {
    fn entry(&self, vault_id: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &user_name(vault_id)).map_err(keychain_error)
    }
}

impl KeyStore for SystemKeychain {
    fn load(&self, vault_id: &str) -> Result<Option<VaultKey>> {
        let stored = match self.entry(vault_id)?.get_secret() {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(other) => return Err(keychain_error(other)),
        };
        let mut key: VaultKey = Zeroizing::new([0; 32]);
        if stored.len() != key.len() {
            return Err(Error::KeyCorrupt);
        }
        key.copy_from_slice(&stored);
        Ok(Some(key))
    }

    fn store(&self, vault_id: &str, key: &VaultKey) -> Result<()> {
        self.entry(vault_id)?
            .set_secret(key.as_slice())
            .map_err(keychain_error)
    }

    fn delete(&self, vault_id: &str) -> Result<()> {
        match self.entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(keychain_error(other)),
        }
    }
}

fn keychain_error(error: keyring::Error) -> Error {
    match error {
        keyring::Error::NoStorageAccess(e) => Error::KeychainLocked(e.to_string()),
        keyring::Error::NoDefaultStore => {
            Error::KeychainUnavailable("no Secret Service answered on the session bus".into())
        }
        keyring::Error::PlatformFailure(e) => {
            let text = e.to_string();
            // zbus reports a missing service or bus as a platform failure.
            if text.contains("ServiceUnknown") || text.contains("DBUS_SESSION_BUS_ADDRESS") {
                Error::KeychainUnavailable(text)
            } else {
                Error::Keychain(text)
            }
        }
        other => Error::Keychain(other.to_string()),
    }
}
