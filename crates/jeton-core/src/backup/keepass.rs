//! KeePass databases (KDBX 4, and KDBX 3.1): the entries holding KeePassXC's
//! `otp` field, an otpauth link.
//!
//! Why it is built this way:
//! - Decryption and the XML are the `keepass` crate's work. That crate spends
//!   whatever key-derivation cost the header states, and a few of its header
//!   reads assume well-formed field lengths. So the outer header (a short list
//!   of type–length–value fields, and the KDF parameters' VariantDictionary) is
//!   first read here, bounded: every field length is checked, and the Argon2
//!   memory, passes and lanes or the AES-KDF rounds go through [`limits`]
//!   before the crate is called. As a last guard the crate runs inside
//!   `catch_unwind`, so a malformed file it mishandles is `Damaged`, not a crash.
//! - KDBX 4 authenticates its header with a key derived from the password: a
//!   wrong HMAC is a wrong password, and anything wrong after it is damage.
//!   KDBX 3 has no such check before decrypting, so a bad padding there is
//!   reported as a wrong password (by far the likelier cause).
//! - Only entries reached from the root group, outside the recycle bin, count;
//!   entry history is never read. An entry without `otp` is not an entry for
//!   Jeton at all. Names come from the link (issuer=, label), as KeePassXC writes
//!   them (its `none` for an entry without user name is kept).

use keepass::error::{CryptographyError, DatabaseFormatError, DatabaseKeyError, DatabaseOpenError};
use keepass::{Database, DatabaseKey};

use super::{limits, BackupError, ImportEntry, Importer, Input};

/// The KDBX signature: `03 D9 A2 9A`, then `67 FB 4B B5` for KeePass 2.
const SIGNATURE: [u8; 4] = [0x03, 0xd9, 0xa2, 0x9a];
/// Second signature of KeePass 2 (KDBX) files.
const KDBX: [u8; 4] = [0x67, 0xfb, 0x4b, 0xb5];
/// Second signature of KeePass 1 (`.kdb`) files.
const KDB1: [u8; 4] = [0x65, 0xfb, 0x4b, 0xb5];
/// Second signature of KeePass 2 pre-release files.
const KDBX_PRE: [u8; 4] = [0x66, 0xfb, 0x4b, 0xb5];
/// Most fields in an outer header: real files have about ten.
const MAX_HEADER_FIELDS: usize = 64;
/// Most entries in one VariantDictionary: the KDF parameters have six.
const MAX_DICTIONARY_ITEMS: usize = 64;

/// KDF identifiers (`$UUID` in the KDF parameters).
const KDF_ARGON2D: [u8; 16] = [
    0xef, 0x63, 0x6d, 0xdf, 0x8c, 0x29, 0x44, 0x4b, 0x91, 0xf7, 0xa9, 0xa4, 0x03, 0xe3, 0x0a, 0x0c,
];
const KDF_ARGON2ID: [u8; 16] = [
    0x9e, 0x29, 0x8b, 0x19, 0x56, 0xdb, 0x47, 0x73, 0xb2, 0x3d, 0xfc, 0x3e, 0xc6, 0xf0, 0xa1, 0xe6,
];
const KDF_AES_KDBX3: [u8; 16] = [
    0xc9, 0xd9, 0xf3, 0x9a, 0x62, 0x8a, 0x44, 0x60, 0xbf, 0x74, 0x0d, 0x08, 0xc1, 0x8a, 0x4f, 0xea,
];
const KDF_AES_KDBX4: [u8; 16] = [
    0x7c, 0x02, 0xbb, 0x82, 0x79, 0xa7, 0x4a, 0xc0, 0x92, 0x7d, 0x11, 0x4a, 0x00, 0x64, 0x82, 0x38,
];

/// KeePass KDBX 4 databases: entries with an otp field.
pub struct KeePass;

impl Importer for KeePass {
    fn name(&self) -> &'static str {
        "keepass"
    }

    fn detect(&self, input: &Input) -> bool {
        input.bytes.starts_with(&SIGNATURE)
            && input
                .bytes
                .get(4..8)
                .is_some_and(|s| s == KDBX || s == KDB1 || s == KDBX_PRE)
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let bytes = input.bytes;
        let major = check_header(bytes)?;
        let password = super::need_password(password)?;
        let key = DatabaseKey::new().with_password(password);
        let opened =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Database::parse(bytes, key)))
                .map_err(|_| BackupError::damaged("the KeePass database is malformed"))?;
        let db = opened.map_err(|e| open_error(e, major))?;
        entries(&db)
    }
}

/// Every `otp` field reached from the root group, outside the recycle bin.
fn entries(db: &Database) -> Result<Vec<ImportEntry>, BackupError> {
    let recycle_bin = db.recycle_bin().map(|g| g.id());
    let mut links = Vec::new();
    let mut pending = vec![db.root().id()];
    // Each group is visited at most once, whatever the parsed tree holds.
    let mut visits = 0usize;
    while let Some(id) = pending.pop() {
        visits += 1;
        if visits > db.num_groups() || Some(id) == recycle_bin {
            continue;
        }
        let Some(group) = db.group(id) else { continue };
        for entry in group.entries() {
            if let Some(otp) = entry.get_raw_otp_value() {
                links.push(zeroize::Zeroizing::new(otp.to_string()));
                limits::check_entries(links.len())?;
            }
        }
        // Reversed, so that groups come out in the file's order.
        let children: Vec<_> = group.group_ids().collect();
        pending.extend(children.into_iter().rev());
    }
    Ok(links.iter().map(|l| ImportEntry::from_link(l)).collect())
}

/// The crate's errors as Jeton's: a wrong key apart from damage.
fn open_error(e: DatabaseOpenError, major: u16) -> BackupError {
    match e {
        DatabaseOpenError::Key(DatabaseKeyError::IncorrectKey) => BackupError::WrongPassword,
        DatabaseOpenError::Key(_) => BackupError::Unsupported(
            "this KeePass database needs a key file or a hardware key, which Jeton cannot use"
                .into(),
        ),
        DatabaseOpenError::Cryptography(CryptographyError::InvalidPadding(_)) if major == 3 => {
            BackupError::WrongPassword
        }
        DatabaseOpenError::UnsupportedVersion => BackupError::Unsupported(
            "this KeePass file version is not supported: save it as KDBX 4 in KeePass or KeePassXC"
                .into(),
        ),
        DatabaseOpenError::Format(DatabaseFormatError::Kdbx4(
            keepass::error::Kdbx4OpenError::Xml(_),
        ))
        | DatabaseOpenError::Format(DatabaseFormatError::Kdbx3(
            keepass::error::Kdbx3OpenError::Xml(_),
        )) => BackupError::damaged("the KeePass database's content is not valid"),
        // The crate's other messages name header fields and blocks, never content.
        other => BackupError::damaged(format!("KeePass database: {other}")),
    }
}

/// Reads the outer header far enough to refuse what the crate must not be given:
/// an unknown version, malformed fields, or a key derivation above the caps.
/// Returns the major version (3 or 4).
fn check_header(bytes: &[u8]) -> Result<u16, BackupError> {
    let signature = bytes
        .get(4..8)
        .ok_or_else(|| BackupError::damaged("the KeePass header is truncated"))?;
    if signature == KDB1 {
        return Err(BackupError::Unsupported(
            "this is a KeePass 1 (.kdb) database: open it in KeePass or KeePassXC and save it as KDBX 4".into(),
        ));
    }
    if signature != KDBX {
        return Err(BackupError::Unsupported(
            "this KeePass file version is not supported: save it as KDBX 4 in KeePass or KeePassXC"
                .into(),
        ));
    }
    let major =
        u16_at(bytes, 10).ok_or_else(|| BackupError::damaged("the KeePass header is truncated"))?;
    match major {
        4 => check_kdbx4_header(bytes)?,
        3 => check_kdbx3_header(bytes)?,
        other => {
            return Err(BackupError::Unsupported(format!(
                "KeePass format version {other} is not supported (KDBX 3.1 and 4 are)"
            )))
        }
    }
    Ok(major)
}

/// The fields of a header: `(type, value)` pairs up to the end marker, with
/// lengths of `len_size` bytes (2 in KDBX 3, 4 in KDBX 4).
fn header_fields(bytes: &[u8], len_size: usize) -> Result<Vec<(u8, &[u8])>, BackupError> {
    let truncated = || BackupError::damaged("the KeePass header is truncated");
    let mut fields = Vec::new();
    let mut pos = 12usize;
    loop {
        if fields.len() >= MAX_HEADER_FIELDS {
            return Err(BackupError::damaged(
                "the KeePass header has too many fields",
            ));
        }
        let kind = *bytes.get(pos).ok_or_else(truncated)?;
        let len = match len_size {
            2 => u16_at(bytes, pos + 1).map(usize::from),
            _ => u32_at(bytes, pos + 1).and_then(|n| usize::try_from(n).ok()),
        }
        .ok_or_else(truncated)?;
        let start = pos + 1 + len_size;
        let end = start.checked_add(len).ok_or_else(truncated)?;
        let value = bytes.get(start..end).ok_or_else(truncated)?;
        pos = end;
        if kind == 0 {
            return Ok(fields);
        }
        fields.push((kind, value));
    }
}

/// Checks one header field's length against what its type needs.
fn expect_len(value: &[u8], len: usize, what: &str) -> Result<(), BackupError> {
    if value.len() != len {
        return Err(BackupError::damaged(format!(
            "the KeePass header's {what} has {} bytes instead of {len}",
            value.len()
        )));
    }
    Ok(())
}

fn check_kdbx4_header(bytes: &[u8]) -> Result<(), BackupError> {
    let mut kdf = None;
    for (kind, value) in header_fields(bytes, 4)? {
        match kind {
            1 | 4 | 7 => {} // comment, master seed, IV (any length is handled)
            2 => expect_len(value, 16, "cipher")?,
            3 => expect_len(value, 4, "compression")?,
            11 => kdf = Some(dictionary(value)?),
            12 => {
                dictionary(value)?;
            }
            other => {
                return Err(BackupError::damaged(format!(
                    "the KeePass header has an unknown field {other}"
                )))
            }
        }
    }
    let kdf =
        kdf.ok_or_else(|| BackupError::damaged("the KeePass header has no KDF parameters"))?;
    let find = |key: &str| {
        kdf.iter()
            .find(|(k, _)| *k == key.as_bytes())
            .map(|(_, v)| v)
    };
    let number = |key: &str| {
        find(key)
            .and_then(|v| v.number())
            .ok_or_else(|| BackupError::damaged(format!("the KDF parameters lack {key}")))
    };
    let uuid = find("$UUID")
        .and_then(|v| v.bytes())
        .ok_or_else(|| BackupError::damaged("the KDF parameters lack $UUID"))?;
    if uuid == KDF_ARGON2D || uuid == KDF_ARGON2ID {
        let too_high = |what: &str, n: u64| {
            BackupError::CostTooHigh(format!("Argon2 with {what} {n}, beyond any real database"))
        };
        let memory = number("M")?;
        let passes = number("I")?;
        let lanes = number("P")?;
        let memory_kib =
            u32::try_from(memory / 1024).map_err(|_| too_high("memory (bytes)", memory))?;
        let passes32 = u32::try_from(passes).map_err(|_| too_high("passes", passes))?;
        let lanes32 = u32::try_from(lanes).map_err(|_| too_high("lanes", lanes))?;
        limits::check_argon2(memory_kib, passes32, lanes32)?;
        limits::check_fuzzing_cost(u64::from(memory_kib) * u64::from(passes32))
    } else if uuid == KDF_AES_KDBX4 || uuid == KDF_AES_KDBX3 {
        let rounds = number("R")?;
        limits::check_aes_kdf(rounds)?;
        limits::check_fuzzing_cost(rounds)
    } else {
        Err(BackupError::Unsupported(
            "this KeePass database uses a key derivation Jeton does not know".into(),
        ))
    }
}

fn check_kdbx3_header(bytes: &[u8]) -> Result<(), BackupError> {
    let mut rounds = None;
    for (kind, value) in header_fields(bytes, 2)? {
        match kind {
            1 | 4 | 5 | 7 | 8 | 9 => {}
            2 => expect_len(value, 16, "cipher")?,
            3 => expect_len(value, 4, "compression")?,
            6 => {
                expect_len(value, 8, "rounds")?;
                rounds = u64_at(value, 0);
            }
            10 => expect_len(value, 4, "inner cipher")?,
            other => {
                return Err(BackupError::damaged(format!(
                    "the KeePass header has an unknown field {other}"
                )))
            }
        }
    }
    let rounds =
        rounds.ok_or_else(|| BackupError::damaged("the KeePass header has no key rounds"))?;
    limits::check_aes_kdf(rounds)?;
    limits::check_fuzzing_cost(rounds)
}

/// One value of a KeePass VariantDictionary.
enum Variant<'a> {
    /// UInt32, UInt64, Int32 or Int64 (as read; negative ones are refused later).
    Number(u64),
    /// Bool, String, ByteArray: the raw bytes.
    Bytes(&'a [u8]),
}

impl Variant<'_> {
    fn number(&self) -> Option<u64> {
        match self {
            Variant::Number(n) => Some(*n),
            Variant::Bytes(_) => None,
        }
    }

    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Variant::Bytes(b) => Some(b),
            Variant::Number(_) => None,
        }
    }
}

/// Reads a VariantDictionary (version 1.x: `[type][u32 key len][key][u32 value
/// len][value]`… `0`), checking every value's length against its type.
fn dictionary(data: &[u8]) -> Result<Vec<(&[u8], Variant<'_>)>, BackupError> {
    let bad = || BackupError::damaged("the KeePass header's parameter list is malformed");
    if data.get(1) != Some(&1) {
        return Err(bad());
    }
    let mut items = Vec::new();
    let mut pos = 2usize;
    loop {
        let kind = *data.get(pos).ok_or_else(bad)?;
        if kind == 0 {
            return Ok(items);
        }
        if items.len() >= MAX_DICTIONARY_ITEMS {
            return Err(bad());
        }
        let key_len = u32_at(data, pos + 1)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(bad)?;
        let key_end = (pos + 5).checked_add(key_len).ok_or_else(bad)?;
        let key = data.get(pos + 5..key_end).ok_or_else(bad)?;
        let value_len = u32_at(data, key_end)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(bad)?;
        let value_end = (key_end + 4).checked_add(value_len).ok_or_else(bad)?;
        let value = data.get(key_end + 4..value_end).ok_or_else(bad)?;
        let variant = match (kind, value.len()) {
            (0x04, 4) => Variant::Number(u64::from(u32_at(value, 0).ok_or_else(bad)?)),
            (0x05, 8) => Variant::Number(u64_at(value, 0).ok_or_else(bad)?),
            (0x0c, 4) => {
                let n = i32::from_le_bytes(value.try_into().map_err(|_| bad())?);
                Variant::Number(u64::try_from(n).map_err(|_| bad())?)
            }
            (0x0d, 8) => {
                let n = i64::from_le_bytes(value.try_into().map_err(|_| bad())?);
                Variant::Number(u64::try_from(n).map_err(|_| bad())?)
            }
            (0x08, 1) | (0x18, _) | (0x42, _) => Variant::Bytes(value),
            _ => return Err(bad()),
        };
        items.push((key, variant));
        pos = value_end;
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}
