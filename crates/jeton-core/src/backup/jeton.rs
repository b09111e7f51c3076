//! Jeton's own backup format (docs/backup-format.md).

use super::{BackupError, ImportEntry, Importer, Input};

/// Jeton's encrypted backup file.
pub struct JetonBackup;

impl Importer for JetonBackup {
    fn name(&self) -> &'static str {
        "jeton"
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
