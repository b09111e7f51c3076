//! andOTP backups: plain JSON, encrypted (PBKDF2 + AES-GCM) and the old encrypted format.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// andOTP backups: plain JSON, encrypted (PBKDF2 + AES-GCM) and the old encrypted format.
pub struct AndOtpPlain;

impl Importer for AndOtpPlain {
    fn name(&self) -> &'static str {
        "andotp"
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

/// andOTP backups: plain JSON, encrypted (PBKDF2 + AES-GCM) and the old encrypted format.
pub struct AndOtpEncrypted;

impl Importer for AndOtpEncrypted {
    fn name(&self) -> &'static str {
        "andotp-encrypted"
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
