//! 2FAS backups (.2fas, schema 1–4), plain or encrypted.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// 2FAS backups (.2fas, schema 1–4), plain or encrypted.
pub struct TwoFas;

impl Importer for TwoFas {
    fn name(&self) -> &'static str {
        "2fas"
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
