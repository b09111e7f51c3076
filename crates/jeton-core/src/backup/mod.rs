//! Backups, import and export: one module per file format behind one trait, used
//! the same way by the app and the CLI (as GNOME Authenticator's `backup/` does).
//!
//! Why it is built this way:
//! - Formats are recognised from the content, never from the file name: people
//!   rename exports, and a wrong guess must not pass for a wrong password.
//! - Reading a file yields one [`ImportEntry`] per account it holds: either an
//!   [`Account`] ready to add, or the reason it cannot be (mOTP, a bad secret…),
//!   so nothing is ever dropped silently and the preview can show everything.
//! - Hostile input is normal input: every size, count and key-derivation cost a
//!   file states is checked against [`limits`] before it is used.
//! - Nothing here writes the vault: [`crate::Vault::add_new`] adds what the user
//!   confirmed, in one atomic write, skipping duplicates.

use serde::Serialize;

use crate::account::Account;
use crate::error::Error;
use crate::otp::{OtpParams, Secret};

pub mod aegis;
pub mod auto;
pub mod crypto;
pub mod error;
pub mod export;
pub mod jeton;
pub mod limits;
pub mod recover;

mod andotp;
mod bitwarden;
mod ente;
mod freeotp;
mod freeotp_v2;
mod keepass;
mod lastpass;
mod more;
mod proton;
mod raivo;
#[cfg(target_os = "linux")]
mod sqlite;
mod stratum;
mod twofas;
mod uri_list;

pub use error::BackupError;

/// A file to import, with its content pre-read once for every format's check.
pub struct Input<'a> {
    /// The raw bytes.
    pub bytes: &'a [u8],
    /// The bytes as UTF-8 text (a leading BOM removed), when they are.
    pub text: Option<&'a str>,
    /// The text parsed as JSON, when it is.
    pub json: Option<serde_json::Value>,
    /// For an SQLite file: the columns of the tables its importers look for,
    /// read on the first check (opening the database once for all of them).
    #[cfg(target_os = "linux")]
    sqlite_columns: std::sync::OnceLock<Vec<(&'static str, Vec<String>)>>,
}

impl<'a> Input<'a> {
    /// Prepares `bytes` for detection, after the size check.
    pub fn new(bytes: &'a [u8]) -> Result<Self, BackupError> {
        limits::check_size(bytes.len() as u64)?;
        let text = std::str::from_utf8(bytes)
            .ok()
            .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
        let json = text
            .filter(|t| t.trim_start().starts_with(['{', '[']))
            .and_then(|t| serde_json::from_str(t).ok());
        Ok(Input {
            bytes,
            text,
            json,
            #[cfg(target_os = "linux")]
            sqlite_columns: std::sync::OnceLock::new(),
        })
    }

    /// The content as JSON, or "this <format> file is not JSON" (`format` names it).
    pub(crate) fn json_of(&self, format: &str) -> Result<&serde_json::Value, BackupError> {
        self.json
            .as_ref()
            .ok_or_else(|| BackupError::damaged(format!("this {format} file is not JSON")))
    }

    /// The columns of the tables the SQLite importers look for (none when the
    /// bytes are not an SQLite database).
    #[cfg(target_os = "linux")]
    pub(crate) fn sqlite_columns(&self) -> &[(&'static str, Vec<String>)] {
        self.sqlite_columns
            .get_or_init(|| sqlite::known_tables(self.bytes))
    }
}

/// One file format Jeton can import.
pub trait Importer: Sync {
    /// The stable name used by `--format` and in `jeton import --json`.
    fn name(&self) -> &'static str;
    /// True when the content is of this format (cheap; no password needed).
    fn detect(&self, input: &Input) -> bool;
    /// Reads every entry. `password` is `None` when the user gave none; an encrypted
    /// file then fails with [`BackupError::PasswordNeeded`].
    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError>;
}

/// One account found in a file: ready to add, or skipped with its reason.
#[derive(Debug)]
pub struct ImportEntry {
    /// Issuer as the file names it (also for a skipped entry).
    pub issuer: String,
    /// Account name as the file names it.
    pub account: String,
    /// The account, or why it cannot be imported.
    pub outcome: Result<Account, Error>,
}

impl ImportEntry {
    /// A readable entry.
    pub fn ok(account: Account) -> Self {
        ImportEntry {
            issuer: account.issuer.clone(),
            account: account.name.clone(),
            outcome: Ok(account),
        }
    }

    /// An entry that cannot be imported, and why.
    pub fn skipped(issuer: &str, account: &str, reason: Error) -> Self {
        ImportEntry {
            issuer: issuer.trim().to_string(),
            account: account.trim().to_string(),
            outcome: Err(reason),
        }
    }

    /// An entry of an unsupported kind (mOTP, Yandex…): skipped with that reason.
    pub fn unsupported(issuer: &str, account: &str, reason: impl Into<String>) -> Self {
        Self::skipped(
            issuer,
            account,
            Error::Backup(BackupError::UnsupportedEntry(reason.into())),
        )
    }

    /// Builds the entry from its parts; a bad secret or parameter skips it.
    pub fn build(
        issuer: &str,
        account: &str,
        secret: crate::Result<Secret>,
        params: OtpParams,
    ) -> Self {
        match secret.and_then(|secret| Account::new(issuer, account, secret, params)) {
            Ok(account) => Self::ok(account),
            Err(reason) => Self::skipped(issuer, account, reason),
        }
    }

    /// Reads an `otpauth://` (or `steam://`) link; a bad one is skipped with its
    /// reason, under the names its label shows.
    pub fn from_link(link: &str) -> Self {
        match crate::uri::parse(link.trim()) {
            Ok(account) => Self::ok(account),
            Err(reason) => {
                let (issuer, account) = crate::uri::label_names(link);
                Self::skipped(&issuer, &account, reason)
            }
        }
    }
}

/// What a file holds, once read.
#[derive(Debug)]
pub struct Imported {
    /// The format's name.
    pub format: &'static str,
    /// Every entry, in the file's order.
    pub entries: Vec<ImportEntry>,
}

impl Imported {
    /// The readable accounts, in the file's order.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.entries.iter().filter_map(|e| e.outcome.as_ref().ok())
    }

    /// Takes the readable accounts out.
    pub fn into_accounts(self) -> Vec<Account> {
        self.entries
            .into_iter()
            .filter_map(|e| e.outcome.ok())
            .collect()
    }
}

/// Names and reason of a skipped entry, as the CLI's JSON and the app show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedEntry {
    /// Issuer.
    pub issuer: String,
    /// Account name.
    pub account: String,
    /// Why it was skipped (English).
    pub reason: String,
    /// The reason's stable key, for translation.
    pub code: &'static str,
}

/// Every format Jeton reads, in the order their checks run (most specific first).
fn importers() -> &'static [&'static dyn Importer] {
    &[
        &jeton::JetonBackup,
        &keepass::KeePass,
        #[cfg(target_os = "linux")]
        &sqlite::GoogleAuthenticatorDb,
        #[cfg(target_os = "linux")]
        &sqlite::MicrosoftAuthenticatorDb,
        #[cfg(target_os = "linux")]
        &sqlite::StratumDb,
        &freeotp_v2::FreeOtpV2,
        &raivo::Raivo,
        &more::AuthenticatorPlus,
        &stratum::StratumEncrypted,
        &aegis::Aegis,
        &twofas::TwoFas,
        &bitwarden::BitwardenJson,
        &ente::EnteEncrypted,
        &proton::Proton,
        &stratum::StratumJson,
        &freeotp::FreeOtpPlus,
        &more::Steam,
        &more::Duo,
        &lastpass::LastPass,
        &andotp::AndOtpPlain,
        &bitwarden::BitwardenCsv,
        &stratum::StratumHtml,
        &more::FreeOtpXml,
        &more::Authy,
        &more::BattleNet,
        &more::TotpAuthenticatorXml,
        &uri_list::UriList,
        &more::TotpAuthenticator,
        &andotp::AndOtpEncrypted,
    ]
}

/// The names `--format` accepts.
pub fn format_names() -> Vec<&'static str> {
    importers().iter().map(|f| f.name()).collect()
}

/// Reads a file to import: the format is `format` when given, else recognised from
/// the content. Fails as a whole only when the file cannot be read at all.
pub fn read(
    bytes: &[u8],
    format: Option<&str>,
    password: Option<&str>,
) -> Result<Imported, BackupError> {
    let input = Input::new(bytes)?;
    let importer = match format {
        Some(name) => *importers()
            .iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| BackupError::UnknownFormatName(name.to_string()))?,
        None => *importers()
            .iter()
            .find(|f| f.detect(&input))
            .ok_or(BackupError::UnknownFormat)?,
    };
    let entries = importer.read(&input, password)?;
    limits::check_entries(entries.len())?;
    Ok(Imported {
        format: importer.name(),
        entries,
    })
}

/// Reads a file that must be JSON of the given shape (for formats that use serde).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, BackupError> {
    serde_json::from_slice(bytes).map_err(BackupError::damaged)
}

/// The password, or the error that the file needs one.
pub(crate) fn need_password(password: Option<&str>) -> Result<&str, BackupError> {
    password
        .filter(|p| !p.is_empty())
        .ok_or(BackupError::PasswordNeeded)
}

/// Standard Base64 (padding optional, blanks ignored), as most exports write it.
pub(crate) fn base64(text: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    let cleaned: zeroize::Zeroizing<Vec<u8>> = zeroize::Zeroizing::new(
        text.bytes()
            .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
            .collect(),
    );
    data_encoding::BASE64_NOPAD
        .decode(&cleaned)
        .or_else(|_| data_encoding::BASE64URL_NOPAD.decode(&cleaned))
        .map(zeroize::Zeroizing::new)
        .map_err(|_| BackupError::damaged("invalid Base64"))
}

/// Lower- or upper-case hex.
pub(crate) fn hex(text: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .map(zeroize::Zeroizing::new)
        .map_err(|_| BackupError::damaged("invalid hex"))
}
