//! Where the vault key lives: the OS keychain (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows) through `keyring`; on Android the
//! Keystore-backed store and on iOS the protected-data keychain, through
//! `keyring-core` (the private `platform` module holds the difference).
//! [`MemoryKeyStore`] is a stand-in for tests, with the keychain's failures on demand.
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

// The keychain entry type of this platform, and how to get one.
//
// - Linux and the BSDs: the Secret Service store (zbus), built here through
//   `keyring-core` and kept once it opens. `keyring`'s v1 mode would build it once
//   in a `LazyLock` and keep a failure for the life of the process, so a
//   gnome-keyring started after Jeton was never seen; here a failed open is
//   retried on the next call, and a store that stops answering is rebuilt. The
//   `label` modifier gives the item a name people can read in Seahorse.
// - macOS and Windows: `keyring`'s v1 store, which picks the platform store.
// - Android and iOS: `keyring` v1 does not cover them, so the store is built here
//   too, once it opens (on Android it needs the app's `ndk-context`, which the
//   app sets up at start; until then opening fails and is retried).
//
// All return `keyring_core` entries.
/// The platform's credential store, kept once it opens (a failed open is not kept).
#[cfg(any(
    target_os = "android",
    target_os = "ios",
    all(unix, not(target_os = "macos"))
))]
mod store_slot {
    use std::sync::{Arc, Mutex};

    use keyring_core::{CredentialStore, Error};

    static STORE: Mutex<Option<Arc<CredentialStore>>> = Mutex::new(None);

    /// The store, opened now if it is not open yet (a failure is not kept).
    pub fn get(
        open: fn() -> Result<Arc<CredentialStore>, Error>,
    ) -> Result<Arc<CredentialStore>, Error> {
        let mut slot = STORE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match slot.as_ref() {
            Some(store) => Ok(Arc::clone(store)),
            None => Ok(Arc::clone(slot.insert(open()?))),
        }
    }

    /// Drops the store, so the next call opens a new one.
    pub fn forget() {
        *STORE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod platform {
    use std::sync::Arc;

    use keyring_core::CredentialStore;
    pub use keyring_core::{Entry, Error};

    pub use super::store_slot::forget as forget_store;

    fn open_store() -> Result<Arc<CredentialStore>, Error> {
        let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
        Ok(store)
    }

    pub fn entry(service: &str, user: &str, label: &str) -> Result<Entry, super::Error> {
        let store = super::store_slot::get(open_store).map_err(super::unavailable)?;
        let modifiers = std::collections::HashMap::from([("label", label)]);
        store
            .build(service, user, Some(&modifiers))
            .map_err(super::keychain_error)
    }
}

#[cfg(not(any(
    target_os = "android",
    target_os = "ios",
    all(unix, not(target_os = "macos"))
)))]
mod platform {
    pub use keyring::Error;
    pub use keyring_core::Entry;

    /// `keyring`'s store on macOS and Windows opens without a service to wait for.
    pub fn forget_store() {}

    pub fn entry(service: &str, user: &str, _label: &str) -> Result<Entry, super::Error> {
        keyring::Entry::new(service, user)
            .map(|entry| entry.inner)
            .map_err(super::keychain_error)
    }
}

#[cfg(any(target_os = "android", target_os = "ios"))]
mod platform {
    use std::sync::Arc;

    use keyring_core::CredentialStore;
    pub use keyring_core::{Entry, Error};

    pub use super::store_slot::forget as forget_store;

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

    pub fn entry(service: &str, user: &str, _label: &str) -> Result<Entry, super::Error> {
        let store = super::store_slot::get(open_store).map_err(super::unavailable)?;
        store
            .build(service, user, None)
            .map_err(super::keychain_error)
    }
}

impl SystemKeychain {
    fn entry(&self, vault_id: &str) -> Result<platform::Entry> {
        platform::entry(SERVICE, &user_name(vault_id), label(vault_id))
    }

    /// A call failed: if it was because no keychain answered, open a new store
    /// next time (the old one may hold a dead connection).
    fn failed(error: platform::Error) -> Error {
        let error = keychain_error(error);
        if matches!(error, Error::KeychainUnavailable(_)) {
            platform::forget_store();
        }
        error
    }
}

impl KeyStore for SystemKeychain {
    fn load(&self, vault_id: &str) -> Result<Option<VaultKey>> {
        let stored = match self.entry(vault_id)?.get_secret() {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(platform::Error::NoEntry) => return Ok(None),
            Err(other) => return Err(Self::failed(other)),
        };
        key_from_bytes(&stored).map(Some)
    }

    fn store(&self, vault_id: &str, key: &VaultKey) -> Result<()> {
        self.entry(vault_id)?
            .set_secret(key.as_slice())
            .map_err(Self::failed)
    }

    fn delete(&self, vault_id: &str) -> Result<()> {
        match self.entry(vault_id)?.delete_credential() {
            Ok(()) | Err(platform::Error::NoEntry) => Ok(()),
            Err(other) => Err(Self::failed(other)),
        }
    }
}

#[cfg(not(any(target_os = "android", target_os = "ios")))]
const NO_STORE: &str = "no Secret Service answered on the session bus";
#[cfg(any(target_os = "android", target_os = "ios"))]
const NO_STORE: &str = "the system keystore could not be opened";

/// The store could not be opened at all: there is no keychain (yet).
#[cfg(any(
    target_os = "android",
    target_os = "ios",
    all(unix, not(target_os = "macos"))
))]
fn unavailable(error: keyring_core::Error) -> Error {
    Error::KeychainUnavailable(format!("{NO_STORE}: {error}"))
}

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

/// A fault [`MemoryKeyStore`] can be told to show, the ways real keychains fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No keychain answers (no Secret Service yet): every call fails with
    /// [`Error::KeychainUnavailable`] until the fault is cleared.
    Unavailable,
    /// The keychain is locked: every call fails with [`Error::KeychainLocked`].
    Locked,
    /// The user or the keychain refuses to store: `store` fails with
    /// [`Error::Keychain`]; reads still work.
    Refused,
    /// Every entry has gone (a reset or tidied keychain): `load` finds nothing.
    Missing,
    /// Every entry holds 31 bytes instead of a key: `load` fails with
    /// [`Error::KeyCorrupt`].
    Corrupt,
    /// `store` reports success but keeps nothing.
    Forgetful,
}

/// A key store in memory, for tests: no D-Bus, and faults on demand
/// ([`MemoryKeyStore::set_fault`]), so each way a keychain fails can be tested
/// without breaking a real one. Not for real use: its keys die with the process.
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    state: std::sync::Mutex<MemoryState>,
}

#[derive(Debug, Default)]
struct MemoryState {
    keys: std::collections::HashMap<String, Zeroizing<Vec<u8>>>,
    fault: Option<Fault>,
    stored: Vec<String>,
}

impl MemoryKeyStore {
    /// An empty store with no fault.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes every later call show `fault` (`None`: work normally again).
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state().fault = fault;
    }

    /// The vault ids whose keys were stored (successfully or not kept), in order.
    pub fn stored_ids(&self) -> Vec<String> {
        self.state().stored.clone()
    }

    /// True when an entry exists for `vault_id` (whatever the fault).
    pub fn contains(&self, vault_id: &str) -> bool {
        self.state().keys.contains_key(vault_id)
    }

    /// Puts raw bytes in an entry, as a damaged or foreign keychain item would.
    pub fn put_raw(&self, vault_id: &str, bytes: &[u8]) {
        self.state()
            .keys
            .insert(vault_id.to_string(), Zeroizing::new(bytes.to_vec()));
    }

    /// Removes an entry, as a user tidying their keychain would.
    pub fn remove(&self, vault_id: &str) {
        self.state().keys.remove(vault_id);
    }

    fn check(fault: Option<Fault>) -> Result<()> {
        match fault {
            Some(Fault::Unavailable) => Err(Error::KeychainUnavailable(
                "the in-memory test keychain is unavailable".into(),
            )),
            Some(Fault::Locked) => Err(Error::KeychainLocked(
                "the in-memory test keychain is locked".into(),
            )),
            _ => Ok(()),
        }
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, vault_id: &str) -> Result<Option<VaultKey>> {
        let state = self.state();
        Self::check(state.fault)?;
        match (state.fault, state.keys.get(vault_id)) {
            (Some(Fault::Missing), _) | (_, None) => Ok(None),
            (Some(Fault::Corrupt), Some(bytes)) => {
                key_from_bytes(&bytes[..bytes.len().min(31)]).map(Some)
            }
            (_, Some(bytes)) => key_from_bytes(bytes).map(Some),
        }
    }

    fn store(&self, vault_id: &str, key: &VaultKey) -> Result<()> {
        let mut state = self.state();
        Self::check(state.fault)?;
        if state.fault == Some(Fault::Refused) {
            return Err(Error::Keychain(
                "the in-memory test keychain refused to store the key".into(),
            ));
        }
        state.stored.push(vault_id.to_string());
        if state.fault != Some(Fault::Forgetful) {
            state
                .keys
                .insert(vault_id.to_string(), Zeroizing::new(key.to_vec()));
        }
        Ok(())
    }

    fn delete(&self, vault_id: &str) -> Result<()> {
        let mut state = self.state();
        Self::check(state.fault)?;
        state.keys.remove(vault_id);
        Ok(())
    }
}

/// A key from the bytes of a keychain entry: exactly 32 of them, or
/// [`Error::KeyCorrupt`].
fn key_from_bytes(bytes: &[u8]) -> Result<VaultKey> {
    let mut key: VaultKey = Zeroizing::new([0; 32]);
    if bytes.len() != key.len() {
        return Err(Error::KeyCorrupt);
    }
    key.copy_from_slice(bytes);
    Ok(key)
}
