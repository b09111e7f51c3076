//! What can go wrong reading or writing a backup, an import or an export.
//!
//! Its own enum, wrapped by the core's [`crate::Error::Backup`], so the core's list
//! stays about accounts and the vault; each variant has a stable `code()` the UI
//! translates.

/// Everything that can go wrong with a backup, import or export file.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The password does not open the file (authentication tag or check value wrong).
    #[error("wrong password: the file could not be decrypted with it; nothing was changed")]
    WrongPassword,
    /// The file is encrypted and no password was given.
    #[error("this file is encrypted: give its password")]
    PasswordNeeded,
    /// The content matches no format Jeton reads.
    #[error("this file is not an export Jeton can read (unknown format)")]
    UnknownFormat,
    /// `--format` names no format Jeton knows.
    #[error("unknown format name {0:?}")]
    UnknownFormatName(String),
    /// The file is of a known format but damaged or incomplete.
    #[error("the file is damaged or incomplete: {0}")]
    Damaged(String),
    /// The file is larger than any real export.
    #[error("the file is too large ({size} bytes; the limit is {limit})")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The largest accepted.
        limit: u64,
    },
    /// The file lists more entries than Jeton accepts at once.
    #[error("the file holds too many entries ({count}; the limit is {limit})")]
    TooManyEntries {
        /// Entries in the file.
        count: usize,
        /// The largest accepted.
        limit: usize,
    },
    /// The file asks for a key derivation costlier than any real app writes: an
    /// attacker's file could otherwise exhaust memory or time.
    #[error("the file asks for a password check costlier than Jeton allows ({0})")]
    CostTooHigh(String),
    /// A file Jeton recognises but must refuse (with why, and what to do instead).
    #[error("{0}")]
    Unsupported(String),
    /// Why one entry of a file was skipped (the rest is still imported).
    #[error("{0}")]
    UnsupportedEntry(String),
    /// A Jeton backup made by a newer Jeton.
    #[error("this backup was made by a newer version of Jeton (format {0}); update Jeton")]
    TooNew(u16),
    /// Automatic backups are not set up.
    #[error("automatic backups are not set up: run `jeton backup configure --dir DIR`")]
    NotConfigured,
    /// The backup folder is not usable.
    #[error("the backup folder {0} is not usable: {1}")]
    Folder(String, String),
    /// The password given is not acceptable to protect a backup.
    #[error("{0}")]
    WeakPassword(String),
    /// The vault opens fine: there is nothing to recover.
    #[error("the vault opens with its keychain key: nothing to recover (use `jeton import` to add a backup's accounts)")]
    NothingToRecover,
}

impl BackupError {
    /// A stable key for this error, used by the UI to pick a translated message.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::WrongPassword => "backup.wrong_password",
            BackupError::PasswordNeeded => "backup.password_needed",
            BackupError::UnknownFormat => "backup.unknown_format",
            BackupError::UnknownFormatName(_) => "backup.unknown_format_name",
            BackupError::Damaged(_) => "backup.damaged",
            BackupError::TooLarge { .. } => "backup.too_large",
            BackupError::TooManyEntries { .. } => "backup.too_many_entries",
            BackupError::CostTooHigh(_) => "backup.cost_too_high",
            BackupError::Unsupported(_) => "backup.unsupported",
            BackupError::UnsupportedEntry(_) => "backup.unsupported_entry",
            BackupError::TooNew(_) => "backup.too_new",
            BackupError::NotConfigured => "backup.not_configured",
            BackupError::Folder(..) => "backup.folder",
            BackupError::WeakPassword(_) => "backup.weak_password",
            BackupError::NothingToRecover => "backup.nothing_to_recover",
        }
    }

    /// A damaged-file error with what was wrong.
    pub fn damaged(what: impl std::fmt::Display) -> Self {
        BackupError::Damaged(what.to_string())
    }
}
