//! Stratum (formerly Authenticator Pro) backups: plain JSON, the same JSON
//! encrypted ("strong" or legacy), and the HTML page it exports.
//!
//! Why it is built this way (after stratumauth/app `doc/BACKUP_FORMAT.md`,
//! `extra/decrypt_backup.py` and `Stratum.Core`):
//! - JSON: `Authenticators` (`Type` 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex;
//!   `Algorithm` 0/1/2 = SHA1/256/512), with `Categories` and
//!   `AuthenticatorCategories` binding authenticators (by secret) to categories:
//!   the first category becomes the account's group. mOTP and Yandex are skipped.
//! - Encrypted files start with a 16-byte header that names the scheme, whose
//!   costs are fixed by the app (not stated by the file):
//!   `AUTHENTICATORPRO` ‖ salt (16) ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag, key
//!   Argon2id (4 lanes, 64 MiB, 3 passes); `AuthenticatorPro` (legacy) ‖ salt (20)
//!   ‖ IV (16) ‖ AES-256-CBC/PKCS#7, key PBKDF2-SHA1 × 64,000. The legacy scheme
//!   has no integrity check: bad padding or a plaintext that is not JSON can
//!   only mean a wrong password (or damage, which it cannot tell apart).
//! - HTML: each link is the text of a `<code>` element. A small bounded scanner
//!   reads those texts (entities decoded) instead of an HTML parser; Stratum's
//!   own reader does the same with an XPath `//code`.

use std::collections::HashMap;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{crypto, limits, BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Algorithm, Kind, OtpParams, Secret, DIGITS_RANGE, MAX_PERIOD};

/// Stratum's encrypted backup (`.authpro`), strong or legacy.
pub struct StratumEncrypted;

/// Stratum's plain JSON backup.
pub struct StratumJson;

/// Stratum's HTML export (a table of otpauth links and QR codes).
pub struct StratumHtml;

const STRONG_HEADER: &[u8] = b"AUTHENTICATORPRO";
const LEGACY_HEADER: &[u8] = b"AuthenticatorPro";

impl Importer for StratumEncrypted {
    fn name(&self) -> &'static str {
        "stratum-encrypted"
    }

    fn detect(&self, input: &Input) -> bool {
        input.bytes.starts_with(STRONG_HEADER) || input.bytes.starts_with(LEGACY_HEADER)
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let bytes = input.bytes;
        let truncated = || BackupError::damaged("the Stratum backup is truncated");
        if bytes.starts_with(STRONG_HEADER) {
            let salt = bytes.get(16..32).ok_or_else(truncated)?;
            let iv = bytes.get(32..44).ok_or_else(truncated)?;
            let sealed = bytes
                .get(44..)
                .filter(|s| s.len() >= 16)
                .ok_or_else(truncated)?;
            let password = super::need_password(password)?;
            let key = crypto::argon2id(password.as_bytes(), salt, 64 * 1024, 3, 4)?;
            let plaintext = crypto::aes256_gcm_open(key.as_slice(), iv, sealed, &[])?;
            let json: serde_json::Value = super::from_json(&plaintext)?;
            entries(&json)
        } else if bytes.starts_with(LEGACY_HEADER) {
            let salt = bytes.get(16..36).ok_or_else(truncated)?;
            let iv = bytes.get(36..52).ok_or_else(truncated)?;
            let ciphertext = bytes
                .get(52..)
                .filter(|c| !c.is_empty())
                .ok_or_else(truncated)?;
            if ciphertext.len() % 16 != 0 {
                return Err(truncated());
            }
            let password = super::need_password(password)?;
            let key = crypto::pbkdf2_sha1(password.as_bytes(), salt, 64_000)?;
            let plaintext = crypto::aes256_cbc_open(key.as_slice(), iv, ciphertext)?;
            let json: serde_json::Value =
                serde_json::from_slice(&plaintext).map_err(|_| BackupError::WrongPassword)?;
            entries(&json)
        } else {
            Err(BackupError::UnknownFormat)
        }
    }
}

impl Importer for StratumJson {
    fn name(&self) -> &'static str {
        "stratum"
    }

    fn detect(&self, input: &Input) -> bool {
        input
            .json
            .as_ref()
            .is_some_and(|json| json.get("Authenticators").is_some_and(|a| a.is_array()))
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let json = input.json_of("Stratum backup")?;
        entries(json)
    }
}

/// One authenticator as Stratum writes it (every field optional, read leniently).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Authenticator {
    #[serde(rename = "Type")]
    kind: Option<i64>,
    issuer: Option<String>,
    username: Option<String>,
    secret: Option<String>,
    algorithm: Option<i64>,
    digits: Option<i64>,
    period: Option<i64>,
    counter: Option<i64>,
}

/// Reads a backup's JSON (decrypted or plain; also the rows of Stratum's
/// internal database, put in the same shape by `sqlite.rs`).
pub(crate) fn entries(json: &serde_json::Value) -> Result<Vec<ImportEntry>, BackupError> {
    // `null` is how Stratum writes an empty list; no list at all is no backup.
    if json.get("Authenticators").is_none() {
        return Err(BackupError::damaged(
            "a Stratum backup has a list of Authenticators",
        ));
    }
    let list = |name: &str| -> Result<&[serde_json::Value], BackupError> {
        let items = json
            .get(name)
            .and_then(|v| v.as_array())
            .map_or(&[][..], Vec::as_slice);
        limits::check_entries(items.len())?;
        Ok(items)
    };
    let authenticators = list("Authenticators")?;
    let groups = groups(list("Categories")?, list("AuthenticatorCategories")?);
    Ok(authenticators
        .iter()
        .map(|value| {
            let mut entry = authenticator(value);
            let secret = value.get("Secret").and_then(|s| s.as_str());
            if let (Ok(account), Some(group)) =
                (&mut entry.outcome, secret.and_then(|s| groups.get(s)))
            {
                account.group = Some(group.clone());
            }
            entry
        })
        .collect())
}

/// Each authenticator's secret → the name of the first category it is in.
fn groups(
    categories: &[serde_json::Value],
    bindings: &[serde_json::Value],
) -> HashMap<String, String> {
    fn text<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
        v.get(key).and_then(|s| s.as_str())
    }
    let names: HashMap<&str, &str> = categories
        .iter()
        .filter_map(|c| Some((text(c, "Id")?, text(c, "Name")?.trim())))
        .filter(|(_, name)| !name.is_empty())
        .collect();
    let mut groups = HashMap::new();
    for binding in bindings {
        if let (Some(secret), Some(name)) = (
            text(binding, "AuthenticatorSecret"),
            text(binding, "CategoryId").and_then(|id| names.get(id)),
        ) {
            groups
                .entry(secret.to_string())
                .or_insert_with(|| name.to_string());
        }
    }
    groups
}

/// One authenticator, or why it cannot be imported.
fn authenticator(value: &serde_json::Value) -> ImportEntry {
    let auth = match Authenticator::deserialize(value) {
        Ok(auth) => auth,
        Err(e) => {
            let issuer = value.get("Issuer").and_then(|s| s.as_str()).unwrap_or("");
            return ImportEntry::skipped(issuer, "", BackupError::damaged(e).into());
        }
    };
    let issuer = auth.issuer.as_deref().unwrap_or("");
    let account = auth.username.as_deref().unwrap_or("");
    let params = match params(&auth) {
        Ok(params) => params,
        Err(reason) => return ImportEntry::skipped(issuer, account, reason),
    };
    let secret = auth
        .secret
        .as_deref()
        .ok_or(Error::MissingSecret)
        .and_then(Secret::from_base32);
    ImportEntry::build(issuer, account, secret, params)
}

/// The OTP parameters from Stratum's numbers; mOTP and Yandex are not supported.
fn params(auth: &Authenticator) -> crate::Result<OtpParams> {
    let kind = match auth.kind {
        Some(1) => Kind::Hotp,
        Some(2) => Kind::Totp,
        Some(4) => return Ok(OtpParams::steam()),
        Some(3) => return Err(unsupported("mOTP (Mobile-OTP) is not supported")),
        Some(5) => return Err(unsupported("Yandex OTP is not supported")),
        Some(other) => return Err(unsupported(&format!("unknown Stratum type {other}"))),
        None => return Err(unsupported("the Stratum entry has no type")),
    };
    let algorithm = match auth.algorithm.unwrap_or(0) {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        other => return Err(Error::UnsupportedAlgorithm(other.to_string())),
    };
    let digits = auth.digits.unwrap_or(6);
    let digits = u8::try_from(digits).map_err(|_| Error::DigitsOutOfRange {
        found: digits.to_string(),
        min: *DIGITS_RANGE.start(),
        max: *DIGITS_RANGE.end(),
    })?;
    let period = auth.period.unwrap_or(30);
    let period = match kind {
        Kind::Hotp => 30, // not used; Stratum writes 30 anyway
        _ => u64::try_from(period).map_err(|_| Error::PeriodOutOfRange {
            found: period.to_string(),
            max: MAX_PERIOD,
        })?,
    };
    let counter = auth.counter.unwrap_or(0);
    let counter = match kind {
        Kind::Hotp => {
            u64::try_from(counter).map_err(|_| Error::InvalidCounter(counter.to_string()))?
        }
        _ => 0,
    };
    Ok(OtpParams {
        kind,
        algorithm,
        digits,
        period,
        counter,
    })
}

fn unsupported(reason: &str) -> Error {
    Error::Backup(BackupError::UnsupportedEntry(reason.to_string()))
}

impl Importer for StratumHtml {
    fn name(&self) -> &'static str {
        "stratum-html"
    }

    fn detect(&self, input: &Input) -> bool {
        let Some(text) = input.text else {
            return false;
        };
        let page = text.trim_start();
        (strip_prefix_ci(page, "<!doctype html").is_some()
            || strip_prefix_ci(page, "<html").is_some())
            && code_texts(text).any(|code| {
                let code = code.trim_start();
                ["otpauth://", "motp://"]
                    .iter()
                    .any(|scheme| strip_prefix_ci(code, scheme).is_some())
            })
    }

    fn read(
        &self,
        input: &Input,
        _password: Option<&str>,
    ) -> Result<Vec<ImportEntry>, BackupError> {
        let text = input.text.ok_or_else(|| BackupError::damaged("not text"))?;
        let links: Vec<Zeroizing<String>> = code_texts(text)
            .filter(|code| !code.trim().is_empty())
            .take(limits::MAX_ENTRIES.saturating_add(1))
            .collect();
        limits::check_entries(links.len())?;
        Ok(links.iter().map(|link| html_link(link.trim())).collect())
    }
}

/// One link of the HTML page, read as Stratum writes and reads its own links:
/// `motp://` and `otpauth://yaotp/` are skipped as mOTP and Yandex, and a `totp` link with Stratum's bare `steam`
/// flag or the issuer `Steam` is a Steam account (Stratum leaves the flag out
/// when the issuer is `Steam`).
fn html_link(link: &str) -> ImportEntry {
    if let Some(rest) = strip_prefix_ci(link, "motp://") {
        // `motp://issuer:username?secret=…`: no type segment.
        let label = rest.split(['?', '#']).next().unwrap_or("");
        let label = percent_encoding::percent_decode_str(label).decode_utf8_lossy();
        let (issuer, account) = label.split_once(':').unwrap_or(("", &label));
        return ImportEntry::unsupported(issuer, account, "mOTP (Mobile-OTP) is not supported");
    }
    if strip_prefix_ci(link, "otpauth://yaotp/").is_some() {
        let (issuer, account) = crate::uri::label_names(link);
        return ImportEntry::unsupported(&issuer, &account, "Yandex OTP is not supported");
    }
    let is_totp = strip_prefix_ci(link, "otpauth://totp/").is_some();
    let query = link.split_once('?').map_or("", |(_, q)| q);
    let steam_flag = query.split('&').any(|pair| pair == "steam");
    let steam_issuer = url::form_urlencoded::parse(query.as_bytes())
        .any(|(key, value)| key.eq_ignore_ascii_case("issuer") && value == "Steam");
    if is_totp && (steam_flag || steam_issuer) {
        let mut steam = Zeroizing::new(String::with_capacity(link.len() + 16));
        steam.push_str(link);
        steam.push_str("&encoder=steam");
        return ImportEntry::from_link(&steam);
    }
    ImportEntry::from_link(link)
}

/// Most characters one `<code>` text may hold: far more than a QR code's link.
const MAX_CODE_CHARS: usize = 64 * 1024;

/// The texts of the page's `<code>…</code>` elements, in order, with nested tags
/// removed and entities decoded. A `<code>` without its end is not read; a text
/// longer than [`MAX_CODE_CHARS`] is cut there.
fn code_texts(html: &str) -> impl Iterator<Item = Zeroizing<String>> + '_ {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let open = find_ci(rest, "<code")?;
        let after = rest.get(open + 5..)?;
        // `<code>` or `<code attr…>`, not `<codex>`.
        if !after.starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            rest = after;
            continue;
        }
        let inner_start = after.find('>')? + 1;
        let inner = after.get(inner_start..)?;
        let close = find_ci(inner, "</code")?;
        rest = inner.get(close..)?;
        let raw = inner.get(..close)?;
        return Some(decode_text(raw));
    })
}

/// `text` after `prefix` (ASCII), when it starts with it in any case.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.get(..prefix.len())
        .filter(|start| start.eq_ignore_ascii_case(prefix))
        .and_then(|_| text.get(prefix.len()..))
}

/// The first place of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// An element's text: tags removed, entities decoded, at most [`MAX_CODE_CHARS`].
fn decode_text(raw: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(raw.len().min(MAX_CODE_CHARS)));
    let mut rest = raw;
    let mut count = 0;
    while let Some(c) = rest.chars().next() {
        if count >= MAX_CODE_CHARS {
            break;
        }
        let (decoded, used) = match c {
            '<' => {
                // A nested tag: skipped up to its '>' (or to the end).
                rest = rest
                    .find('>')
                    .and_then(|end| rest.get(end + 1..))
                    .unwrap_or("");
                continue;
            }
            '&' => entity(rest).unwrap_or(('&', 1)),
            other => (other, other.len_utf8()),
        };
        out.push(decoded);
        count += 1;
        rest = rest.get(used..).unwrap_or("");
    }
    out
}

/// The character an entity at the start of `text` stands for, and its length:
/// `&amp; &lt; &gt; &quot; &#39; &apos; &nbsp;`, `&#NN;` and `&#xNN;`.
fn entity(text: &str) -> Option<(char, usize)> {
    // The longest entity read is `&#x10FFFF;` (10 bytes).
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let name = text.get(1..end)?;
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_texts_and_entities() {
        let html =
            "<!doctype html><p><CODE>a&amp;b&lt;&gt;&quot;&#39;&#x41;&#66;&bogus;&#xZZ;&</CODE>\
                    <codex>no</codex><code class=\"x\">in<b>ne</b>r</code><code>unclosed";
        let texts: Vec<String> = code_texts(html).map(|t| t.to_string()).collect();
        assert_eq!(texts, ["a&b<>\"'AB&bogus;&#xZZ;&", "inner"]);
        let long = format!("<code>{}</code>", "x".repeat(MAX_CODE_CHARS + 10));
        assert_eq!(
            code_texts(&long).next().map(|t| t.len()),
            Some(MAX_CODE_CHARS)
        );
        assert_eq!(entity("&#1114112;"), None);
        assert_eq!(entity("&#x10FFFF;"), Some(('\u{10ffff}', 10)));
    }
}
