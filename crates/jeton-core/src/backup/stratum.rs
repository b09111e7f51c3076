//! Stratum / Authenticator Pro backups: JSON, encrypted (strong and legacy) and HTML.
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// Stratum / Authenticator Pro backups: JSON, encrypted (strong and legacy) and HTML.
pub struct StratumEncrypted;

impl Importer for StratumEncrypted {
    fn name(&self) -> &'static str {
        "stratum-encrypted"
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

/// Stratum / Authenticator Pro backups: JSON, encrypted (strong and legacy) and HTML.
pub struct StratumJson;

impl Importer for StratumJson {
    fn name(&self) -> &'static str {
        "stratum"
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

/// Stratum / Authenticator Pro backups: JSON, encrypted (strong and legacy) and HTML.
pub struct StratumHtml;

impl Importer for StratumHtml {
    fn name(&self) -> &'static str {
        "stratum-html"
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
