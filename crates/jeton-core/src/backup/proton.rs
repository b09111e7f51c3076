//! Proton Authenticator export, plain or encrypted (Argon2id + AES-256-GCM).
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// Proton Authenticator export, plain or encrypted (Argon2id + AES-256-GCM).
pub struct Proton;

impl Importer for Proton {
    fn name(&self) -> &'static str {
        "proton-authenticator"
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
