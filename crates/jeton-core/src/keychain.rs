//! Where the vault key lives: the OS keychain (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows) through `keyring`; on Android the
//! Keystore-backed store and on iOS the protected-data keychain, through
//! `keyring-core` (the private `platform` module holds the difference).
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
    /// Removes the entry: uninstall, tests, and the key of a new vault whose
    /// first write failed. Never called for a vault that exists on disk.
    fn delete(&self, vault_id: &str) -> Result<()>;
    /// How the entry is named, for error messages: its label as the keychain
    /// manager (Seahorse, Keychain Access) shows it, and its id.
    fn entry_name(&self, vault_id: &str) -> String {
        format!("{} ({SERVICE} / {})", label(vault_id), user_name(vault_id))
    }
}

/// The id under which a vault's automatic-backup key is kept (beside its vault key).
pub fn backup_key_id(vault_id: &str) -> String {
    format!("{vault_id}{BACKUP_SUFFIX}")
}

const BACKUP_SUFFIX: &str = ".backup";

fn user_name(vault_id: &str) -> String {
    format!("vault-{vault_id}")
}

/// The label a person sees in their keychain manager: says what the item is and
/// what deleting it does (the default label, `keyring:vault-…@Jeton`, said nothing).
fn label(vault_id: &str) -> &'static str {
    if vault_id.ends_with(BACKUP_SUFFIX) {
        "Jeton backup key (lets Jeton write your backups without asking for their password)"
    } else {
        "Jeton vault key (deleting it makes your Jeton accounts unreadable)"
    }
}

/// The operating system's keychain.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemKeychain;

impl SystemKeychain {
    fn entry(&self, vault_id: &str) -> Result<platform::Entry> {
        platform::entry(SERVICE, &user_name(vault_id), label(vault_id)).map_err(keychain_error)
    }
}

/// The keychain entry type of this platform, and how to get one.
///
/// Desktop: `keyring`'s v1 store, which picks the platform store itself; on Linux
/// the entry is made through `keyring-core` with a `label` modifier, so Seahorse
/// shows what the item is. `keyring` v1 does not cover Android and iOS, so there
/// the store is built here with `keyring-core`, once it opens (on Android it needs
/// the app's `ndk-context`, which the app sets up at start; until then opening
/// fails and is retried on the next call). Both return `keyring_core` entries.
#[cfg(not(any(target_os = "android", target_os = "ios")))]
mod platform {
    pub use keyring::Error;
    pub use keyring_core::Entry;

    pub fn entry(service: &str, user: &str, label: &str) -> Result<Entry, Error> {
        let entry = keyring::Entry::new(service, user)?.inner;
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let modifiers = std::collections::HashMap::from([("label", label)]);
            drop(entry);
            Entry::new_with_modifiers(service, user, &modifiers)
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            let _ = label;
            Ok(entry)
        }
    }
}

#[cfg(any(target_os = "android", target_os = "ios"))]
mod platform {
    use std::sync::{Arc, Mutex};

    use keyring_core::CredentialStore;
    pub use keyring_core::{Entry, Error};

    static STORE: Mutex<Option<Arc<CredentialStore>>> = Mutex::new(None);

    /// The store reads the app's context from `ndk-context`, which panics when the
    /// app has not set it yet: that is "no store (yet)", not a crash.
    #[cfg(target_os = "android")]
    fn open_store() -> Result<Arc<CredentialStore>, Error> {
        match std::panic::catch_unwind(android_native_keyring_store::Store::new) {
            Ok(store) => Ok(store?),
            Err(_) => Err(Error::NoDefaultStore),
        }
    }

    #[cfg(target_os = "ios")]
    fn open_store() -> Result<Arc<CredentialStore>, Error> {
        Ok(apple_native_keyring_store::protected::Store::new()?)
    }

    pub fn entry(service: &str, user: &str, _label: &str) -> Result<Entry, Error> {
        let store = {
            let mut slot = STORE
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match slot.as_ref() {
                Some(store) => Arc::clone(store),
                None => Arc::clone(slot.insert(open_store()?)),
            }
        };
        store.build(service, user, None)
    }
}

impl KeyStore for SystemKeychain {
    fn load(&self, vault_id: &str) -> Result<Option<VaultKey>> {
        let stored = match self.entry(vault_id)?.get_secret() {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(platform::Error::NoEntry) => return Ok(None),
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
            Ok(()) | Err(platform::Error::NoEntry) => Ok(()),
            Err(other) => Err(keychain_error(other)),
        }
    }
}

#[cfg(not(any(target_os = "android", target_os = "ios")))]
const NO_STORE: &str = "no Secret Service answered on the session bus";
#[cfg(any(target_os = "android", target_os = "ios"))]
const NO_STORE: &str = "the system keystore could not be opened";

fn keychain_error(error: platform::Error) -> Error {
    match error {
        platform::Error::NoStorageAccess(e) => Error::KeychainLocked(e.to_string()),
        platform::Error::NoDefaultStore => Error::KeychainUnavailable(NO_STORE.into()),
        platform::Error::PlatformFailure(e) => {
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
