//! Shared helpers for the core's integration tests: where the third-party
//! conformance material is, and a vault in a throw-away folder.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::Vault;

/// `../shared/<sub>` next to the checkout (or `JETON_SHARED_DIR/<sub>`), if present.
/// Prints a clear note when it is absent so a skipped check is never silent.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let found = std::env::var_os("JETON_SHARED_DIR")
        .map(|d| PathBuf::from(d).join(sub))
        .into_iter()
        .chain(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|dir| dir.join("shared").join(sub)),
        )
        .find(|p| p.exists());
    if found.is_none() {
        eprintln!("NOTE: ../shared/{sub} is absent: this conformance check was SKIPPED");
    }
    found
}

/// Reads a JSON file from the shared conformance folder.
pub fn conformance_json(name: &str) -> Option<serde_json::Value> {
    let path = shared("conformance")?.join(name);
    let text = std::fs::read_to_string(&path).expect("conformance file readable");
    Some(serde_json::from_str(&text).expect("conformance file is JSON"))
}

/// Decodes lower- or upper-case hex.
pub fn hex(text: &str) -> Vec<u8> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .expect("valid hex in test data")
}

/// A vault in a fresh temp folder, using the real OS keychain. Its keychain entry is
/// removed when the guard drops.
pub struct TempVault {
    pub dir: tempfile::TempDir,
}

impl TempVault {
    pub fn new() -> Self {
        TempVault {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn open(&self) -> Vault {
        Vault::open(self.dir.path(), Arc::new(SystemKeychain))
            .expect("vault opens (is a Secret Service running and unlocked? see README: Tests)")
    }

    pub fn file(&self) -> PathBuf {
        self.dir.path().join(jeton_core::vault::VAULT_FILE)
    }
}

impl Drop for TempVault {
    fn drop(&mut self) {
        if let Ok(vault) = Vault::open(self.dir.path(), Arc::new(SystemKeychain)) {
            if let Some(id) = vault.id() {
                let _ = SystemKeychain.delete(&id.to_string());
            }
        }
    }
}
