//! Raivo OTP export: a WinZip-AES ZIP holding raivo-otp-export.json.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// Raivo OTP export: a WinZip-AES ZIP holding raivo-otp-export.json.
pub struct Raivo;

impl Importer for Raivo {
    fn name(&self) -> &'static str {
        "raivo"
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
