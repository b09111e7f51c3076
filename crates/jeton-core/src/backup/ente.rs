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

/// One line of Ente's plain text export (stub until the Ente module lands).
pub(crate) fn entry_from_line(line: &str) -> ImportEntry {
    ImportEntry::from_link(line)
}
