//! A plain list of otpauth:// links (and Google Authenticator transfer links), one per line.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// A plain list of otpauth:// links (and Google Authenticator transfer links), one per line.
pub struct UriList;

impl Importer for UriList {
    fn name(&self) -> &'static str {
        "otpauth"
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
