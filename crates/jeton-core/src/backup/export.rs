//! Exports: the vault written in a format Jeton or another app reads.
//!
//! Why it is built this way: every export is made in memory by the core (the app
//! and the CLI only choose where the bytes go), plaintext buffers are sized
//! exactly and wiped, and accounts a format cannot carry (a 60-second period in a
//! Google transfer) are reported, never silently changed.

use serde::Serialize;
use zeroize::Zeroizing;

use super::BackupError;
use crate::account::Account;
use crate::migration::proto;
use crate::otp::{Algorithm, Kind};

/// The formats Jeton writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Jeton's encrypted backup (docs/backup-format.md).
    Jeton,
    /// Aegis vault, encrypted (scrypt + AES-256-GCM): Aegis, Proton, Ente, Stratum and
    /// GNOME Authenticator read it.
    Aegis,
    /// Aegis vault, unencrypted.
    AegisPlain,
    /// One `otpauth://` link per line, unencrypted.
    Otpauth,
    /// Google Authenticator transfer QR codes (`otpauth-migration://` links).
    Google,
}

impl ExportFormat {
    /// All formats, in the order menus list them.
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Jeton,
        ExportFormat::Aegis,
        ExportFormat::AegisPlain,
        ExportFormat::Otpauth,
        ExportFormat::Google,
    ];

    /// The name used by `--format`.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jeton => "jeton",
            ExportFormat::Aegis => "aegis",
            ExportFormat::AegisPlain => "aegis-plain",
            ExportFormat::Otpauth => "otpauth",
            ExportFormat::Google => "google",
        }
    }

    /// Parses a `--format` name.
    pub fn parse(name: &str) -> Result<Self, BackupError> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| BackupError::UnknownFormatName(name.to_string()))
    }

    /// True when the file holds the keys unprotected.
    pub fn is_plain(self) -> bool {
        matches!(
            self,
            ExportFormat::AegisPlain | ExportFormat::Otpauth | ExportFormat::Google
        )
    }
}

/// What an export made.
#[derive(Debug)]
pub struct Exported {
    /// The file's bytes, or for a Google transfer each QR code's link (one item each).
    pub parts: Vec<Zeroizing<Vec<u8>>>,
    /// Accounts the format cannot carry, with why ("Issuer: account", reason).
    pub left_out: Vec<(String, String)>,
}

/// Writes `accounts` in `format`. Jeton backups carry every account given (pass
/// the trash too); the other formats are for accounts in use. Encrypted formats
/// need `password`.
pub fn export(
    format: ExportFormat,
    accounts: &[&Account],
    password: Option<&str>,
) -> Result<Exported, BackupError> {
    let single = |bytes: Zeroizing<Vec<u8>>| Exported {
        parts: vec![bytes],
        left_out: Vec::new(),
    };
    match format {
        ExportFormat::Jeton => {
            let password = super::need_password(password)?;
            Ok(single(Zeroizing::new(super::jeton::write_with_password(
                accounts, password,
            )?)))
        }
        ExportFormat::Aegis => {
            let password = super::need_password(password)?;
            Ok(single(super::aegis::export_encrypted(accounts, password)?))
        }
        ExportFormat::AegisPlain => Ok(single(super::aegis::export_plain(accounts)?)),
        ExportFormat::Otpauth => Ok(single(otpauth_list(accounts))),
        ExportFormat::Google => google_transfer(accounts),
    }
}

/// One `otpauth://` link per line.
pub fn otpauth_list(accounts: &[&Account]) -> Zeroizing<Vec<u8>> {
    let links: Vec<Zeroizing<String>> = accounts.iter().map(|a| crate::uri::to_uri(a)).collect();
    let mut out = Zeroizing::new(Vec::with_capacity(links.iter().map(|l| l.len() + 1).sum()));
    for link in &links {
        out.extend_from_slice(link.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Accounts per transfer QR code: what Google Authenticator itself puts in one,
/// which keeps each code small enough for any phone camera.
pub const GOOGLE_ACCOUNTS_PER_CODE: usize = 10;

/// Google Authenticator transfer links, [`GOOGLE_ACCOUNTS_PER_CODE`] accounts each.
/// The format has no period field (always 30 s) and only 6 or 8 digits: other
/// accounts are left out and listed.
pub fn google_transfer(accounts: &[&Account]) -> Result<Exported, BackupError> {
    let mut left_out = Vec::new();
    let mut carried = Vec::new();
    for account in accounts {
        match google_entry(account) {
            Ok(entry) => carried.push(entry),
            Err(reason) => left_out.push((account.label(), reason.to_string())),
        }
    }
    let chunks: Vec<Vec<proto::OtpParameters>> = {
        let mut chunks = Vec::new();
        let mut rest = carried;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(GOOGLE_ACCOUNTS_PER_CODE));
            chunks.push(std::mem::replace(&mut rest, tail));
        }
        chunks
    };
    let batch_size = i32::try_from(chunks.len())
        .map_err(|_| BackupError::damaged("too many accounts for a transfer"))?;
    let batch_id = i32::from_le_bytes(super::crypto::random()?) & i32::MAX;
    let mut parts = Vec::with_capacity(chunks.len());
    for (index, otp_parameters) in chunks.into_iter().enumerate() {
        let payload = proto::MigrationPayload {
            otp_parameters,
            version: 1,
            batch_size,
            batch_index: i32::try_from(index).unwrap_or(i32::MAX),
            batch_id,
        };
        let bytes = Zeroizing::new(prost::Message::encode_to_vec(&payload));
        let base64 = Zeroizing::new(data_encoding::BASE64.encode(&bytes));
        let encoded: String =
            percent_encoding::utf8_percent_encode(&base64, percent_encoding::NON_ALPHANUMERIC)
                .collect();
        let link = format!("otpauth-migration://offline?data={encoded}");
        parts.push(Zeroizing::new(link.into_bytes()));
    }
    Ok(Exported { parts, left_out })
}

fn google_entry(account: &Account) -> Result<proto::OtpParameters, &'static str> {
    let params = &account.params;
    let kind = match params.kind {
        Kind::Totp if params.period != 30 => {
            return Err("Google Authenticator transfers only carry 30-second codes")
        }
        Kind::Totp => 2,
        Kind::Hotp => 1,
        Kind::Steam => return Err("Google Authenticator has no Steam codes"),
    };
    let digits = match params.digits {
        6 => 1,
        8 => 2,
        _ => return Err("Google Authenticator transfers only carry 6- or 8-digit codes"),
    };
    let algorithm = match params.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    let name = if account.issuer.is_empty() {
        account.name.clone()
    } else {
        format!("{}:{}", account.issuer, account.name)
    };
    Ok(proto::OtpParameters {
        secret: account.secret.as_bytes().to_vec(),
        name,
        issuer: account.issuer.clone(),
        algorithm,
        digits,
        r#type: kind,
        counter: i64::try_from(params.counter).map_err(|_| "the counter is too large")?,
    })
}

/// Serialises `value` as JSON into a buffer of exactly the right size, wiped on
/// drop: a growing buffer would leave unwiped copies of the secrets as it moves.
pub(crate) fn json_exact(value: &impl Serialize) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).map_err(BackupError::damaged)?;
    let mut out = Zeroizing::new(Vec::with_capacity(count.0));
    serde_json::to_writer(&mut *out, value).map_err(BackupError::damaged)?;
    Ok(out)
}
