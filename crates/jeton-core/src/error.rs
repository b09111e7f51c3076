//! The one error type of the core.
//!
//! Every failure a user can meet is a variant here with an English message and a
//! stable `code()` key, so the CLI can print the message and the app can show a
//! translated one without parsing text.

use serde::ser::SerializeStruct;

/// Everything that can go wrong in Jeton's core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is not an `otpauth://` (or `steam://`) link. Holds the scheme found,
    /// only when it looks like one (never the rest of the text: it may be a secret).
    #[error("not an otpauth link: it must start with otpauth:// (found {0:?})")]
    WrongScheme(String),
    /// The link could not be parsed as a URI at all.
    #[error("the otpauth link is malformed: {0}")]
    MalformedUri(String),
    /// The OTP type is neither totp, hotp nor steam.
    #[error("unknown OTP type {0:?}: expected totp, hotp or steam")]
    UnknownType(String),
    /// The secret is absent or empty.
    #[error("the secret is missing or empty")]
    MissingSecret,
    /// The secret is not valid Base32.
    #[error("the secret is not valid Base32 (letters A–Z and digits 2–7): {0}")]
    InvalidSecret(String),
    /// The hash algorithm is not one Jeton supports.
    #[error("unsupported algorithm {0:?}: expected SHA1, SHA256 or SHA512")]
    UnsupportedAlgorithm(String),
    /// The number of digits is out of range.
    #[error("digits must be a number from {min} to {max} (found {found:?})")]
    DigitsOutOfRange {
        /// What was given.
        found: String,
        /// Smallest accepted value.
        min: u8,
        /// Largest accepted value.
        max: u8,
    },
    /// The period is not a positive number of seconds.
    #[error("the period must be a whole number of seconds from 1 to {max} (found {found:?})")]
    PeriodOutOfRange {
        /// What was given.
        found: String,
        /// Largest accepted value.
        max: u64,
    },
    /// The HOTP counter is not a valid number.
    #[error("the counter must be a whole number from 0 (found {0:?})")]
    InvalidCounter(String),
    /// The input is larger than any real enrolment link or file.
    #[error("the input is too large ({size} bytes; the limit is {limit})")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// Largest accepted size.
        limit: usize,
    },
    /// A Google Authenticator transfer link could not be read.
    #[error("the Google Authenticator transfer link is invalid: {0}")]
    InvalidMigration(String),
    /// An account with the same secret is already in the vault.
    #[error("this account is already in Jeton as {issuer_account} ({id})")]
    Duplicate {
        /// Id of the account already present.
        id: uuid::Uuid,
        /// "Issuer: account" of the account already present.
        issuer_account: String,
    },
    /// No account (or no single account) matches the id given.
    #[error("no account matches {0:?}")]
    NotFound(String),
    /// More than one account matches an id prefix.
    #[error("{0:?} matches more than one account: give more of the id")]
    Ambiguous(String),
    /// The operation needs an HOTP account.
    #[error("this account is not counter-based (HOTP)")]
    NotHotp,
    /// The vault file exists but its key is not in the OS keychain.
    #[error(
        "the key for the vault {vault} is missing from the OS keychain; the vault is untouched. \
         Restore the keychain (or its backup) that held the entry \"{entry}\", then try again"
    )]
    KeyMissing {
        /// Path of the vault file.
        vault: String,
        /// The keychain entry's name.
        entry: String,
    },
    /// The keychain refused access (locked, or permission denied).
    #[error(
        "the OS keychain is locked or refused access: unlock it (log in again) and retry ({0})"
    )]
    KeychainLocked(String),
    /// No keychain service is running or reachable.
    #[error(
        "no OS keychain is available: on Linux, start a Secret Service such as gnome-keyring \
         or KeePassXC in your session ({0})"
    )]
    KeychainUnavailable(String),
    /// Any other keychain failure.
    #[error("the OS keychain failed: {0}")]
    Keychain(String),
    /// The entry in the keychain is not a Jeton key.
    #[error("the keychain entry for this vault does not hold a valid key; the vault is untouched")]
    KeyCorrupt,
    /// The vault does not decrypt or parse; it is left as it is.
    #[error(
        "the vault {0} cannot be decrypted or read (wrong key or damaged file); it was not changed"
    )]
    VaultCorrupt(String),
    /// The vault was written by a newer Jeton.
    #[error("the vault was written by a newer version of Jeton (format {0}); update Jeton")]
    VaultTooNew(u16),
    /// A change would make the vault larger than Jeton opens; nothing was written.
    #[error(
        "the vault would be {size} bytes, more than the {limit} Jeton can open again; \
         nothing was changed (shorten very long names or notes, or remove accounts)"
    )]
    VaultTooLarge {
        /// Size the vault file would have had.
        size: u64,
        /// Largest vault file Jeton reads.
        limit: u64,
    },
    /// A file-system operation failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Which file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The data folder is not private to the user (another owner, or others can
    /// write to it); nothing was written there.
    #[error(
        "the data folder {path} is not private to you: {reason}. Jeton writes nothing \
         there; make it yours with mode 700 (chmod 700 \"{path}\"), or set JETON_DATA_DIR \
         to a private folder"
    )]
    UnsafeDataDir {
        /// The folder.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No per-user data directory could be found.
    #[error("no data directory: set JETON_DATA_DIR or HOME")]
    NoDataDir,
    /// Another Jeton (the app or the CLI) has held the vault's lock for seconds.
    #[error("another Jeton is writing the vault and has not finished; nothing was changed: try again in a moment")]
    VaultBusy,
    /// An issuer or account name is longer than Jeton keeps.
    #[error("the name is too long ({length} characters; the most is {max})")]
    NameTooLong {
        /// Its length in characters.
        length: usize,
        /// The most allowed.
        max: usize,
    },
    /// The settings file cannot be read; it is left as it is.
    #[error("the settings file {0} is damaged; fix or remove it")]
    SettingsCorrupt(String),
    /// A backup, import or export failed.
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
}

impl Error {
    /// A stable key for this error, used by the UI to pick a translated message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongScheme(_) => "uri.wrong_scheme",
            Error::MalformedUri(_) => "uri.malformed",
            Error::UnknownType(_) => "uri.unknown_type",
            Error::MissingSecret => "secret.missing",
            Error::InvalidSecret(_) => "secret.invalid",
            Error::UnsupportedAlgorithm(_) => "otp.unsupported_algorithm",
            Error::DigitsOutOfRange { .. } => "otp.digits_out_of_range",
            Error::PeriodOutOfRange { .. } => "otp.period_out_of_range",
            Error::InvalidCounter(_) => "otp.invalid_counter",
            Error::TooLarge { .. } => "input.too_large",
            Error::InvalidMigration(_) => "migration.invalid",
            Error::Duplicate { .. } => "vault.duplicate",
            Error::NotFound(_) => "vault.not_found",
            Error::Ambiguous(_) => "vault.ambiguous",
            Error::NotHotp => "vault.not_hotp",
            Error::KeyMissing { .. } => "keychain.key_missing",
            Error::KeychainLocked(_) => "keychain.locked",
            Error::KeychainUnavailable(_) => "keychain.unavailable",
            Error::Keychain(_) => "keychain.failed",
            Error::KeyCorrupt => "keychain.key_corrupt",
            Error::VaultCorrupt(_) => "vault.corrupt",
            Error::VaultTooNew(_) => "vault.too_new",
            Error::VaultTooLarge { .. } => "vault.too_large",
            Error::Io { .. } => "io.failed",
            Error::UnsafeDataDir { .. } => "io.unsafe_dir",
            Error::NoDataDir => "io.no_data_dir",
            Error::SettingsCorrupt(_) => "settings.corrupt",
            Error::NameTooLong { .. } => "account.name_too_long",
            Error::VaultBusy => "vault.busy",
            Error::Backup(e) => e.code(),
        }
    }

    /// Wraps an I/O error with what was being done and to which file.
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

/// Serialised as `{ "code": ..., "message": ... }` so the UI can translate by code
/// and still show the English detail.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
