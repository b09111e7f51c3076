//! `otpauth://` enrolment links (Google's Key Uri Format), read as real services
//! write them and written back so that they round-trip.
//!
//! Policies where libraries disagree (each is tested in `tests/uri_conformance.rs`):
//! - Label prefix and `issuer=` both present and different: the `issuer` parameter
//!   wins (Google's format calls it the preferred source; otpauth JS and Proton do
//!   the same), and the account name is the part after the label's colon.
//! - HOTP without `counter`: the counter starts at 0 (pyotp), as every HOTP server does.
//! - A parameter given twice: the last one wins (pyotp).
//! - An empty `issuer=`, `digits=`, `period=` or `algorithm=`: treated as absent.
//! - `digits` from 1 to 9 (6–8 without a warning); `period` from 1 s to one year,
//!   kept as given (KeePassXC's clamp to 24 h is not applied).
//! - Algorithms other than SHA1/SHA256/SHA512 (SHA224, SHA3-*) are refused: the codes
//!   they would give cannot be produced by most servers' partners and we cannot check them.
//! - `+` in the query means a space (form encoding, as Android and Python decode it);
//!   in the label path it is a literal `+`.

use std::borrow::Cow;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::account::Account;
use crate::error::{Error, Result};
use crate::otp::{Algorithm, Kind, OtpParams, Secret};

/// Longest accepted link: a QR code holds at most 4,296 characters.
pub const MAX_URI_LEN: usize = 4296;
/// Shortest accepted secret: one byte. Weak secrets are the issuer's choice (Aegis's
/// suite has an 8-bit one); the user gets a warning below 128 bits, not a refusal.
pub const MIN_SECRET_BYTES: usize = 1;

/// Characters escaped in the label and in query values.
const COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'/')
    .add(b':')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Parses an `otpauth://` (or `steam://SECRET`) link into a new, unsaved account.
pub fn parse(uri: &str) -> Result<Account> {
    let uri = uri.trim();
    if uri.len() > MAX_URI_LEN {
        return Err(Error::TooLarge {
            size: uri.len(),
            limit: MAX_URI_LEN,
        });
    }
    let (scheme, rest) = uri
        .split_once("://")
        .ok_or_else(|| Error::WrongScheme(scheme_of(uri)))?;
    if scheme.eq_ignore_ascii_case("steam") {
        let secret = secret_checked(rest.trim_end_matches('/'))?;
        return Account::new("Steam", "", secret, OtpParams::steam());
    }
    if !scheme.eq_ignore_ascii_case("otpauth") {
        return Err(Error::WrongScheme(scheme_of(uri)));
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (type_name, label) = path.split_once('/').unwrap_or((path, ""));

    let label = percent_decode_str(label)
        .decode_utf8()
        .map_err(|_| Error::MalformedUri("the label is not valid UTF-8".into()))?;
    let (label_issuer, name) = match label.split_once(':') {
        Some((issuer, name)) => (issuer.trim(), name.trim()),
        None => ("", label.trim()),
    };

    let mut secret_text: Option<Cow<str>> = None;
    let mut issuer_param = None;
    let mut algorithm = None;
    let mut digits = None;
    let mut period = None;
    let mut counter = None;
    let mut steam_encoder = false;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let non_empty = (!value.trim().is_empty()).then(|| value.clone());
        match key.to_ascii_lowercase().as_str() {
            "secret" => secret_text = Some(value),
            "issuer" => issuer_param = non_empty,
            "algorithm" => algorithm = non_empty,
            "digits" => digits = non_empty,
            "period" => period = non_empty,
            "counter" => counter = non_empty,
            "encoder" => steam_encoder = value.eq_ignore_ascii_case("steam"),
            _ => {} // image=, color=, … are presentation hints: ignored.
        }
    }

    let kind = match type_name.to_ascii_lowercase().as_str() {
        "totp" if steam_encoder => Kind::Steam,
        "totp" => Kind::Totp,
        "hotp" => Kind::Hotp,
        "steam" => Kind::Steam,
        "" => {
            return Err(Error::MalformedUri(
                "the OTP type (totp or hotp) is missing".into(),
            ))
        }
        other => return Err(Error::UnknownType(other.to_string())),
    };
    let secret = secret_checked(secret_text.as_deref().ok_or(Error::MissingSecret)?);
    // A percent-decoded copy of the key is wiped (the link itself is the caller's).
    if let Some(Cow::Owned(mut decoded)) = secret_text {
        zeroize::Zeroize::zeroize(&mut decoded);
    }
    let secret = secret?;

    let mut params = if kind == Kind::Steam {
        OtpParams::steam()
    } else {
        OtpParams {
            kind,
            ..OtpParams::default()
        }
    };
    if kind != Kind::Steam {
        if let Some(text) = algorithm {
            params.algorithm = Algorithm::parse(&text)?;
        }
        if let Some(text) = digits {
            params.digits = text.trim().parse().map_err(|_| Error::DigitsOutOfRange {
                found: text.to_string(),
                min: *crate::otp::DIGITS_RANGE.start(),
                max: *crate::otp::DIGITS_RANGE.end(),
            })?;
        }
    }
    // Steam Guard codes always last 30 s: its period and digits are ignored (pyotp).
    if let Some(text) = period.filter(|_| kind != Kind::Steam) {
        params.period = text.trim().parse().map_err(|_| Error::PeriodOutOfRange {
            found: text.to_string(),
            max: crate::otp::MAX_PERIOD,
        })?;
    }
    if kind == Kind::Hotp {
        if let Some(text) = counter {
            params.counter = text
                .trim()
                .parse()
                .map_err(|_| Error::InvalidCounter(text.to_string()))?;
        }
    }

    let issuer = match issuer_param.as_deref() {
        Some(issuer) => issuer,
        None if kind == Kind::Steam && label_issuer.is_empty() => "Steam",
        None => label_issuer,
    };
    Account::new(issuer, name, secret, params)
}

/// The scheme of `text` for an error message: only a short, scheme-like prefix
/// before "://", never other content (a pasted Base32 key must not be echoed).
/// The issuer and account a link's label and `issuer=` name, read leniently and
/// without the secret: to name an entry that cannot be imported.
pub fn label_names(link: &str) -> (String, String) {
    let link = link.trim();
    let Some((_, rest)) = link.get(..MAX_URI_LEN).unwrap_or(link).split_once("://") else {
        return (String::new(), String::new());
    };
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let label = path.split_once('/').map_or(path, |(_, label)| label);
    let label = percent_decode_str(label).decode_utf8_lossy();
    let (mut issuer, name) = match label.split_once(':') {
        Some((issuer, name)) => (issuer.trim().to_string(), name.trim().to_string()),
        None => (String::new(), label.trim().to_string()),
    };
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if key.eq_ignore_ascii_case("issuer") && !value.trim().is_empty() {
            issuer = value.trim().to_string();
        }
    }
    (issuer, name)
}

pub(crate) fn scheme_of(text: &str) -> String {
    text.split_once("://")
        .map(|(scheme, _)| scheme)
        .filter(|s| {
            s.len() <= 20
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        })
        .unwrap_or("")
        .to_string()
}

fn secret_checked(text: &str) -> Result<Secret> {
    let secret = Secret::from_base32(text)?;
    if secret.as_bytes().len() < MIN_SECRET_BYTES {
        return Err(Error::InvalidSecret(format!(
            "only {} bits; at least {} are needed",
            secret.bits(),
            MIN_SECRET_BYTES * 8
        )));
    }
    Ok(secret)
}

/// Parses a secret typed by hand (the "Unable to scan?" text): spaces, dashes and
/// lower case allowed.
pub fn parse_manual_secret(text: &str) -> Result<Secret> {
    secret_checked(text)
}

/// Writes the account back as an `otpauth://` link that [`parse`] reads to the same
/// account. The link holds the secret: only for an explicit, permitted export.
pub fn to_uri(account: &Account) -> zeroize::Zeroizing<String> {
    let encode = |text: &str| utf8_percent_encode(text, COMPONENT).to_string();
    let params = &account.params;
    // The label splits at its first ':', once decoded: an issuer holding ':' can
    // only travel in the issuer parameter, and a name holding ':' needs the
    // separator in front of it. ":name" is read back as no issuer and "name".
    let label = if !account.issuer.is_empty() && !account.issuer.contains(':') {
        format!("{}:{}", encode(&account.issuer), encode(&account.name))
    } else if account.issuer.is_empty() && !account.name.contains(':') {
        encode(&account.name)
    } else {
        format!(":{}", encode(&account.name))
    };
    let mut uri = format!(
        "otpauth://{}/{}?secret={}",
        params.kind.as_str(),
        label,
        account.secret.to_base32().as_str()
    );
    if !account.issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.push_str(&encode(&account.issuer));
    }
    if params.kind != Kind::Steam {
        uri.push_str(&format!(
            "&algorithm={}&digits={}",
            params.algorithm.as_str(),
            params.digits
        ));
    }
    match params.kind {
        Kind::Hotp => uri.push_str(&format!("&counter={}", params.counter)),
        Kind::Totp | Kind::Steam => uri.push_str(&format!("&period={}", params.period)),
    }
    zeroize::Zeroizing::new(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keycloak_link_from_the_seeds() {
        let a = parse("otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&digits=6&algorithm=HmacSHA1&issuer=CCOMTL&period=30").unwrap();
        assert_eq!((a.issuer.as_str(), a.name.as_str()), ("CCOMTL", "WXYZ2620"));
        assert_eq!(a.params, OtpParams::default());
    }

    #[test]
    fn round_trips_awkward_names() {
        for uri in [
            "otpauth://totp/ACME%20Co:john%2Bdoe%40example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60",
            "otpauth://hotp/H%C3%B4pital%3A%20Qu%C3%A9bec:%C3%A9l%C3%A8ve?secret=GEZDGNBVGY3TQOJQ&counter=42",
            "otpauth://steam/Steam:gamer?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
            "otpauth://totp/nolabelissuer?secret=GEZDGNBVGY3TQOJQ",
            "otpauth://totp/x?issuer=Intranet%3A%20Paris&secret=GEZDGNBVGY3TQOJQ",
            "otpauth://totp/:user%3Ahome?secret=GEZDGNBVGY3TQOJQ",
        ] {
            let first = parse(uri).unwrap();
            let again = parse(&to_uri(&first)).unwrap();
            assert_eq!(
                (&first.issuer, &first.name, &first.secret, first.params),
                (&again.issuer, &again.name, &again.secret, again.params),
                "{uri}"
            );
        }
    }

    #[test]
    fn policies() {
        let mismatch = parse(
            "otpauth://totp/GitHub:test?issuer=Gitlab&secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ",
        )
        .unwrap();
        assert_eq!(
            (mismatch.issuer.as_str(), mismatch.name.as_str()),
            ("Gitlab", "test")
        );
        let hotp = parse("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ").unwrap();
        assert_eq!(hotp.params.counter, 0);
        let steam = parse("STEAM://63BEDWCQZKTQWPESARIERL5DTTQFCJTK").unwrap();
        assert_eq!(
            (steam.params.kind, steam.issuer.as_str()),
            (Kind::Steam, "Steam")
        );
        let encoder =
            parse("OTPAUTH://TOTP/Steam:me?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&encoder=steam")
                .unwrap();
        assert_eq!(encoder.params.kind, Kind::Steam);
    }

    #[test]
    fn errors_never_echo_a_pasted_key() {
        for text in ["JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "é://JBSWY3DPEHPK3PXP"] {
            let message = parse(text).unwrap_err().to_string();
            assert!(!message.contains("JBSWY3DP"), "{message}");
        }
        assert!(parse("https://x")
            .unwrap_err()
            .to_string()
            .contains("\"https\""));
    }

    #[test]
    fn typed_errors() {
        let too_long = format!("otpauth://totp/x?secret={}", "A".repeat(MAX_URI_LEN));
        let cases: [(&str, &str); 9] = [
            ("https://example.com", "uri.wrong_scheme"),
            (
                "otpauth://motp/x?secret=GEZDGNBVGY3TQOJQ",
                "uri.unknown_type",
            ),
            ("otpauth://totp/x?issuer=y", "secret.missing"),
            ("otpauth://totp/x?secret=", "secret.missing"),
            ("otpauth://totp/x?secret=GEZDGNB1", "secret.invalid"),
            (
                "otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5",
                "otp.unsupported_algorithm",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBV&digits=12",
                "otp.digits_out_of_range",
            ),
            (
                "otpauth://totp/x?secret=GEZDGNBV&period=-30",
                "otp.period_out_of_range",
            ),
            (&too_long, "input.too_large"),
        ];
        for (uri, code) in cases {
            assert_eq!(parse(uri).unwrap_err().code(), code, "{uri}");
        }
    }
}
