//! One-time codes: the shared secret, the OTP parameters and code generation.
//!
//! Codes come from totp-rs (HOTP is TOTP with a one-second step and the counter as
//! the time). Parameters are validated here, once, because totp-rs's unchecked
//! constructors — needed for the short secrets real services still issue — panic
//! on some values (digits >= 10, a zero period).

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

/// Secrets shorter than this many bits work but are weaker than RFC 4226 asks.
pub const RECOMMENDED_SECRET_BITS: usize = 128;
/// Digits accepted for TOTP/HOTP codes. RFC 4226 allows 6–8; 1–9 is what the
/// 31-bit truncation can represent, and real exporters (KeePassXC, Proton) emit them.
pub const DIGITS_RANGE: std::ops::RangeInclusive<u8> = 1..=9;
/// Longest accepted period: one year. Longer is certainly a typo.
pub const MAX_PERIOD: u64 = 366 * 24 * 3600;
/// Longest accepted secret, in bytes (far above any real service's 20–64).
pub const MAX_SECRET_BYTES: usize = 1024;

/// A shared OTP secret: raw bytes, wiped from memory on drop, never printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps raw secret bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// Parses Base32 as people and services write it: any case, spaces and dashes
    /// between groups, with or without `=` padding. Trailing bits that do not make a
    /// whole byte are dropped (RFC 4648 decoders differ; every authenticator does this).
    pub fn from_base32(text: &str) -> Result<Self> {
        let mut cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
                .trim_end_matches('=')
                .to_ascii_uppercase(),
        );
        if cleaned.is_empty() {
            return Err(Error::MissingSecret);
        }
        if let Some(bad) = cleaned
            .chars()
            .find(|c| !matches!(c, 'A'..='Z' | '2'..='7'))
        {
            return Err(Error::InvalidSecret(format!(
                "{bad:?} is not a Base32 character"
            )));
        }
        if cleaned.len() > MAX_SECRET_BYTES * 8 / 5 {
            return Err(Error::TooLarge {
                size: cleaned.len(),
                limit: MAX_SECRET_BYTES * 8 / 5,
            });
        }
        // Lengths of 1, 3 or 6 (mod 8) characters carry only a partial byte at the
        // end: drop that character, which yields the same whole bytes.
        while matches!(cleaned.len() % 8, 1 | 3 | 6) {
            cleaned.pop();
        }
        let bytes = base32_lenient()
            .decode(cleaned.as_bytes())
            .map_err(|e| Error::InvalidSecret(e.to_string()))?;
        if bytes.is_empty() {
            return Err(Error::InvalidSecret("shorter than one byte".into()));
        }
        Ok(Secret(bytes))
    }

    /// The secret as unpadded upper-case Base32 (the otpauth form).
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bits.
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// Compares two secrets in time independent of where they differ.
    pub fn ct_eq(&self, other: &Secret) -> bool {
        if self.0.len() != other.0.len() {
            return false;
        }
        self.0
            .iter()
            .zip(&other.0)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

fn base32_lenient() -> data_encoding::Encoding {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    // The symbols above are a valid Base32 alphabet, so this cannot fail.
    spec.encoding()
        .unwrap_or_else(|_| data_encoding::BASE32_NOPAD.clone())
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bits redacted>)", self.bits())
    }
}

/// Raw bytes in binary formats (the vault). Serialising a secret to a
/// human-readable format (JSON for the webview, a log line) fails on purpose: a
/// key reaches text only through an explicit export, which writes
/// [`Secret::to_base32`] itself.
impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            Err(serde::ser::Error::custom(
                "a secret is never serialised to text; export it explicitly",
            ))
        } else {
            serializer.serialize_bytes(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let text: Zeroizing<String> = Zeroizing::new(String::deserialize(deserializer)?);
            Secret::from_base32(&text).map_err(serde::de::Error::custom)
        } else {
            deserializer.deserialize_bytes(SecretBytes)
        }
    }
}

struct SecretBytes;

impl serde::de::Visitor<'_> for SecretBytes {
    type Value = Secret;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("secret bytes")
    }
    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Secret, E> {
        Ok(Secret(bytes.to_vec()))
    }
}

/// How codes are derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Time-based (RFC 6238).
    Totp,
    /// Counter-based (RFC 4226).
    Hotp,
    /// Steam Guard: TOTP/SHA1/30 s shown as 5 characters of Steam's alphabet.
    Steam,
}

impl Kind {
    /// The name used in otpauth URIs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Totp => "totp",
            Kind::Hotp => "hotp",
            Kind::Steam => "steam",
        }
    }
}

/// The HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Algorithm {
    /// HMAC-SHA1, the default nearly everywhere.
    #[default]
    #[serde(rename = "SHA1")]
    Sha1,
    /// HMAC-SHA256.
    #[serde(rename = "SHA256")]
    Sha256,
    /// HMAC-SHA512.
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    /// Parses `SHA1`, `sha256`, and the `HmacSHA1` spelling some servers emit.
    pub fn parse(text: &str) -> Result<Self> {
        let upper = text.trim().to_ascii_uppercase();
        match upper.strip_prefix("HMAC").unwrap_or(&upper) {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::UnsupportedAlgorithm(text.to_string())),
        }
    }

    /// The name used in otpauth URIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

/// Everything needed to compute codes, apart from the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpParams {
    /// TOTP, HOTP or Steam.
    pub kind: Kind,
    /// HMAC hash.
    pub algorithm: Algorithm,
    /// Code length (5 for Steam).
    pub digits: u8,
    /// Seconds per code (TOTP and Steam).
    pub period: u64,
    /// Counter of the code shown now (HOTP).
    pub counter: u64,
}

impl Default for OtpParams {
    fn default() -> Self {
        OtpParams {
            kind: Kind::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
        }
    }
}

impl OtpParams {
    /// Steam Guard's fixed parameters.
    pub fn steam() -> Self {
        OtpParams {
            kind: Kind::Steam,
            digits: 5,
            ..OtpParams::default()
        }
    }

    /// Checks the parameters, so that code generation cannot fail or panic later.
    pub fn validate(&self) -> Result<()> {
        match self.kind {
            Kind::Steam => {
                if self.period != 30 {
                    return Err(Error::PeriodOutOfRange {
                        found: self.period.to_string(),
                        max: 30,
                    });
                }
                if self.digits != 5 || self.algorithm != Algorithm::Sha1 {
                    return Err(Error::DigitsOutOfRange {
                        found: self.digits.to_string(),
                        min: 5,
                        max: 5,
                    });
                }
            }
            Kind::Totp | Kind::Hotp => {
                if !DIGITS_RANGE.contains(&self.digits) {
                    return Err(Error::DigitsOutOfRange {
                        found: self.digits.to_string(),
                        min: *DIGITS_RANGE.start(),
                        max: *DIGITS_RANGE.end(),
                    });
                }
            }
        }
        if self.kind != Kind::Hotp && !(1..=MAX_PERIOD).contains(&self.period) {
            return Err(Error::PeriodOutOfRange {
                found: self.period.to_string(),
                max: MAX_PERIOD,
            });
        }
        Ok(())
    }

    /// Seconds left for the code valid at `unix_time` (TOTP/Steam); `None` for HOTP.
    pub fn seconds_left(&self, unix_time: u64) -> Option<u64> {
        (self.kind != Kind::Hotp).then(|| self.period - unix_time % self.period)
    }
}

/// The code for `secret` at `unix_time` (TOTP, Steam) or at `params.counter` (HOTP).
///
/// `params` must have passed [`OtpParams::validate`]; invalid ones give an error
/// rather than a panic.
pub fn code_at(secret: &Secret, params: &OtpParams, unix_time: u64) -> Result<String> {
    params.validate()?;
    let (algorithm, step, moment) = match params.kind {
        Kind::Totp => (totp_algorithm(params.algorithm), params.period, unix_time),
        Kind::Hotp => (totp_algorithm(params.algorithm), 1, params.counter),
        Kind::Steam => (totp_rs::Algorithm::Steam, params.period, unix_time),
    };
    let generator = totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(params.digits)
        .with_step_duration(step)
        .with_secret(secret.as_bytes().to_vec())
        .build_noncompliant();
    Ok(generator.generate(moment).to_string())
}

fn totp_algorithm(algorithm: Algorithm) -> totp_rs::Algorithm {
    match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    }
}

/// Groups a code for reading: "123 456", "1234 5678", "123 4567"; Steam codes as they are.
pub fn group_digits(code: &str) -> String {
    if code.len() < 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return code.to_string();
    }
    let split = code.len() / 2;
    format!("{} {}", &code[..split], &code[split..])
}

/// Current Unix time in seconds (0 if the clock is before 1970).
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_tolerates_what_people_type() {
        let canonical = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        for variant in [
            "jbsw y3dp ehpk 3pxp",
            "JBSW-Y3DP-EHPK-3PXP",
            "JBSWY3DPEHPK3PXP====",
        ] {
            assert_eq!(
                Secret::from_base32(variant).unwrap(),
                canonical,
                "{variant}"
            );
        }
        assert_eq!(
            Secret::from_base32("QWERTYUIOP").unwrap().as_bytes(),
            [0x85, 0x89, 0x19, 0xe2, 0x88, 0x73]
        );
    }

    #[test]
    fn bad_secrets_are_refused_with_a_reason() {
        assert!(matches!(
            Secret::from_base32("  "),
            Err(Error::MissingSecret)
        ));
        assert!(matches!(
            Secret::from_base32("ABC1"),
            Err(Error::InvalidSecret(_))
        ));
        assert!(matches!(
            Secret::from_base32("A"),
            Err(Error::InvalidSecret(_))
        ));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let s = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let printed = format!("{s:?}");
        assert!(
            !printed.contains("JBSW") && printed.contains("redacted"),
            "{printed}"
        );
    }

    #[test]
    fn digits_are_grouped_for_reading() {
        assert_eq!(group_digits("123456"), "123 456");
        assert_eq!(group_digits("12345678"), "1234 5678");
        assert_eq!(group_digits("1234567"), "123 4567");
        assert_eq!(group_digits("2TC8B"), "2TC8B");
    }

    #[test]
    fn out_of_range_parameters_are_errors_not_panics() {
        let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        for params in [
            OtpParams {
                digits: 10,
                ..OtpParams::default()
            },
            OtpParams {
                digits: 0,
                ..OtpParams::default()
            },
            OtpParams {
                period: 0,
                ..OtpParams::default()
            },
            OtpParams {
                digits: 7,
                ..OtpParams::steam()
            },
        ] {
            assert!(code_at(&secret, &params, 59).is_err(), "{params:?}");
        }
    }
}
