//! Ente Auth exports: the encrypted JSON export, and the otpauth lines inside it
//! (which are also Ente's plain text export, read by the otpauth-list importer).
//!
//! Why it is built this way:
//! - The key is libsodium's `crypto_pwhash` (Argon2id 1.3, one lane, 32 bytes) with
//!   the file's own `memLimit` (bytes) and `opsLimit`: both are checked against
//!   [`super::limits`] by [`crypto::argon2id`] before any memory is spent.
//! - The data is one `crypto_secretstream_xchacha20poly1305` chunk (header =
//!   `encryptionNonce`), opened with the pure-Rust `crypto_secretstream` crate.
//!   Its MAC tells a wrong password apart from a file that is not Ente's at all;
//!   the app writes the tag MESSAGE, other writers FINAL: both are accepted.
//! - Each line carries Ente's `codeDisplay=` JSON parameter. It is taken out of
//!   the link before the link is read (it may be long and is no OTP parameter):
//!   `trashed` skips the entry, `pinned`, the first tag and the note become
//!   favourite, group and notes. Ente has written `algorithm=null` (and digits,
//!   period, counter): such a value means "absent", as Ente reads it.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{crypto, limits, BackupError, ImportEntry, Importer, Input};

/// Ente Auth's encrypted export (Argon2id + libsodium secretstream).
pub struct EnteEncrypted;

/// The encrypted export's JSON.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EncryptedExport {
    version: Option<u64>,
    kdf_params: KdfParams,
    encrypted_data: String,
    encryption_nonce: String,
}

/// libsodium `crypto_pwhash` parameters, as Ente writes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KdfParams {
    /// Memory in bytes.
    mem_limit: u64,
    /// Argon2 passes.
    ops_limit: u64,
    /// Base64 of the salt.
    salt: String,
}

impl Importer for EnteEncrypted {
    fn name(&self) -> &'static str {
        "ente-encrypted"
    }

    fn detect(&self, input: &Input) -> bool {
        input.json.as_ref().is_some_and(|json| {
            json.get("kdfParams").is_some_and(|k| k.is_object())
                && json.get("encryptedData").is_some_and(|d| d.is_string())
                && json.get("encryptionNonce").is_some_and(|n| n.is_string())
        })
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let export: EncryptedExport = super::from_json(input.bytes)?;
        if let Some(version) = export.version.filter(|v| *v != 1) {
            return Err(BackupError::Unsupported(format!(
                "this Ente Auth export has version {version}; Jeton reads version 1"
            )));
        }
        let password = super::need_password(password)?;
        let plaintext = decrypt(&export, password)?;
        let text = std::str::from_utf8(&plaintext)
            .map_err(|_| BackupError::damaged("the decrypted Ente export is not text"))?;
        limits::check_entries(text.lines().filter(|l| !l.trim().is_empty()).count())?;
        Ok(entries_from_lines(text))
    }
}

/// Derives the key and opens the one secretstream chunk.
fn decrypt(export: &EncryptedExport, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let params = &export.kdf_params;
    // libsodium takes bytes and uses whole KiB; anything beyond u32 is far past the caps.
    let too_costly = || {
        BackupError::CostTooHigh(format!(
            "Argon2 with {} bytes of memory and {} passes",
            params.mem_limit, params.ops_limit
        ))
    };
    let memory_kib = u32::try_from(params.mem_limit / 1024).map_err(|_| too_costly())?;
    let passes = u32::try_from(params.ops_limit).map_err(|_| too_costly())?;
    limits::check_argon2(memory_kib, passes, 1)?;
    let salt = super::base64(&params.salt)?;
    let header = super::base64(&export.encryption_nonce)?;
    let header = crypto_secretstream::Header::try_from(header.as_slice())
        .map_err(|_| BackupError::damaged("the Ente encryptionNonce is not 24 bytes"))?;
    let mut data = super::base64(&export.encrypted_data)?;
    if data.len() < crypto_secretstream::Stream::ABYTES {
        return Err(BackupError::damaged("the Ente encryptedData is truncated"));
    }

    let key = crypto::argon2id(password.as_bytes(), &salt, memory_kib, passes, 1)?;
    let key = crypto_secretstream::Key::from(*key);
    let mut stream = crypto_secretstream::PullStream::init(header, &key);
    // The MAC covers the tag and the text: failing it means the key is wrong.
    let tag = stream
        .pull(&mut *data, &[])
        .map_err(|_| BackupError::WrongPassword)?;
    match tag {
        crypto_secretstream::Tag::Message | crypto_secretstream::Tag::Final => Ok(data),
        other => Err(BackupError::damaged(format!(
            "unexpected secretstream tag {other:?} (the export is one chunk)"
        ))),
    }
}

/// Reads Ente's otpauth lines, one entry per non-empty line, with what Ente's
/// `codeDisplay=` parameter says: an entry in Ente's trash is skipped ("in Ente's
/// trash"), a pinned one becomes a favourite, its first tag its group, its note
/// its notes. Lines without `codeDisplay` are read as plain otpauth links.
/// At most [`limits::MAX_ENTRIES`] + 1 lines are read, so that the caller's
/// [`limits::check_entries`] still refuses a longer file.
pub(crate) fn entries_from_lines(text: &str) -> Vec<ImportEntry> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(limits::MAX_ENTRIES.saturating_add(1))
        .map(entry_from_line)
        .collect()
}

/// What Ente's `codeDisplay` JSON says about one entry.
#[derive(Default)]
struct CodeDisplay {
    trashed: bool,
    pinned: bool,
    tag: Option<String>,
    note: Option<String>,
}

impl CodeDisplay {
    /// Reads the fields Jeton uses, leniently: a field of another type is absent.
    fn parse(json: &str) -> Self {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
            return Self::default();
        };
        let flag = |name: &str| value.get(name).and_then(|v| v.as_bool()) == Some(true);
        let text = |v: &serde_json::Value| {
            v.as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        CodeDisplay {
            trashed: flag("trashed"),
            pinned: flag("pinned"),
            tag: value
                .get("tags")
                .and_then(|t| t.as_array())
                .and_then(|tags| tags.iter().find_map(text)),
            note: value.get("note").and_then(text),
        }
    }
}

/// One line: the link without Ente's extras, then what `codeDisplay` says (the
/// plain link list reads every line this way: other apps' links have no extras).
pub(crate) fn entry_from_line(line: &str) -> ImportEntry {
    let (link, display) = split_code_display(line);
    let mut entry = ImportEntry::from_link(&link);
    let display = display
        .as_deref()
        .map(CodeDisplay::parse)
        .unwrap_or_default();
    if display.trashed {
        return ImportEntry::unsupported(&entry.issuer, &entry.account, "in Ente's trash");
    }
    if let Ok(account) = &mut entry.outcome {
        account.favourite = display.pinned;
        account.group = display.tag;
        if let Some(note) = display.note {
            account.notes = note;
        }
    }
    entry
}

/// Parameters whose literal value `null` Ente writes for "not set".
const NULLABLE: [&str; 4] = ["algorithm", "digits", "period", "counter"];

/// Splits `codeDisplay=` (decoded) out of the link, and drops `null` values of
/// the [`NULLABLE`] parameters; the other parameters are kept byte for byte.
fn split_code_display(line: &str) -> (Zeroizing<String>, Option<String>) {
    let Some((base, query)) = line.split_once('?') else {
        return (Zeroizing::new(line.to_string()), None);
    };
    let mut display = None;
    let mut kept: Vec<&str> = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.eq_ignore_ascii_case("codeDisplay") {
            display = url::form_urlencoded::parse(pair.as_bytes())
                .next()
                .map(|(_, v)| v.into_owned());
        } else if !(value.eq_ignore_ascii_case("null")
            && NULLABLE.iter().any(|n| key.eq_ignore_ascii_case(n)))
        {
            kept.push(pair);
        }
    }
    let mut link = Zeroizing::new(String::with_capacity(line.len()));
    link.push_str(base);
    link.push('?');
    for (i, pair) in kept.iter().enumerate() {
        if i > 0 {
            link.push('&');
        }
        link.push_str(pair);
    }
    (link, display)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Kind;

    /// `../shared/conformance/<folder>/<file>` as text, or `None` (with a note)
    /// when the shared folder is absent, as the integration tests' helper does.
    fn fixture(folder: &str, file: &str) -> Option<String> {
        let found = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|dir| dir.join("shared/conformance").join(folder).join(file))
            .find(|p| p.exists());
        if found.is_none() {
            assert!(
                std::env::var_os("JETON_REQUIRE_SHARED").is_none_or(|v| v != "1"),
                "../shared/conformance/{folder}/{file} is absent and JETON_REQUIRE_SHARED=1"
            );
            eprintln!("NOTE: ../shared/conformance/{folder}/{file} is absent: SKIPPED");
        }
        found.map(|path| std::fs::read_to_string(path).expect("fixture readable"))
    }

    /// (issuer, account, kind, algorithm, digits, period or counter, Base32 secret)
    type Row = (
        &'static str,
        &'static str,
        Kind,
        &'static str,
        u8,
        u64,
        &'static str,
    );

    fn assert_rows(entries: &[ImportEntry], rows: &[Row]) {
        assert_eq!(entries.len(), rows.len());
        for (entry, row) in entries.iter().zip(rows) {
            let a = entry.outcome.as_ref().expect("entry imports");
            let p = a.params;
            let moving = if p.kind == Kind::Hotp {
                p.counter
            } else {
                p.period
            };
            assert_eq!(
                (
                    a.issuer.as_str(),
                    a.name.as_str(),
                    p.kind,
                    p.algorithm.as_str(),
                    p.digits,
                    moving,
                    a.secret.to_base32().as_str()
                ),
                *row
            );
        }
    }

    #[test]
    fn ente_plain_export_of_the_aegis_vectors() {
        let Some(text) = fixture("importers", "ente_auth.txt") else {
            return;
        };
        let entries = entries_from_lines(&text);
        // The file's order: Air Canada, Airbnb, Boeing, Deno, Issuu, SPDX, WWE.
        assert_rows(
            &entries,
            &[
                (
                    "Air Canada",
                    "Benjamin",
                    Kind::Hotp,
                    "SHA256",
                    7,
                    50,
                    "KUVJJOM753IHTNDSZVCNKL7GII",
                ),
                (
                    "Airbnb",
                    "Elijah",
                    Kind::Totp,
                    "SHA512",
                    8,
                    50,
                    "7ELGJSGXNCCTV3O6LKJWYFV2RA",
                ),
                (
                    "Boeing",
                    "Sophia",
                    Kind::Steam,
                    "SHA1",
                    5,
                    30,
                    "JRZCL47CMXVOQMNPZR2F7J4RGI",
                ),
                (
                    "Deno",
                    "Mason",
                    Kind::Totp,
                    "SHA1",
                    6,
                    30,
                    "4SJHB4GSD43FZBAI7C2HLRJGPQ",
                ),
                (
                    "Issuu",
                    "James",
                    Kind::Hotp,
                    "SHA1",
                    6,
                    1,
                    "YOOMIXWS5GN6RTBPUFFWKTW5M4",
                ),
                (
                    "SPDX",
                    "James",
                    Kind::Totp,
                    "SHA256",
                    7,
                    20,
                    "5OM4WOOGPLQEF6UGN3CPEOOLWU",
                ),
                (
                    "WWE",
                    "Mason",
                    Kind::Hotp,
                    "SHA512",
                    8,
                    10300,
                    "5VAML3X35THCEBVRLV24CGBKOY",
                ),
            ],
        );
        for entry in &entries {
            let a = entry.outcome.as_ref().expect("imports");
            assert!(!a.favourite && a.group.is_none() && a.notes.is_empty());
        }
    }

    #[test]
    fn ente_encrypted_fixtures_plaintext() {
        let Some(text) = fixture(
            "importers-more",
            "ente_encrypted_lowcomplexity.plaintext.txt",
        ) else {
            return;
        };
        let entries = entries_from_lines(&text);
        assert_rows(
            &entries,
            &[
                ("dfdf", "adfasdf", Kind::Hotp, "SHA1", 6, 1, "ASDFADA"),
                (
                    "issuertest",
                    "accountest",
                    Kind::Totp,
                    "SHA256",
                    6,
                    30,
                    "SECRETDATA",
                ),
                ("steam", "steam", Kind::Steam, "SHA1", 5, 30, "AAAAAAAA"),
            ],
        );
        let notes: Vec<_> = entries
            .iter()
            .map(|e| {
                let a = e.outcome.as_ref().expect("imports");
                (a.group.as_deref(), a.notes.as_str())
            })
            .collect();
        assert_eq!(
            notes,
            [
                (None, "adsfadsfadfad"),
                (Some("a tag"), "somnotes"),
                (None, "")
            ]
        );
    }

    fn display(json: &str) -> String {
        url::form_urlencoded::byte_serialize(json.as_bytes()).collect()
    }

    #[test]
    fn code_display_trash_pin_tags_and_nulls() {
        let trashed = display(r#"{"pinned":false,"trashed":true,"tags":[]}"#);
        let pinned = display(r#"{"pinned":true,"trashed":false,"tags":["  ","Work","Home"]}"#);
        let odd = display(r#"{"pinned":"yes","trashed":null,"tags":"Work"}"#);
        let text = format!(
            "otpauth://totp/code1%20ente:jdjdbfbdbdbdb?algorithm=sha1&issuer=code1+ente&secret=XHAJDBHDBXVBDNSNNSNB&codeDisplay={trashed}\n\
             \n\
             otpauth://totp/Pin:me?secret=GEZDGNBVGY3TQOJQ&codeDisplay={pinned}&digits=8\r\n\
             otpauth://totp/COMPANY:LABEL?secret=GEZDGNBVGY3TQOJQ&issuer=COMPANY&algorithm=null&digits=null&period=null&codeDisplay={odd}\n\
             otpauth://totp/Bad:one?secret=GEZ1&codeDisplay={trashed}\n\
             otpauth://totp/Bad:two?secret=GEZ1&codeDisplay=%7Bnot%20json\n\
             otpauth://hotp/H:c?secret=GEZDGNBVGY3TQOJQ&counter=null\n"
        );
        let entries = entries_from_lines(&text);
        assert_eq!(entries.len(), 6);

        let reason = |e: &ImportEntry| e.outcome.as_ref().err().map(|r| r.to_string());
        assert_eq!(
            (entries[0].issuer.as_str(), entries[0].account.as_str()),
            ("code1 ente", "jdjdbfbdbdbdb")
        );
        assert_eq!(reason(&entries[0]).as_deref(), Some("in Ente's trash"));

        let pin = entries[1].outcome.as_ref().expect("pinned imports");
        assert!(pin.favourite);
        assert_eq!(pin.group.as_deref(), Some("Work"));
        assert_eq!(pin.params.digits, 8);

        let odd = entries[2]
            .outcome
            .as_ref()
            .expect("null parameters are absent");
        assert_eq!(
            (odd.issuer.as_str(), odd.name.as_str()),
            ("COMPANY", "LABEL")
        );
        assert_eq!(odd.params, crate::otp::OtpParams::default());
        assert!(!odd.favourite && odd.group.is_none());

        // A trashed entry is reported as trashed even when it could not be read.
        assert_eq!(reason(&entries[3]).as_deref(), Some("in Ente's trash"));
        assert_eq!(entries[3].issuer, "Bad");
        // An unreadable codeDisplay is ignored; the bad secret is the reason.
        assert_eq!(
            entries[4].outcome.as_ref().err().map(|e| e.code()),
            Some("secret.invalid")
        );
        assert_eq!(entries[5].outcome.as_ref().expect("hotp").params.counter, 0);
    }

    #[test]
    fn lines_are_bounded() {
        let line = "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ\n";
        let text = line.repeat(limits::MAX_ENTRIES + 5);
        assert_eq!(entries_from_lines(&text).len(), limits::MAX_ENTRIES + 1);
    }
}
