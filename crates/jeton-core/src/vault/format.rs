//! The vault file format: bytes and a key in, accounts out, and back. No I/O, no
//! keychain.
//!
//! Why a module of its own: the format is what must stay readable for years, so it
//! is kept pure, to be tested against a golden file (`tests/golden/`) and fuzzed
//! without a Secret Service.
//!
//! Layout: a 52-byte header, then XChaCha20-Poly1305 ciphertext of the contents.
//! The whole header is the associated data, so changing any header byte makes the
//! file fail to open.
//!
//! | bytes  | field                                   |
//! |--------|-----------------------------------------|
//! | 0..8   | magic `JETONVLT`                        |
//! | 8..10  | format version, little-endian (1..)     |
//! | 10..12 | cipher id (1: XChaCha20-Poly1305)       |
//! | 12..28 | vault id (names the keychain entry)     |
//! | 28..52 | nonce, fresh and random on every write  |
//!
//! Versions: postcard is positional (fields in order, enum variants by index), so
//! the in-memory [`Account`] is never what is stored. Each version has its own
//! frozen types (`v1`), converted to and from [`Account`]; the decoder picks them
//! by `match version`. Version 0 never existed and is refused as corrupt; a newer
//! version is [`Error::VaultTooNew`], and the vault layer never writes over it.

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::contents::Contents;
use crate::account::Account;
use crate::error::{Error, Result};
use crate::keychain::VaultKey;

/// The first eight bytes of every vault file.
pub const MAGIC: &[u8; 8] = b"JETONVLT";
/// Format version this build writes (and the newest it reads).
pub const FORMAT_VERSION: u16 = 1;
/// Cipher id of XChaCha20-Poly1305, the only cipher.
pub const CIPHER_XCHACHA20_POLY1305: u16 = 1;
/// Length of the header, which is also the associated data.
pub const HEADER_LEN: usize = 8 + 2 + 2 + 16 + 24;
/// Length of the nonce at the end of the header.
pub const NONCE_LEN: usize = 24;
/// Largest vault file read or written (about 100,000 accounts).
pub const MAX_VAULT_BYTES: u64 = 64 * 1024 * 1024;
/// Bytes the cipher adds after the contents (the Poly1305 tag).
const TAG_LEN: usize = 16;

/// A vault file's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Format version of the contents.
    pub version: u16,
    /// The vault's id, which names its keychain entry.
    pub vault_id: Uuid,
    /// The nonce of this write: different on every write, so it also tells whether
    /// the file changed since it was read.
    pub nonce: [u8; NONCE_LEN],
}

fn corrupt() -> Error {
    Error::VaultCorrupt(String::new())
}

impl Header {
    /// Reads and checks the header at the start of `bytes` (the rest may be absent).
    pub fn parse(bytes: &[u8]) -> Result<Header> {
        let header = bytes.get(..HEADER_LEN).ok_or_else(corrupt)?;
        let (magic, rest) = header.split_at(MAGIC.len());
        if magic != MAGIC {
            return Err(corrupt());
        }
        let version = u16::from_le_bytes([rest[0], rest[1]]);
        let cipher = u16::from_le_bytes([rest[2], rest[3]]);
        match version {
            0 => return Err(corrupt()),
            v if v > FORMAT_VERSION => return Err(Error::VaultTooNew(v)),
            _ => {}
        }
        if cipher != CIPHER_XCHACHA20_POLY1305 {
            return Err(corrupt());
        }
        let vault_id = Uuid::from_slice(&rest[4..20]).map_err(|_| corrupt())?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&rest[20..]);
        Ok(Header {
            version,
            vault_id,
            nonce,
        })
    }

    fn to_bytes(self) -> Vec<u8> {
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&self.version.to_le_bytes());
        header.extend_from_slice(&CIPHER_XCHACHA20_POLY1305.to_le_bytes());
        header.extend_from_slice(self.vault_id.as_bytes());
        header.extend_from_slice(&self.nonce);
        header
    }
}

/// Encrypts `contents` as a vault file (format [`FORMAT_VERSION`]) for `vault_id`,
/// with a fresh random nonce. A file larger than [`MAX_VAULT_BYTES`] is refused:
/// Jeton could not open it again.
pub fn encrypt(contents: &Contents, vault_id: Uuid, key: &VaultKey) -> Result<Vec<u8>> {
    let plaintext = v1::encode(&contents.accounts)?;
    let size = (HEADER_LEN + plaintext.len() + TAG_LEN) as u64;
    if size > MAX_VAULT_BYTES {
        return Err(Error::VaultTooLarge {
            size,
            limit: MAX_VAULT_BYTES,
        });
    }
    let nonce = XNonce::try_generate()
        .map_err(|e| Error::Keychain(format!("no secure random numbers: {e}")))?;
    let mut header = Header {
        version: FORMAT_VERSION,
        vault_id,
        nonce: [0; NONCE_LEN],
    };
    header.nonce.copy_from_slice(&nonce);
    let mut out = header.to_bytes();
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_slice()).map_err(|_| Error::KeyCorrupt)?;
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: &plaintext,
                aad: &out,
            },
        )
        .map_err(|_| Error::VaultCorrupt("encryption failed".into()))?;
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Decrypts and decodes a whole vault file of any version this build reads.
pub fn decrypt(bytes: &[u8], key: &VaultKey) -> Result<Contents> {
    if bytes.len() as u64 > MAX_VAULT_BYTES {
        return Err(corrupt());
    }
    let header = Header::parse(bytes)?;
    let (aad, ciphertext) = bytes.split_at(HEADER_LEN);
    let nonce = XNonce::from(header.nonce);
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_slice()).map_err(|_| Error::KeyCorrupt)?;
    let plaintext = Zeroizing::new(
        cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| corrupt())?,
    );
    let accounts = match header.version {
        1 => v1::decode(&plaintext)?,
        // Header::parse lets through only the versions above.
        _ => return Err(corrupt()),
    };
    Ok(Contents { accounts })
}

/// Format 1, frozen: the shape of `Account` when format 1 was made. Never edit
/// these types; a new shape is a new module and a new version.
mod v1 {
    use serde::{Deserialize, Serialize};
    use zeroize::Zeroizing;

    use super::corrupt;
    use crate::account::Account;
    use crate::error::{Error, Result};
    use crate::otp::{Algorithm, Kind, OtpParams, Secret};

    /// An account as format 1 reads it.
    #[derive(Deserialize)]
    struct AccountV1 {
        id: Id,
        issuer: String,
        name: String,
        secret: SecretV1,
        params: ParamsV1,
        created: u64,
        position: u32,
        group: Option<String>,
        favourite: bool,
        notes: String,
        deleted_at: Option<u64>,
    }

    /// An account as format 1 writes it: the same fields, borrowed.
    #[derive(Serialize)]
    struct AccountV1Ref<'a> {
        id: BytesRef<'a>,
        issuer: &'a str,
        name: &'a str,
        secret: BytesRef<'a>,
        params: ParamsV1,
        created: u64,
        position: u32,
        group: &'a Option<String>,
        favourite: bool,
        notes: &'a str,
        deleted_at: Option<u64>,
    }

    #[derive(Clone, Copy, Serialize, Deserialize)]
    struct ParamsV1 {
        kind: KindV1,
        algorithm: AlgorithmV1,
        digits: u8,
        period: u64,
        counter: u64,
    }

    /// Stored by index: never reorder.
    #[derive(Clone, Copy, Serialize, Deserialize)]
    enum KindV1 {
        Totp,
        Hotp,
        Steam,
    }

    /// Stored by index: never reorder.
    #[derive(Clone, Copy, Serialize, Deserialize)]
    enum AlgorithmV1 {
        Sha1,
        Sha256,
        Sha512,
    }

    /// Bytes written as postcard bytes (a length, then the bytes).
    struct BytesRef<'a>(&'a [u8]);

    impl Serialize for BytesRef<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    /// Bytes read back, wiped on drop (they may be a secret).
    struct Bytes(Zeroizing<Vec<u8>>);

    impl<'de> Deserialize<'de> for Bytes {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = Bytes;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Bytes, E> {
                    Ok(Bytes(Zeroizing::new(bytes.to_vec())))
                }
            }
            deserializer.deserialize_bytes(Visitor)
        }
    }

    /// A 16-byte id.
    struct Id(uuid::Uuid);

    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let bytes = Bytes::deserialize(deserializer)?;
            uuid::Uuid::from_slice(&bytes.0)
                .map(Id)
                .map_err(serde::de::Error::custom)
        }
    }

    struct SecretV1(Secret);

    impl<'de> Deserialize<'de> for SecretV1 {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut bytes = Bytes::deserialize(deserializer)?;
            Ok(SecretV1(Secret::from_bytes(std::mem::take(&mut *bytes.0))))
        }
    }

    impl From<KindV1> for Kind {
        fn from(kind: KindV1) -> Kind {
            match kind {
                KindV1::Totp => Kind::Totp,
                KindV1::Hotp => Kind::Hotp,
                KindV1::Steam => Kind::Steam,
            }
        }
    }

    impl From<Kind> for KindV1 {
        fn from(kind: Kind) -> KindV1 {
            match kind {
                Kind::Totp => KindV1::Totp,
                Kind::Hotp => KindV1::Hotp,
                Kind::Steam => KindV1::Steam,
            }
        }
    }

    impl From<AlgorithmV1> for Algorithm {
        fn from(algorithm: AlgorithmV1) -> Algorithm {
            match algorithm {
                AlgorithmV1::Sha1 => Algorithm::Sha1,
                AlgorithmV1::Sha256 => Algorithm::Sha256,
                AlgorithmV1::Sha512 => Algorithm::Sha512,
            }
        }
    }

    impl From<Algorithm> for AlgorithmV1 {
        fn from(algorithm: Algorithm) -> AlgorithmV1 {
            match algorithm {
                Algorithm::Sha1 => AlgorithmV1::Sha1,
                Algorithm::Sha256 => AlgorithmV1::Sha256,
                Algorithm::Sha512 => AlgorithmV1::Sha512,
            }
        }
    }

    impl From<ParamsV1> for OtpParams {
        fn from(p: ParamsV1) -> OtpParams {
            OtpParams {
                kind: p.kind.into(),
                algorithm: p.algorithm.into(),
                digits: p.digits,
                period: p.period,
                counter: p.counter,
            }
        }
    }

    impl From<OtpParams> for ParamsV1 {
        fn from(p: OtpParams) -> ParamsV1 {
            ParamsV1 {
                kind: p.kind.into(),
                algorithm: p.algorithm.into(),
                digits: p.digits,
                period: p.period,
                counter: p.counter,
            }
        }
    }

    impl From<AccountV1> for Account {
        fn from(a: AccountV1) -> Account {
            Account {
                id: a.id.0,
                issuer: a.issuer,
                name: a.name,
                secret: a.secret.0,
                params: a.params.into(),
                created: a.created,
                position: a.position,
                group: a.group,
                favourite: a.favourite,
                notes: a.notes,
                deleted_at: a.deleted_at,
            }
        }
    }

    impl<'a> From<&'a Account> for AccountV1Ref<'a> {
        fn from(a: &'a Account) -> AccountV1Ref<'a> {
            AccountV1Ref {
                id: BytesRef(a.id.as_bytes()),
                issuer: &a.issuer,
                name: &a.name,
                secret: BytesRef(a.secret.as_bytes()),
                params: a.params.into(),
                created: a.created,
                position: a.position,
                group: &a.group,
                favourite: a.favourite,
                notes: &a.notes,
                deleted_at: a.deleted_at,
            }
        }
    }

    /// The accounts as format 1's plaintext, in a buffer wiped on drop.
    pub(super) fn encode(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>> {
        let accounts: Vec<AccountV1Ref<'_>> = accounts.iter().map(AccountV1Ref::from).collect();
        // Sized first, then written into a buffer of exactly that size: a growing
        // buffer would leave unwiped copies of the secrets behind as it moves.
        let failed = |e: postcard::Error| Error::VaultCorrupt(format!("encoding failed: {e}"));
        let size =
            postcard::serialize_with_flavor(&accounts, postcard::ser_flavors::Size::default())
                .map_err(failed)?;
        let mut plaintext = Zeroizing::new(vec![0u8; size]);
        postcard::to_slice(&accounts, &mut plaintext).map_err(failed)?;
        Ok(plaintext)
    }

    /// Format 1's plaintext back to accounts; anything left over is damage.
    pub(super) fn decode(plaintext: &[u8]) -> Result<Vec<Account>> {
        let (accounts, rest): (Vec<AccountV1>, _) =
            postcard::take_from_bytes(plaintext).map_err(|_| corrupt())?;
        if !rest.is_empty() {
            return Err(corrupt());
        }
        Ok(accounts.into_iter().map(Account::from).collect())
    }
}

/// The accounts of a vault file, for callers that hold the key themselves (tests,
/// recovery tools): [`decrypt`] without the [`Contents`] wrapper.
pub fn decrypt_accounts(bytes: &[u8], key: &VaultKey) -> Result<Vec<Account>> {
    decrypt(bytes, key).map(|contents| contents.accounts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, Kind, OtpParams, Secret};

    /// Format 1 files were written by serialising `Vec<Account>` directly. The
    /// frozen types must read and write exactly those bytes (while `Account` still
    /// has that shape; once it changes, the golden file carries the contract).
    #[test]
    fn v1_is_byte_for_byte_the_shape_account_had() {
        let mut hotp = Account::new(
            "Ïssuer",
            "name",
            Secret::from_bytes(vec![1, 2, 3, 200]),
            OtpParams {
                kind: Kind::Hotp,
                algorithm: Algorithm::Sha512,
                digits: 8,
                period: 30,
                counter: 300,
            },
        )
        .unwrap();
        hotp.group = Some("g".into());
        hotp.favourite = true;
        hotp.notes = "n".into();
        hotp.deleted_at = Some(1 << 40);
        hotp.position = 70_000;
        let steam =
            Account::new("S", "", Secret::from_bytes(vec![9; 20]), OtpParams::steam()).unwrap();
        let accounts = vec![hotp, steam];
        let old = postcard::to_allocvec(&accounts).unwrap();
        assert_eq!(*v1::encode(&accounts).unwrap(), old);
        let back = v1::decode(&old).unwrap();
        assert_eq!(postcard::to_allocvec(&back).unwrap(), old);
    }
}
