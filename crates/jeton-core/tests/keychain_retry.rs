//! S-3: the real keychain (run inside `scripts/with-session`) that is not there
//! when Jeton first asks, then appears, is found without restarting Jeton.
//!
//! Its own test binary: it points the process's session bus somewhere dead, which
//! no other test may see.

use std::sync::Arc;

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::{uri, Vault};

#[test]
fn a_keychain_missing_at_first_use_is_found_once_it_is_there() {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS")
        .expect("run inside scripts/with-session (a private D-Bus session)");
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/jeton-no-bus",
    );
    let err = SystemKeychain.load("no-such-vault").unwrap_err();
    assert_eq!(err.code(), "keychain.unavailable", "{err}");
    let mut vault = Vault::open(dir.path(), Arc::new(SystemKeychain)).unwrap();
    let link = "otpauth://totp/Retry:me?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let err = vault.add(uri::parse(link).unwrap()).unwrap_err();
    assert_eq!(err.code(), "keychain.unavailable", "{err}");
    assert!(!dir.path().join(jeton_core::vault::VAULT_FILE).exists());

    // The Secret Service is there now (the bus comes back): same process, same
    // handle, and it works.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", bus);
    assert!(SystemKeychain.load("no-such-vault").unwrap().is_none());
    vault.add(uri::parse(link).unwrap()).unwrap();
    let id = vault.id().unwrap().to_string();
    assert!(SystemKeychain.load(&id).unwrap().is_some());
    assert_eq!(
        Vault::open(dir.path(), Arc::new(SystemKeychain))
            .unwrap()
            .accounts()
            .len(),
        1
    );
    SystemKeychain.delete(&id).unwrap();
}
