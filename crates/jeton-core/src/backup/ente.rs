//! Ente Auth encrypted export (Argon2id + libsodium secretstream).
//!
//! TODO: not implemented yet.

use super::{BackupError, ImportEntry, Importer, Input};

/// Ente Auth encrypted export (Argon2id + libsodium secretstream).
pub struct EnteEncrypted;

impl Importer for EnteEncrypted {
    fn name(&self) -> &'static str {
        "ente-encrypted"
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
