//! Aegis export (JSON vault, plain or encrypted with scrypt + AES-256-GCM).
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// Aegis export (JSON vault, plain or encrypted with scrypt + AES-256-GCM).
pub struct Aegis;

impl Importer for Aegis {
    fn name(&self) -> &'static str {
        "aegis"
    }

    fn detect(&self, _input: &Input) -> bool {
        false
    }

    fn read(
        &self,
        _input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        Err(BackupError::UnknownFormat)
    }
}

/// Aegis vault, unencrypted (stub until the Aegis module lands).
pub fn export_plain(
    _accounts: &[&crate::Account],
) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    Err(BackupError::UnknownFormat)
}

/// Aegis vault, encrypted (stub until the Aegis module lands).
pub fn export_encrypted(
    _accounts: &[&crate::Account],
    _password: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    Err(BackupError::UnknownFormat)
}
