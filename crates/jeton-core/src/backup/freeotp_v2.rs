//! FreeOTP 2 backups (`externalBackup.xml`), read as FreeOTP's
//! `TokenPersistence`, `MasterKey` and `EncryptedKey` write them.
//!
//! Why it is built this way:
//! - Despite its name the file is no XML: it is `ObjectOutputStream.writeObject`
//!   of the backup preferences, a `java.util.HashMap<String, String>`. Rather
//!   than a general Java deserializer (a classic attack surface), a small reader
//!   accepts exactly that shape: the `HashMap` class descriptor with its fields
//!   (`loadFactor`, and `threshold` since Android 7), the block with
//!   capacity and size, then size × (key, value) strings, which may be
//!   `TC_STRING`, `TC_LONGSTRING` or a back reference to an earlier string. The
//!   declared size is checked against the entry cap and every length against
//!   the bytes left before anything is allocated; anything else is damage.
//! - `masterKey` holds the master key, AES-256-GCM-wrapped (AAD: its `mToken`,
//!   "AES") under PBKDF2 of the password with `mAlgorithm` (FreeOTP picks
//!   `PBKDF2withHmacSHA512`, else SHA-1), `mIterations` and `mSalt`; the derived
//!   key is as long as the salt (32 bytes). Its GCM tag tells a wrong password.
//!   The cost is checked before the password is even asked for.
//! - Each token is two keys: `<uuid>` → `{"key": "<EncryptedKey JSON>"}` (its
//!   secret, AES-GCM under the master key, AAD = `mToken`, e.g. "HmacSHA1") and
//!   `<uuid>-token` → the token's JSON. GCM nonces come from `mParameters`, the
//!   DER `GCMParameters` (nonce, tag length). A token whose secret does not
//!   open is skipped with that reason; the others still import.
//! - Unlike FreeOTP 1 and FreeOTP+, FreeOTP 2 stores the counter of the *next*
//!   HOTP code (`Token.getCode` uses `mCounter++`, and a scanned link's
//!   `counter=` is stored as it is), so the counter is taken as stored: the
//!   otpauth meaning. Aegis's fixtures, made from the same links, agree.
//! - The issuer is FreeOTP's `getIssuer()`: `issuerExt`, else `issuerInt`. A
//!   TOTP token whose `issuerExt` is exactly `Steam` shows Steam codes in
//!   FreeOTP, so it is imported as Steam. A null `algo` is SHA1.
//! - Entries keep the file's order (the backup holds no token order).

use std::collections::HashMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use zeroize::Zeroizing;

use super::twofas::{entry, number, params, text};
use super::{crypto, limits, need_password, BackupError, ImportEntry, Importer, Input};
use crate::error::Error;
use crate::otp::{Kind, Secret, MAX_SECRET_BYTES};

/// The start of every FreeOTP 2 backup: the stream header, then a new object of
/// a new class named `java.util.HashMap`.
const PREFIX: &[u8] = b"\xac\xed\x00\x05\x73\x72\x00\x11java.util.HashMap";
/// `java.util.HashMap`'s `serialVersionUID`.
const HASHMAP_UID: u64 = 0x0507_dac1_c316_60d1;
/// `SC_SERIALIZABLE | SC_WRITE_METHOD`: `HashMap` writes its entries itself.
const HASHMAP_FLAGS: u8 = 0x03;
/// `HashMap`'s serialized fields (type code, name): Android 6 writes only the
/// first (Harmony's `HashMap`), later versions both (OpenJDK's).
const HASHMAP_FIELDS: [(u8, &str); 2] = [(b'F', "loadFactor"), (b'I', "threshold")];
/// Both fields' values are 4 bytes (a float and an int).
const FIELD_LEN: usize = 4;
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7c;
/// The first handle: the class descriptor takes it, the map the next one, and
/// the strings follow in order.
const BASE_HANDLE: u32 = 0x7e_0000;
const FIRST_STRING_HANDLE: u32 = BASE_HANDLE + 2;
/// The smallest string in the stream (a reference: tag and 4-byte handle is 5;
/// an empty `TC_STRING` is 3).
const MIN_STRING_LEN: usize = 3;

const MASTER_KEY: &str = "masterKey";
const TOKEN_SUFFIX: &str = "-token";
const GCM: &str = "AES/GCM/NoPadding";
const KEY_LEN: usize = 32;
const GCM_TAG_LEN: u8 = 16;

/// FreeOTP 2's password-protected backup.
pub struct FreeOtpV2;

impl Importer for FreeOtpV2 {
    fn name(&self) -> &'static str {
        "freeotp-2"
    }

    fn detect(&self, input: &Input) -> bool {
        input.bytes.starts_with(PREFIX)
    }

    fn read(&self, input: &Input, password: Option<&str>) -> Result<Vec<ImportEntry>, BackupError> {
        let map = java_string_map(input.bytes)?;
        let mut values = HashMap::with_capacity(map.pairs.len());
        for (key, value) in map.pairs() {
            if values.insert(key, value).is_some() {
                return Err(BackupError::damaged("a key occurs twice in the backup"));
            }
        }
        let master = values
            .get(MASTER_KEY)
            .ok_or_else(|| BackupError::damaged("the backup has no master key"))?;
        let master: MasterKey = serde_json::from_str(master)
            .map_err(|e| BackupError::damaged(format!("the master key is not readable: {e}")))?;
        let kdf = master.kdf()?;
        let password = need_password(password)?;
        let master_key = master.open(kdf, password)?;
        Ok(tokens(&map, &values, &master_key))
    }
}

// ---- The Java serialization stream ----

/// The bytes of the stream, read front to back, every length checked first.
struct Stream<'a> {
    rest: &'a [u8],
}

impl<'a> Stream<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], BackupError> {
        if len > self.rest.len() {
            return Err(BackupError::damaged("the backup ends too early"));
        }
        let (head, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BackupError> {
        let (head, rest) = self
            .rest
            .split_first_chunk::<N>()
            .ok_or_else(|| BackupError::damaged("the backup ends too early"))?;
        self.rest = rest;
        Ok(*head)
    }

    fn u8(&mut self) -> Result<u8, BackupError> {
        self.array::<1>().map(|[b]| b)
    }

    fn u16(&mut self) -> Result<u16, BackupError> {
        self.array().map(u16::from_be_bytes)
    }

    fn u32(&mut self) -> Result<u32, BackupError> {
        self.array().map(u32::from_be_bytes)
    }

    fn u64(&mut self) -> Result<u64, BackupError> {
        self.array().map(u64::from_be_bytes)
    }

    fn expect(&mut self, want: u8, what: &str) -> Result<(), BackupError> {
        if self.u8()? != want {
            return Err(BackupError::damaged(format!(
                "{what} expected in the backup"
            )));
        }
        Ok(())
    }

    /// A `writeUTF` text: 2-byte length, then modified UTF-8.
    fn utf(&mut self) -> Result<String, BackupError> {
        let len = self.u16()?;
        java_utf8(self.take(usize::from(len))?)
    }

    /// A length-checked `u64` length.
    fn long_len(&mut self) -> Result<usize, BackupError> {
        let len = self.u64()?;
        usize::try_from(len)
            .ok()
            .filter(|len| *len <= self.rest.len())
            .ok_or_else(|| BackupError::damaged("the backup ends too early"))
    }
}

/// The strings of the serialized `HashMap<String, String>`, each kept once (a
/// back reference names an earlier one), and its pairs as indices, in the
/// file's order: a file cannot make a string be copied by naming it again.
struct JavaMap {
    strings: Vec<String>,
    pairs: Vec<(usize, usize)>,
}

impl JavaMap {
    fn text(&self, index: usize) -> &str {
        self.strings.get(index).map_or("", String::as_str)
    }

    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .map(|&(k, v)| (self.text(k), self.text(v)))
    }
}

/// Reads the one object of the stream, as FreeOTP writes it.
fn java_string_map(bytes: &[u8]) -> Result<JavaMap, BackupError> {
    let mut stream = Stream {
        rest: bytes
            .strip_prefix(PREFIX)
            .ok_or_else(|| BackupError::damaged("not a FreeOTP 2 backup"))?,
    };
    if stream.u64()? != HASHMAP_UID || stream.u8()? != HASHMAP_FLAGS {
        return Err(BackupError::damaged(
            "not the java.util.HashMap FreeOTP writes",
        ));
    }
    let fields = stream.u16()?;
    if usize::from(fields) > HASHMAP_FIELDS.len() {
        return Err(BackupError::damaged("too many HashMap fields"));
    }
    for _ in 0..fields {
        let field = (stream.u8()?, stream.utf()?);
        if !HASHMAP_FIELDS
            .iter()
            .any(|known| field.0 == known.0 && field.1 == known.1)
        {
            return Err(BackupError::damaged("an unexpected HashMap field"));
        }
    }
    stream.expect(TC_ENDBLOCKDATA, "the end of the class annotation")?;
    stream.expect(TC_NULL, "no superclass")?;
    stream.take(usize::from(fields) * FIELD_LEN)?;
    stream.expect(TC_BLOCKDATA, "the HashMap's capacity and size")?;
    stream.expect(8, "an 8-byte block")?;
    let _capacity = stream.u32()?;
    let size = usize::try_from(i32::from_be_bytes(stream.array()?))
        .map_err(|_| BackupError::damaged("a negative HashMap size"))?;
    limits::check_entries(size)?;
    if size.saturating_mul(2 * MIN_STRING_LEN) > stream.rest.len() {
        return Err(BackupError::damaged("the backup ends too early"));
    }
    let mut map = JavaMap {
        strings: Vec::with_capacity(2 * size),
        pairs: Vec::with_capacity(size),
    };
    for _ in 0..size {
        let key = string(&mut stream, &mut map.strings)?;
        let value = string(&mut stream, &mut map.strings)?;
        map.pairs.push((key, value));
    }
    stream.expect(TC_ENDBLOCKDATA, "the end of the HashMap")?;
    if !stream.rest.is_empty() {
        return Err(BackupError::damaged("data after the end of the backup"));
    }
    Ok(map)
}

/// The index (into `strings`) of the next string object; a new one is added.
fn string(stream: &mut Stream, strings: &mut Vec<String>) -> Result<usize, BackupError> {
    let text = match stream.u8()? {
        TC_STRING => stream.utf()?,
        TC_LONGSTRING => {
            let len = stream.long_len()?;
            java_utf8(stream.take(len)?)?
        }
        TC_REFERENCE => {
            let handle = stream.u32()?;
            return handle
                .checked_sub(FIRST_STRING_HANDLE)
                .and_then(|i| usize::try_from(i).ok())
                .filter(|i| *i < strings.len())
                .ok_or_else(|| BackupError::damaged("a reference to no earlier string"));
        }
        _ => return Err(BackupError::damaged("a map entry that is not a string")),
    };
    strings.push(text);
    Ok(strings.len() - 1)
}

/// Java's "modified UTF-8" (`writeUTF`): UTF-8 but for NUL as `C0 80` and
/// characters outside the BMP as two 3-byte surrogates.
fn java_utf8(bytes: &[u8]) -> Result<String, BackupError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let bad = || BackupError::damaged("a string of the backup is not valid text");
    let mut rest = bytes.iter().copied();
    let mut units = Vec::with_capacity(bytes.len());
    while let Some(first) = rest.next() {
        let unit = match first {
            0x00..=0x7f => Some(u16::from(first)),
            0xc0..=0xdf => continuation(&mut rest).map(|low| (u16::from(first & 0x1f) << 6) | low),
            0xe0..=0xef => continuation(&mut rest)
                .zip(continuation(&mut rest))
                .map(|(mid, low)| (u16::from(first & 0x0f) << 12) | (mid << 6) | low),
            _ => None,
        };
        units.push(unit.ok_or_else(bad)?);
    }
    String::from_utf16(&units).map_err(|_| bad())
}

/// The low six bits of a `10xxxxxx` byte.
fn continuation(rest: &mut impl Iterator<Item = u8>) -> Option<u16> {
    rest.next()
        .filter(|b| b & 0xc0 == 0x80)
        .map(|b| u16::from(b & 0x3f))
}

// ---- Keys ----

/// FreeOTP's `MasterKey`, as Gson writes it.
#[derive(Deserialize)]
struct MasterKey {
    #[serde(rename = "mAlgorithm")]
    algorithm: String,
    #[serde(rename = "mEncryptedKey")]
    key: EncryptedKey,
    #[serde(rename = "mIterations")]
    iterations: i64,
    #[serde(rename = "mSalt", deserialize_with = "java_bytes")]
    salt: Vec<u8>,
}

/// The PBKDF2 hash `mAlgorithm` names (Java looks the name up ignoring case).
#[derive(Clone, Copy)]
enum Kdf {
    Sha1(u32),
    Sha256(u32),
    Sha512(u32),
}

impl MasterKey {
    /// The key derivation, its cost checked against the cap.
    fn kdf(&self) -> Result<Kdf, BackupError> {
        let rounds = u32::try_from(self.iterations).map_err(|_| {
            if self.iterations < 0 {
                BackupError::damaged("a negative PBKDF2 iteration count")
            } else {
                BackupError::CostTooHigh(format!(
                    "PBKDF2 with {} iterations; the most allowed is {}",
                    self.iterations,
                    limits::MAX_PBKDF2_ROUNDS
                ))
            }
        })?;
        limits::check_pbkdf2(rounds)?;
        if self.salt.len() != KEY_LEN {
            // FreeOTP derives as many bytes as the salt has, and always uses 32.
            return Err(BackupError::damaged(
                "the master key's salt is not 32 bytes",
            ));
        }
        match self.algorithm.to_ascii_uppercase().as_str() {
            "PBKDF2WITHHMACSHA1" => Ok(Kdf::Sha1(rounds)),
            "PBKDF2WITHHMACSHA256" => Ok(Kdf::Sha256(rounds)),
            "PBKDF2WITHHMACSHA512" => Ok(Kdf::Sha512(rounds)),
            _ => Err(BackupError::Unsupported(format!(
                "this FreeOTP backup uses the key derivation {:?}, which Jeton does not know",
                self.algorithm.chars().take(40).collect::<String>()
            ))),
        }
    }

    /// The master key: a wrong password fails its GCM tag.
    fn open(&self, kdf: Kdf, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
        let (password, salt) = (password.as_bytes(), self.salt.as_slice());
        let key = match kdf {
            Kdf::Sha1(rounds) => crypto::pbkdf2_sha1(password, salt, rounds)?,
            Kdf::Sha256(rounds) => crypto::pbkdf2_sha256(password, salt, rounds)?,
            Kdf::Sha512(rounds) => crypto::pbkdf2_sha512(password, salt, rounds)?,
        };
        let master = self.key.open(key.as_slice())?;
        if master.len() != KEY_LEN {
            return Err(BackupError::damaged("the master key is not 256 bits"));
        }
        Ok(master)
    }
}

/// FreeOTP's `EncryptedKey`: a key, AES-GCM-encrypted, with its algorithm's
/// name (`mToken`) as the AAD.
#[derive(Deserialize)]
struct EncryptedKey {
    #[serde(rename = "mCipher")]
    cipher: String,
    #[serde(rename = "mCipherText", deserialize_with = "java_bytes")]
    ciphertext: Vec<u8>,
    #[serde(rename = "mParameters", deserialize_with = "java_bytes")]
    parameters: Vec<u8>,
    #[serde(rename = "mToken")]
    token: String,
}

impl EncryptedKey {
    /// The plaintext key; a failed GCM tag is [`BackupError::WrongPassword`].
    fn open(&self, key: &[u8]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
        if !self.cipher.eq_ignore_ascii_case(GCM) {
            return Err(BackupError::Unsupported(format!(
                "this FreeOTP backup uses the cipher {:?}, which Jeton does not know",
                self.cipher.chars().take(40).collect::<String>()
            )));
        }
        let nonce = gcm_nonce(&self.parameters)?;
        crypto::aes256_gcm_open(key, nonce, &self.ciphertext, self.token.as_bytes())
    }
}

/// The nonce of DER `GCMParameters ::= SEQUENCE { nonce OCTET STRING, tagLen
/// INTEGER }` (a bare OCTET STRING is taken too, as Aegis does). The tag must
/// be 16 bytes, what Android always uses (and assumed when not stated).
fn gcm_nonce(der: &[u8]) -> Result<&[u8], BackupError> {
    let bad = || BackupError::damaged("unreadable AES-GCM parameters");
    let body = match der {
        [0x30, len, body @ ..] if usize::from(*len) == body.len() => body,
        _ => der,
    };
    match body {
        [0x04, len, rest @ ..] if usize::from(*len) <= rest.len() && *len < 0x80 => {
            let (nonce, tag) = rest.split_at(usize::from(*len));
            match tag {
                [] | [0x02, 0x01, GCM_TAG_LEN] => Ok(nonce),
                [0x02, 0x01, other] => Err(BackupError::Unsupported(format!(
                    "this FreeOTP backup uses {other}-byte AES-GCM tags; Jeton reads 16-byte ones"
                ))),
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

/// A Java `byte[]` as Gson writes it: numbers from -128 to 127 (255 at most).
fn java_bytes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    let numbers = Vec::<i16>::deserialize(deserializer)?;
    numbers
        .into_iter()
        .map(|b| match b {
            -128..=255 => Ok((b & 0xff) as u8),
            _ => Err(serde::de::Error::custom("a byte out of range")),
        })
        .collect()
}

// ---- Tokens ----

/// One entry per token key, in the file's order. Token data without its key
/// (`<uuid>-token` alone) is reported as an entry without a secret.
fn tokens(map: &JavaMap, values: &HashMap<&str, &str>, master_key: &[u8]) -> Vec<ImportEntry> {
    let mut entries = Vec::new();
    for (key, value) in map.pairs() {
        if key == MASTER_KEY {
            continue;
        }
        // FreeOTP's own test for token data.
        if key.contains(TOKEN_SUFFIX) {
            if let Some(uuid) = key.strip_suffix(TOKEN_SUFFIX) {
                if !values.contains_key(uuid) {
                    let data = parse(Some(value));
                    let (issuer, account) = names(&data, uuid);
                    entries.push(ImportEntry::skipped(issuer, account, Error::MissingSecret));
                }
            }
            continue;
        }
        let data = values.get(format!("{key}{TOKEN_SUFFIX}").as_str()).copied();
        entries.push(token(key, value, data, master_key));
    }
    entries
}

/// JSON text, or `Null` when absent or not JSON.
fn parse(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// Issuer (`getIssuer()`: `issuerExt`, else `issuerInt`) and account (`label`;
/// the token's UUID when its data is missing).
fn names<'a>(token: &'a Value, uuid: &'a str) -> (&'a str, &'a str) {
    if !token.is_object() {
        return ("", uuid);
    }
    let issuer = match text(token, "issuerExt") {
        "" => text(token, "issuerInt"),
        issuer => issuer,
    };
    (issuer, text(token, "label"))
}

/// One token: its secret opened with the master key, its fields as FreeOTP 2's
/// `Token` reads them.
fn token(uuid: &str, key: &str, data: Option<&str>, master_key: &[u8]) -> ImportEntry {
    let token = parse(data);
    let (issuer, account) = names(&token, uuid);
    if !token.is_object() {
        let reason = BackupError::damaged("the token's details are missing or unreadable");
        return ImportEntry::skipped(issuer, account, Error::Backup(reason));
    }
    let kind = match text(&token, "type").to_ascii_uppercase().as_str() {
        "TOTP" if text(&token, "issuerExt") == "Steam" => Kind::Steam,
        "TOTP" => Kind::Totp,
        "HOTP" => Kind::Hotp,
        other => return ImportEntry::skipped(issuer, account, Error::UnknownType(other.into())),
    };
    let params = params(kind, &token, ["algo", "digits", "period"]).and_then(|mut p| {
        if kind == Kind::Hotp {
            p.counter = number(&token, "counter")
                .map_err(Error::InvalidCounter)?
                .unwrap_or(0);
        }
        Ok(p)
    });
    entry(issuer, account, secret(key, master_key), params)
}

/// The token's secret: `{"key": "<EncryptedKey JSON>"}` opened with the master key.
fn secret(key: &str, master_key: &[u8]) -> crate::Result<Secret> {
    let damaged = |what: &str| Error::Backup(BackupError::damaged(what));
    let encrypted: EncryptedKey = parse(Some(key))
        .get("key")
        .and_then(Value::as_str)
        .and_then(|k| serde_json::from_str(k).ok())
        .ok_or_else(|| damaged("the token's encrypted secret is unreadable"))?;
    let mut bytes = encrypted.open(master_key).map_err(|e| match e {
        BackupError::WrongPassword => damaged("the token's secret does not decrypt"),
        other => Error::Backup(other),
    })?;
    if bytes.is_empty() {
        return Err(Error::MissingSecret);
    }
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit: MAX_SECRET_BYTES,
        });
    }
    Ok(Secret::from_bytes(std::mem::take(&mut *bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream as FreeOTP writes it, with the given pairs (already encoded).
    fn stream(size: u32, pairs: &[u8]) -> Vec<u8> {
        let mut bytes = PREFIX.to_vec();
        bytes.extend(HASHMAP_UID.to_be_bytes());
        bytes.extend([HASHMAP_FLAGS, 0, 2]);
        bytes.extend(b"F\x00\x0aloadFactorI\x00\x09threshold\x78\x70");
        bytes.extend([0x3f, 0x40, 0, 0, 0, 0, 0, 12, TC_BLOCKDATA, 8, 0, 0, 0, 16]);
        bytes.extend(size.to_be_bytes());
        bytes.extend(pairs);
        bytes.push(TC_ENDBLOCKDATA);
        bytes
    }

    fn texts(map: &JavaMap) -> Vec<(&str, &str)> {
        map.pairs().collect()
    }

    #[test]
    fn references_name_earlier_strings_without_copies() {
        // "a" → "x", "b" → (reference to "x": the descriptor is 7e0000, the map
        // 7e0001, "a" 7e0002, "x" 7e0003).
        let pairs = b"t\x00\x01at\x00\x01xt\x00\x01bq\x00\x7e\x00\x03";
        let map = java_string_map(&stream(2, pairs)).unwrap();
        assert_eq!(texts(&map), [("a", "x"), ("b", "x")]);
        assert_eq!(map.strings.len(), 3);
        for handle in [0x7e_0000u32, 0x7e_0001, 0x7e_0005, 0] {
            let mut pairs = b"t\x00\x01at\x00\x01xt\x00\x01bq".to_vec();
            pairs.extend(handle.to_be_bytes());
            assert!(matches!(
                java_string_map(&stream(2, &pairs)),
                Err(BackupError::Damaged(_))
            ));
        }
    }

    #[test]
    fn modified_utf8_is_decoded() {
        assert_eq!(java_utf8(b"a\xc0\x80b").unwrap(), "a\0b");
        // U+1F600 as two 3-byte surrogates.
        assert_eq!(java_utf8(b"\xed\xa0\xbd\xed\xb8\x80").unwrap(), "\u{1f600}");
        assert_eq!(java_utf8("é".as_bytes()).unwrap(), "é");
        for bad in [&b"\xed\xa0\xbd"[..], b"\xc3", b"\xff", b"\xe0\x80"] {
            assert!(java_utf8(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_strings_and_the_known_shape_are_read() {
        // A value that is an object (TC_OBJECT), not a string.
        assert!(java_string_map(&stream(1, b"t\x00\x01as")).is_err());
        // An empty map is fine; one that says 1 and holds none is not.
        assert!(java_string_map(&stream(0, b"")).unwrap().pairs.is_empty());
        assert!(java_string_map(&stream(1, b"")).is_err());
        // An unknown field.
        let mut bytes = stream(0, b"");
        let at = bytes.windows(9).position(|w| w == b"threshold").unwrap();
        bytes[at] = b'T';
        assert!(java_string_map(&bytes).is_err());
    }

    #[test]
    fn gcm_parameters_are_read_strictly() {
        let nonce = [7u8; 12];
        let mut der = vec![0x30, 17, 0x04, 12];
        der.extend(nonce);
        der.extend([0x02, 0x01, 16]);
        assert_eq!(gcm_nonce(&der).unwrap(), nonce);
        assert_eq!(gcm_nonce(&der[2..16]).unwrap(), nonce);
        let mut short_tag = der.clone();
        short_tag[18] = 12;
        assert!(matches!(
            gcm_nonce(&short_tag),
            Err(BackupError::Unsupported(_))
        ));
        for bad in [&der[..10], &der[..17], &[0x30, 0][..], &[][..]] {
            assert!(gcm_nonce(bad).is_err(), "{bad:?}");
        }
    }
}
