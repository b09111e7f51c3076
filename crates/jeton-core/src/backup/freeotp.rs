//! FreeOTP+ JSON export.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// FreeOTP+ JSON export.
pub struct FreeOtpPlus;

impl Importer for FreeOtpPlus {
    fn name(&self) -> &'static str {
        "freeotp-plus"
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
