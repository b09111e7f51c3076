//! Shared helpers for the core's integration tests: where the third-party
//! conformance material is, and a vault in a throw-away folder.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::Vault;

mod shared;
#[allow(unused_imports)] // Not every test binary reads ../shared.
pub use shared::shared;

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

/// One account an import must yield, as the fixtures' EXPECTED.md tables list it.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    pub issuer: &'static str,
    pub account: &'static str,
    /// "totp", "hotp" or "steam".
    pub kind: &'static str,
    /// "SHA1", "SHA256" or "SHA512".
    pub algorithm: &'static str,
    pub digits: u8,
    /// The period (TOTP, Steam) or the counter (HOTP).
    pub period_or_counter: u64,
    /// Unpadded upper-case Base32.
    pub secret: &'static str,
}

const fn vector(
    kind: &'static str,
    issuer: &'static str,
    account: &'static str,
    secret: &'static str,
    algorithm: &'static str,
    digits: u8,
    period_or_counter: u64,
) -> Expected {
    Expected {
        issuer,
        account,
        kind,
        algorithm,
        digits,
        period_or_counter,
        secret,
    }
}

/// The 8 reference vectors of Aegis's importer tests (importers/EXPECTED.md).
pub const AEGIS_VECTORS: [Expected; 8] = [
    vector(
        "totp",
        "Deno",
        "Mason",
        "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        "SHA1",
        6,
        30,
    ),
    vector(
        "totp",
        "SPDX",
        "James",
        "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        "SHA256",
        7,
        20,
    ),
    vector(
        "totp",
        "Airbnb",
        "Elijah",
        "7ELGJSGXNCCTV3O6LKJWYFV2RA",
        "SHA512",
        8,
        50,
    ),
    vector(
        "hotp",
        "Issuu",
        "James",
        "YOOMIXWS5GN6RTBPUFFWKTW5M4",
        "SHA1",
        6,
        1,
    ),
    vector(
        "hotp",
        "Air Canada",
        "Benjamin",
        "KUVJJOM753IHTNDSZVCNKL7GII",
        "SHA256",
        7,
        50,
    ),
    vector(
        "hotp",
        "WWE",
        "Mason",
        "5VAML3X35THCEBVRLV24CGBKOY",
        "SHA512",
        8,
        10300,
    ),
    vector(
        "steam",
        "Boeing",
        "Sophia",
        "JRZCL47CMXVOQMNPZR2F7J4RGI",
        "SHA1",
        5,
        30,
    ),
    vector(
        "totp",
        "Battle.net",
        "US-2211-2050-3346",
        "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI",
        "SHA1",
        8,
        30,
    ),
];

/// Reads `../shared/conformance/<folder>/<file>` through the import code
/// (format recognised from the content), or `None` when ../shared is absent.
pub fn import_fixture(
    folder: &str,
    file: &str,
    password: Option<&str>,
) -> Option<jeton_core::backup::Imported> {
    let path = shared("conformance")?.join(folder).join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(
        jeton_core::backup::read(&bytes, None, password)
            .unwrap_or_else(|e| panic!("{file} does not import: {e}")),
    )
}

/// The readable entries are exactly `expected` (matched by secret and kind, in any
/// order), with the same names and parameters; `skipped` entries were skipped.
pub fn assert_entries(
    file: &str,
    imported: &jeton_core::backup::Imported,
    expected: &[Expected],
    skipped: usize,
) {
    let accounts: Vec<_> = imported.accounts().collect();
    let skipped_entries: Vec<_> = imported
        .entries
        .iter()
        .filter(|e| e.outcome.is_err())
        .map(|e| {
            (
                e.issuer.clone(),
                e.account.clone(),
                e.outcome.as_ref().err().map(|r| r.to_string()),
            )
        })
        .collect();
    assert_eq!(
        skipped_entries.len(),
        skipped,
        "{file}: skipped entries: {skipped_entries:?}"
    );
    for want in expected {
        let found = accounts
            .iter()
            .find(|a| {
                a.secret.to_base32().as_str() == want.secret && a.params.kind.as_str() == want.kind
            })
            .unwrap_or_else(|| {
                panic!("{file}: no {} entry with the secret of {want:?}", want.kind)
            });
        let params = &found.params;
        let period_or_counter = if want.kind == "hotp" {
            params.counter
        } else {
            params.period
        };
        assert_eq!(
            (
                found.issuer.as_str(),
                found.name.as_str(),
                params.algorithm.as_str(),
                params.digits,
                period_or_counter
            ),
            (
                want.issuer,
                want.account,
                want.algorithm,
                want.digits,
                want.period_or_counter
            ),
            "{file}: entry {want:?}"
        );
    }
    for account in &accounts {
        assert!(
            expected
                .iter()
                .any(|want| account.secret.to_base32().as_str() == want.secret),
            "{file}: unexpected entry {}",
            account.label()
        );
    }
}
