//! KeePass KDBX 4 databases: entries with an otp field.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// KeePass KDBX 4 databases: entries with an otp field.
pub struct KeePass;

impl Importer for KeePass {
    fn name(&self) -> &'static str {
        "keepass"
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
