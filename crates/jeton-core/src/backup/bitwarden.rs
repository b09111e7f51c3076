//! Bitwarden and Bitwarden Authenticator exports: JSON (plain or password-protected) and CSV.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// Bitwarden and Bitwarden Authenticator exports: JSON (plain or password-protected) and CSV.
pub struct BitwardenJson;

impl Importer for BitwardenJson {
    fn name(&self) -> &'static str {
        "bitwarden"
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

/// Bitwarden and Bitwarden Authenticator exports: JSON (plain or password-protected) and CSV.
pub struct BitwardenCsv;

impl Importer for BitwardenCsv {
    fn name(&self) -> &'static str {
        "bitwarden-csv"
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
