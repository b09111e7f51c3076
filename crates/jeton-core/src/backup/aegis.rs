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
