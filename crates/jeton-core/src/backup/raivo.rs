//! Raivo OTP export: a ZIP whose members are encrypted with WinZip AES (the
//! Raivo password), holding `raivo-otp-export.json` (and an HTML copy).
//!
//! Why it is built this way:
//! - The ZIP itself is read by the `zip` crate (WinZip AES and ZipCrypto, stored
//!   or deflated); this module only bounds what it is asked to unpack: the member's
//!   declared size and the bytes actually read are both capped at
//!   [`limits::MAX_UNPACKED_BYTES`], so a "ZIP bomb" cannot exhaust memory.
//! - Detection reads the central directory by hand (a few fixed-size records at
//!   the end of the file, bounded in count) so that it stays cheap and does not
//!   claim other ZIP files: only an archive with a member of the expected name is
//!   Raivo's. Authenticator Plus's ZIP reuses these helpers.
//! - Raivo writes every value as a string (`"digits": "6"`, `"timer": "30"`), as
//!   its `Password.getExportFields()` does; numbers are accepted as well.

use std::io::{Cursor, Read};

use serde_json::Value;
use zeroize::Zeroizing;

use super::{limits, BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

/// The member of a Raivo export that holds the accounts.
const MEMBER: &str = "raivo-otp-export.json";
/// Most central-directory records looked at when recognising an archive: real
/// exports hold one or two members.
const MAX_DETECT_MEMBERS: usize = 64;
/// A local file header's signature, which every ZIP file starts with.
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The "compression method" WinZip AES writes into the headers.
const METHOD_WINZIP_AES: u16 = 99;

/// Raivo OTP export: a WinZip-AES ZIP holding raivo-otp-export.json.
pub struct Raivo;

impl Importer for Raivo {
    fn name(&self) -> &'static str {
        "raivo"
    }

    fn detect(&self, input: &Input) -> bool {
        zip_has_member(input.bytes, MEMBER)
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let json = zip_member(input.bytes, MEMBER, password)?;
        let items: Value = super::from_json(&json)?;
        let items = items
            .as_array()
            .ok_or_else(|| BackupError::damaged("raivo-otp-export.json is not a list"))?;
        limits::check_entries(items.len())?;
        Ok(items.iter().map(item).collect())
    }
}

/// One Raivo item (`issuer`, `account`, `secret`, `algorithm`, `digits`, `kind`,
/// `timer`, `counter`), or why it is skipped.
fn item(item: &Value) -> ImportEntry {
    let issuer = text(item, "issuer").unwrap_or_default();
    let account = text(item, "account").unwrap_or_default();
    match params(item) {
        Ok(params) => {
            let secret = Zeroizing::new(text(item, "secret").unwrap_or_default());
            ImportEntry::build(&issuer, &account, Secret::from_base32(&secret), params)
        }
        Err(reason) => ImportEntry::skipped(&issuer, &account, reason),
    }
}

fn params(item: &Value) -> crate::Result<OtpParams> {
    let kind = match text(item, "kind").unwrap_or_default().trim() {
        k if k.eq_ignore_ascii_case("TOTP") => Kind::Totp,
        k if k.eq_ignore_ascii_case("HOTP") => Kind::Hotp,
        other => {
            return Err(Error::Backup(BackupError::UnsupportedEntry(format!(
                "Raivo OTP kind {other:?} is not supported (TOTP and HOTP are)"
            ))))
        }
    };
    let mut params = OtpParams {
        kind,
        ..OtpParams::default()
    };
    if let Some(algorithm) = text(item, "algorithm").filter(|a| !a.trim().is_empty()) {
        params.algorithm = Algorithm::parse(&algorithm)?;
    }
    if let Some(digits) = text(item, "digits") {
        params.digits = digits.trim().parse().map_err(|_| Error::DigitsOutOfRange {
            found: digits.clone(),
            min: *crate::otp::DIGITS_RANGE.start(),
            max: *crate::otp::DIGITS_RANGE.end(),
        })?;
    }
    match kind {
        Kind::Hotp => {
            if let Some(counter) = text(item, "counter") {
                params.counter = counter
                    .trim()
                    .parse()
                    .map_err(|_| Error::InvalidCounter(counter.clone()))?;
            }
        }
        _ => {
            if let Some(timer) = text(item, "timer") {
                params.period = timer.trim().parse().map_err(|_| Error::PeriodOutOfRange {
                    found: timer.clone(),
                    max: crate::otp::MAX_PERIOD,
                })?;
            }
        }
    }
    Ok(params)
}

/// A field written as a string (Raivo's way) or as a number; `None` when absent.
fn text(item: &Value, key: &str) -> Option<String> {
    match item.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// One central-directory record of a ZIP file, as far as recognising it needs.
pub(super) struct ZipMember<'a> {
    /// The member's name, as stored.
    pub name: &'a [u8],
    /// Its compression method (99: WinZip AES).
    pub method: u16,
}

/// The members a ZIP file's central directory lists, read without allocating
/// per byte of the file; `None` when `bytes` is not a (small, non-ZIP64) ZIP.
pub(super) fn zip_members(bytes: &[u8]) -> Option<Vec<ZipMember<'_>>> {
    if !bytes.starts_with(ZIP_MAGIC) {
        return None;
    }
    // The end-of-central-directory record: 22 bytes plus a comment of at most
    // 65,535 bytes, at the very end.
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = bytes.get(tail_start..)?;
    let eocd = (0..tail.len().checked_sub(22)? + 1)
        .rev()
        .find(|&i| tail.get(i..i + 4) == Some(b"PK\x05\x06"))?;
    let eocd = tail.get(eocd..)?;
    let count = usize::from(u16_at(eocd, 10)?);
    let offset = usize::try_from(u32_at(eocd, 16)?).ok()?;
    if count > MAX_DETECT_MEMBERS {
        return None;
    }
    let mut members = Vec::with_capacity(count);
    let mut pos = offset;
    for _ in 0..count {
        let record = bytes.get(pos..)?;
        if !record.starts_with(b"PK\x01\x02") {
            return None;
        }
        let method = u16_at(record, 10)?;
        let name_len = usize::from(u16_at(record, 28)?);
        let extra_len = usize::from(u16_at(record, 30)?);
        let comment_len = usize::from(u16_at(record, 32)?);
        let name = record.get(46..46 + name_len)?;
        members.push(ZipMember { name, method });
        pos = pos.checked_add(46 + name_len + extra_len + comment_len)?;
    }
    Some(members)
}

/// True when `bytes` is a ZIP file listing a member called `name`.
pub(super) fn zip_has_member(bytes: &[u8], name: &str) -> bool {
    zip_members(bytes).is_some_and(|members| members.iter().any(|m| m.name == name.as_bytes()))
}

/// Unpacks the member `name` of a ZIP file, decrypting it with `password` when
/// it is encrypted (WinZip AES or ZipCrypto), within [`limits::MAX_UNPACKED_BYTES`].
pub(super) fn zip_member(
    bytes: &[u8],
    name: &str,
    password: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let is_aes = zip_members(bytes)
        .and_then(|members| {
            members
                .iter()
                .find(|m| m.name == name.as_bytes())
                .map(|m| m.method == METHOD_WINZIP_AES)
        })
        .unwrap_or(false);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| BackupError::damaged(format!("not a readable ZIP archive: {e}")))?;
    let index = archive
        .index_for_name(name)
        .ok_or_else(|| BackupError::damaged(format!("the archive holds no {name}")))?;
    let (encrypted, declared) = {
        let raw = archive.by_index_raw(index).map_err(zip_error)?;
        (raw.encrypted(), raw.size())
    };
    if declared > limits::MAX_UNPACKED_BYTES {
        return Err(BackupError::TooLarge {
            size: declared,
            limit: limits::MAX_UNPACKED_BYTES,
        });
    }
    let file = if encrypted {
        let password = super::need_password(password)?;
        archive.by_index_decrypt(index, password.as_bytes())
    } else {
        archive.by_index(index)
    };
    let file = file.map_err(zip_error)?;
    // Declared sizes can lie: the bytes read are bounded too. The capacity is
    // capped so that a lying header cannot reserve much either.
    let capacity = usize::try_from(declared.min(4 * 1024 * 1024)).unwrap_or(0);
    let mut content = Zeroizing::new(Vec::with_capacity(capacity));
    let read = file
        .take(limits::MAX_UNPACKED_BYTES + 1)
        .read_to_end(&mut content);
    if let Err(e) = read {
        // ZipCrypto checks a password against one byte only: a wrong password
        // passes 1 time in 256 and then fails here, far more often than a
        // damaged file does. WinZip AES checks 16 bits and then authenticates
        // the content: a failure after that check is damage.
        return Err(if encrypted && !is_aes {
            BackupError::WrongPassword
        } else {
            BackupError::damaged(format!("{name} cannot be unpacked: {e}"))
        });
    }
    if content.len() as u64 > limits::MAX_UNPACKED_BYTES {
        return Err(BackupError::TooLarge {
            size: content.len() as u64,
            limit: limits::MAX_UNPACKED_BYTES,
        });
    }
    Ok(content)
}

fn zip_error(e: zip::result::ZipError) -> BackupError {
    match e {
        zip::result::ZipError::InvalidPassword => BackupError::WrongPassword,
        zip::result::ZipError::UnsupportedArchive(what) => {
            BackupError::Unsupported(format!("this ZIP archive cannot be read: {what}"))
        }
        zip::result::ZipError::CompressionMethodNotSupported(method) => BackupError::Unsupported(
            format!("this ZIP archive uses compression method {method}, which Jeton cannot read"),
        ),
        other => BackupError::damaged(format!("ZIP archive: {other}")),
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}
