//! Google Authenticator transfer links (`otpauth-migration://offline?data=…`).
//!
//! "Transfer accounts" in Google Authenticator shows one or more QR codes, each a
//! Base64 protobuf `MigrationPayload` (schema: conformance `migration.proto`, field
//! numbers from Aegis). This module turns each link into accounts and gathers the
//! parts of a multi-QR export, so the UI can say "2 of 3 scanned" and add nothing
//! until every part is in and the user confirms.
//!
//! Choices: `data=` is percent-decoded only (a literal `+` is Base64, never a space);
//! unspecified algorithm/digits/type mean SHA1/6/TOTP as in Aegis; MD5 is refused;
//! a name "Issuer:account" whose prefix equals the issuer field loses that prefix,
//! any other name is kept verbatim (names may contain ':'); TOTP period is 30 s.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use crate::account::Account;
use crate::error::{Error, Result};
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

/// Longest accepted transfer link (a version-40 QR code's capacity).
pub const MAX_LINK_LEN: usize = 7089;
/// Most QR codes one transfer may claim to have. Google Authenticator puts about
/// ten accounts in each, so 100 parts is 1,000 accounts; a hostile code claiming
/// 2^31 parts must not make Jeton wait for (or list) that many.
pub const MAX_BATCH_SIZE: u32 = 100;

/// The protobuf messages, declared with prost's derive (no build script needed).
pub(crate) mod proto {
    /// A whole transfer QR code.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MigrationPayload {
        /// The accounts in this QR code.
        #[prost(message, repeated, tag = "1")]
        pub otp_parameters: Vec<OtpParameters>,
        /// Format version (1).
        #[prost(int32, tag = "2")]
        pub version: i32,
        /// Number of QR codes in the export.
        #[prost(int32, tag = "3")]
        pub batch_size: i32,
        /// 0-based index of this QR code.
        #[prost(int32, tag = "4")]
        pub batch_index: i32,
        /// Random id shared by the QR codes of one export.
        #[prost(int32, tag = "5")]
        pub batch_id: i32,
    }

    /// One account.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct OtpParameters {
        /// Raw key bytes.
        #[prost(bytes = "vec", tag = "1")]
        pub secret: Vec<u8>,
        /// "Issuer:account" or "account".
        #[prost(string, tag = "2")]
        pub name: String,
        /// Issuer.
        #[prost(string, tag = "3")]
        pub issuer: String,
        /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
        #[prost(int32, tag = "4")]
        pub algorithm: i32,
        /// 0 unspecified, 1 six, 2 eight.
        #[prost(int32, tag = "5")]
        pub digits: i32,
        /// 0 unspecified, 1 HOTP, 2 TOTP.
        #[prost(int32, tag = "6")]
        pub r#type: i32,
        /// HOTP counter.
        #[prost(int64, tag = "7")]
        pub counter: i64,
    }

    impl Drop for OtpParameters {
        fn drop(&mut self) {
            zeroize::Zeroize::zeroize(&mut self.secret);
        }
    }
}

/// One QR code of a transfer: its place in the export and its accounts.
#[derive(Debug)]
pub struct MigrationPart {
    /// Id shared by all QR codes of one export.
    pub batch_id: i32,
    /// 0-based index of this QR code.
    pub batch_index: u32,
    /// How many QR codes the export has (at least 1).
    pub batch_size: u32,
    /// The accounts in this QR code, new and unsaved.
    pub accounts: Vec<Account>,
}

/// Reads one `otpauth-migration://offline?data=…` link.
pub fn parse_link(link: &str) -> Result<MigrationPart> {
    let link = link.trim();
    if link.len() > MAX_LINK_LEN {
        return Err(Error::TooLarge {
            size: link.len(),
            limit: MAX_LINK_LEN,
        });
    }
    let (scheme, rest) = link
        .split_once("://")
        .ok_or_else(|| Error::WrongScheme(crate::uri::scheme_of(link)))?;
    if !scheme.eq_ignore_ascii_case("otpauth-migration") {
        return Err(Error::WrongScheme(crate::uri::scheme_of(link)));
    }
    let query = rest.split_once('?').map(|(_, q)| q).unwrap_or("");
    let data = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("data="))
        .ok_or_else(|| Error::InvalidMigration("no data= parameter".into()))?;
    let base64 = percent_decode_str(data).collect::<Vec<u8>>();
    let base64: Vec<u8> = base64
        .into_iter()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let bytes = zeroize::Zeroizing::new(
        data_encoding::BASE64_NOPAD
            .decode(&base64)
            .or_else(|_| data_encoding::BASE64URL_NOPAD.decode(&base64))
            .map_err(|_| Error::InvalidMigration("data= is not Base64".into()))?,
    );
    let payload: proto::MigrationPayload = prost::Message::decode(bytes.as_slice())
        .map_err(|_| Error::InvalidMigration("the data is not a transfer payload".into()))?;
    if payload.otp_parameters.is_empty() {
        return Err(Error::InvalidMigration("it holds no accounts".into()));
    }
    let batch_size = u32::try_from(payload.batch_size.max(1))
        .ok()
        .filter(|size| *size <= MAX_BATCH_SIZE)
        .ok_or_else(|| {
            Error::InvalidMigration(format!(
                "it claims {} QR codes; a transfer has at most {MAX_BATCH_SIZE}",
                payload.batch_size
            ))
        })?;
    let batch_index = u32::try_from(payload.batch_index)
        .ok()
        .filter(|i| *i < batch_size)
        .ok_or_else(|| Error::InvalidMigration("bad batch index".into()))?;
    let accounts = payload
        .otp_parameters
        .iter()
        .map(account_from)
        .collect::<Result<Vec<_>>>()?;
    Ok(MigrationPart {
        batch_id: payload.batch_id,
        batch_index,
        batch_size,
        accounts,
    })
}

fn account_from(entry: &proto::OtpParameters) -> Result<Account> {
    let algorithm = match entry.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(Error::UnsupportedAlgorithm("MD5".into())),
        other => return Err(Error::UnsupportedAlgorithm(format!("#{other}"))),
    };
    let digits = match entry.digits {
        0 | 1 => 6,
        2 => 8,
        other => {
            return Err(Error::DigitsOutOfRange {
                found: format!("#{other}"),
                min: 6,
                max: 8,
            })
        }
    };
    let (kind, counter) = match entry.r#type {
        0 | 2 => (Kind::Totp, 0),
        1 => (
            Kind::Hotp,
            u64::try_from(entry.counter)
                .map_err(|_| Error::InvalidCounter(entry.counter.to_string()))?,
        ),
        other => return Err(Error::UnknownType(format!("#{other}"))),
    };
    if entry.secret.is_empty() {
        return Err(Error::MissingSecret);
    }
    let issuer = entry.issuer.trim();
    let name = match entry.name.split_once(':') {
        Some((prefix, rest)) if !issuer.is_empty() && prefix.trim() == issuer => rest.trim(),
        _ => entry.name.trim(),
    };
    Account::new(
        issuer,
        name,
        Secret::from_bytes(entry.secret.clone()),
        OtpParams {
            kind,
            algorithm,
            digits,
            period: 30,
            counter,
        },
    )
}

/// Gathers the QR codes of one multi-part export.
#[derive(Debug, Default)]
pub struct Batch {
    batch_id: Option<i32>,
    size: u32,
    parts: BTreeMap<u32, Vec<Account>>,
}

/// How far a multi-part transfer is: "2 of 3 scanned".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchProgress {
    /// Parts read so far.
    pub scanned: u32,
    /// Parts in the export.
    pub total: u32,
    /// 1-based numbers of the parts still to scan.
    pub missing: Vec<u32>,
}

impl Batch {
    /// Adds a part (scanning the same part twice is harmless).
    pub fn add(&mut self, part: MigrationPart) -> Result<BatchProgress> {
        match self.batch_id {
            Some(id) if id != part.batch_id || self.size != part.batch_size => {
                return Err(Error::InvalidMigration(
                    "this QR code belongs to another transfer; finish or cancel the current one"
                        .into(),
                ))
            }
            _ => {}
        }
        self.batch_id = Some(part.batch_id);
        self.size = part.batch_size;
        self.parts.insert(part.batch_index, part.accounts);
        Ok(self.progress())
    }

    /// Parts scanned, parts expected, and which are missing.
    pub fn progress(&self) -> BatchProgress {
        BatchProgress {
            scanned: self.parts.len() as u32,
            total: self.size,
            missing: (0..self.size)
                .filter(|i| !self.parts.contains_key(i))
                .map(|i| i + 1)
                .collect(),
        }
    }

    /// True once every part is in.
    pub fn is_complete(&self) -> bool {
        self.size > 0 && self.parts.len() as u32 == self.size
    }

    /// The accounts of all parts scanned so far, in export order.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.parts.values().flatten()
    }

    /// Takes the accounts out, leaving the batch empty.
    pub fn take_accounts(&mut self) -> Vec<Account> {
        let accounts = std::mem::take(&mut self.parts)
            .into_values()
            .flatten()
            .collect();
        *self = Batch::default();
        accounts
    }
}
