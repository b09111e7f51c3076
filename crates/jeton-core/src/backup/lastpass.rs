//! LastPass Authenticator JSON export.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// LastPass Authenticator JSON export.
pub struct LastPass;

impl Importer for LastPass {
    fn name(&self) -> &'static str {
        "lastpass"
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
