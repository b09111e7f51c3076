//! An account as kept in the vault, and the code view the UI and CLI show.
//!
//! The code view is the only shape that leaves the core for display: it carries
//! codes and names, never the secret.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Result;
use crate::otp::{self, Kind, OtpParams, Secret, RECOMMENDED_SECRET_BITS};

/// One OTP account. Stored with postcard (a compact, positional encoding): adding a
/// field means a new vault format version in [`crate::vault`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    /// Random v4 id, stable for the account's life.
    pub id: Uuid,
    /// Who issued it ("CCOMTL", "GitHub"); may be empty.
    pub issuer: String,
    /// The account name at the issuer ("WXYZ2620", "alice@example.com").
    #[serde(rename = "account")]
    pub name: String,
    /// The shared secret.
    pub secret: Secret,
    /// Kind, algorithm, digits, period and counter.
    pub params: OtpParams,
    /// When it was added (Unix seconds).
    pub created: u64,
    /// Place in the user's list (0 first).
    pub position: u32,
    /// Group the user filed it under (reserved for later).
    pub group: Option<String>,
    /// Pinned by the user (reserved for later).
    pub favourite: bool,
    /// Free-form notes (reserved for later).
    pub notes: String,
    /// When it was moved to the trash (Unix seconds); `None` while in use.
    pub deleted_at: Option<u64>,
}

/// Something acceptable but worth telling the user about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The secret is shorter than RFC 4226 recommends.
    #[error(
        "the secret is only {bits} bits long (128 or more is recommended); codes will still work"
    )]
    ShortSecret {
        /// Length of the secret in bits.
        bits: usize,
    },
    /// The code length is outside RFC 4226's 6–8.
    #[error("codes have {digits} digits, outside the usual 6–8; check this matches the service")]
    UnusualDigits {
        /// Code length.
        digits: u8,
    },
}

/// Longest issuer or account name, in characters. Real ones are under 100 (an
/// e-mail address, a portal's name); a QR code from a hostile page could hold
/// thousands, which would only push everything else off the screen.
pub const MAX_NAME_CHARS: usize = 256;

/// An issuer or account name as Jeton keeps it: trimmed, control characters (a
/// tab, a newline) turned into spaces, and the invisible direction marks and
/// overrides that can make "moc.knab" display as "bank.com" removed.
pub fn clean_name(text: &str) -> Result<String> {
    let is_bidi_control = |c: char| matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let cleaned: String = text
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    let length = cleaned.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(crate::Error::NameTooLong {
            length,
            max: MAX_NAME_CHARS,
        });
    }
    Ok(cleaned.to_string())
}

impl Account {
    /// A new account, with parameters validated, names cleaned ([`clean_name`]), a
    /// fresh id and the current time.
    pub fn new(issuer: &str, name: &str, secret: Secret, params: OtpParams) -> Result<Self> {
        params.validate()?;
        Ok(Account {
            id: Uuid::new_v4(),
            issuer: clean_name(issuer)?,
            name: clean_name(name)?,
            secret,
            params,
            created: otp::now(),
            position: 0,
            group: None,
            favourite: false,
            notes: String::new(),
            deleted_at: None,
        })
    }

    /// Warnings the user should see when adding this account.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if self.secret.bits() < RECOMMENDED_SECRET_BITS {
            warnings.push(Warning::ShortSecret {
                bits: self.secret.bits(),
            });
        }
        if self.params.kind != Kind::Steam && !(6..=8).contains(&self.params.digits) {
            warnings.push(Warning::UnusualDigits {
                digits: self.params.digits,
            });
        }
        warnings
    }

    /// True when both hold the same credential (same kind and secret), whatever
    /// their names: adding it twice would only make a second row of the same codes.
    pub fn same_credential(&self, other: &Account) -> bool {
        self.params.kind == other.params.kind && self.secret.ct_eq(&other.secret)
    }

    /// "Issuer: account", or whichever of the two is set.
    pub fn label(&self) -> String {
        match (self.issuer.is_empty(), self.name.is_empty()) {
            (false, false) => format!("{}: {}", self.issuer, self.name),
            (false, true) => self.issuer.clone(),
            _ => self.name.clone(),
        }
    }

    /// The code now showing (at `unix_time` for TOTP/Steam, at the counter for HOTP).
    pub fn code_at(&self, unix_time: u64) -> Result<String> {
        otp::code_at(&self.secret, &self.params, unix_time)
    }

    /// What the UI and CLI display: codes and names, never the secret.
    pub fn code_view(&self, unix_time: u64) -> Result<CodeView> {
        let code = self.code_at(unix_time)?;
        let next_code = match self.params.kind {
            Kind::Hotp => None,
            Kind::Totp | Kind::Steam => Some(self.code_at(unix_time + self.params.period)?),
        };
        Ok(CodeView {
            id: self.id,
            issuer: self.issuer.clone(),
            account: self.name.clone(),
            kind: self.params.kind,
            code,
            next_code,
            digits: self.params.digits,
            period: self.params.period,
            seconds_left: self.params.seconds_left(unix_time),
            counter: (self.params.kind == Kind::Hotp).then_some(self.params.counter),
        })
    }

    /// The listing shape: names and kind, no code, no secret.
    pub fn summary(&self) -> AccountSummary {
        AccountSummary {
            id: self.id,
            issuer: self.issuer.clone(),
            account: self.name.clone(),
            kind: self.params.kind,
            algorithm: self.params.algorithm,
            digits: self.params.digits,
            period: self.params.period,
            created: self.created,
            deleted_at: self.deleted_at,
        }
    }
}

/// An account's current code, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeView {
    /// Account id.
    pub id: Uuid,
    /// Issuer.
    pub issuer: String,
    /// Account name.
    pub account: String,
    /// TOTP, HOTP or Steam.
    pub kind: Kind,
    /// The code valid now.
    pub code: String,
    /// The code of the next period (TOTP/Steam).
    pub next_code: Option<String>,
    /// Code length.
    pub digits: u8,
    /// Seconds per code.
    pub period: u64,
    /// Seconds until `code` expires (TOTP/Steam).
    pub seconds_left: Option<u64>,
    /// Counter of `code` (HOTP).
    pub counter: Option<u64>,
}

/// An account's names and parameters, without code or secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// Account id.
    pub id: Uuid,
    /// Issuer.
    pub issuer: String,
    /// Account name.
    pub account: String,
    /// TOTP, HOTP or Steam.
    pub kind: Kind,
    /// HMAC hash.
    pub algorithm: otp::Algorithm,
    /// Code length.
    pub digits: u8,
    /// Seconds per code.
    pub period: u64,
    /// When it was added (Unix seconds).
    pub created: u64,
    /// When it was moved to the trash, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<u64>,
}
