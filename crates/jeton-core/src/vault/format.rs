//! The vault file format: bytes in, accounts out, and back. No I/O, no keychain.
//!
//! Why a module of its own: the format is what must stay readable for years, so it
//! is kept pure (a key and bytes in, contents out) to be tested against golden
//! files and fuzzed without a Secret Service.
//!
//! Layout: a 52-byte header, then XChaCha20-Poly1305 ciphertext of the contents
//! encoded with postcard. The whole header is the associated data, so changing any
//! header byte makes the file fail to open.
//!
//! | bytes  | field                                   |
//! |--------|-----------------------------------------|
//! | 0..8   | magic `JETONVLT`                        |
//! | 8..10  | format version, little-endian           |
//! | 10..12 | cipher id (1: XChaCha20-Poly1305)       |
//! | 12..28 | vault id (names the keychain entry)     |
//! | 28..52 | nonce, fresh and random on every write  |

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::contents::Contents;
use crate::error::{Error, Result};
use crate::keychain::VaultKey;

/// The first eight bytes of every vault file.
pub const MAGIC: &[u8; 8] = b"JETONVLT";
/// Format version this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Cipher id of XChaCha20-Poly1305, the only cipher.
pub const CIPHER_XCHACHA20_POLY1305: u16 = 1;
/// Length of the header, which is also the associated data.
pub const HEADER_LEN: usize = 8 + 2 + 2 + 16 + 24;
/// Largest vault file accepted (about 100,000 accounts).
pub const MAX_VAULT_BYTES: u64 = 64 * 1024 * 1024;

fn corrupt() -> Error {
    Error::VaultCorrupt(String::new())
}

fn header(vault_id: Uuid, nonce: &[u8]) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&CIPHER_XCHACHA20_POLY1305.to_le_bytes());
    header.extend_from_slice(vault_id.as_bytes());
    header.extend_from_slice(nonce);
    header
}

/// Checks the header and returns the vault id it names.
pub fn parse_header(bytes: &[u8]) -> Result<Uuid> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Err(corrupt());
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > FORMAT_VERSION {
        return Err(Error::VaultTooNew(version));
    }
    if u16::from_le_bytes([bytes[10], bytes[11]]) != CIPHER_XCHACHA20_POLY1305 {
        return Err(corrupt());
    }
    Uuid::from_slice(&bytes[12..28]).map_err(|_| corrupt())
}

/// Encrypts `contents` as a vault file for `vault_id`, with a fresh nonce.
pub fn encrypt(contents: &Contents, vault_id: Uuid, key: &VaultKey) -> Result<Vec<u8>> {
    // Sized first, then written into a buffer of exactly that size: a growing
    // buffer would leave unwiped copies of the secrets behind as it moves.
    let serialise_error = |e: postcard::Error| Error::VaultCorrupt(e.to_string());
    let accounts = &contents.accounts;
    let size = postcard::serialize_with_flavor(accounts, postcard::ser_flavors::Size::default())
        .map_err(serialise_error)?;
    let mut plaintext = Zeroizing::new(vec![0u8; size]);
    postcard::to_slice(accounts, &mut plaintext).map_err(serialise_error)?;
    let nonce = XNonce::try_generate()
        .map_err(|e| Error::Keychain(format!("no secure random numbers: {e}")))?;
    let mut out = header(vault_id, &nonce);
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

/// Decrypts and decodes a whole vault file.
pub fn decrypt(bytes: &[u8], key: &VaultKey) -> Result<Contents> {
    parse_header(bytes)?;
    let (header, ciphertext) = bytes.split_at(HEADER_LEN);
    let nonce = XNonce::try_from(&header[28..HEADER_LEN]).map_err(|_| corrupt())?;
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_slice()).map_err(|_| Error::KeyCorrupt)?;
    let plaintext = Zeroizing::new(
        cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .map_err(|_| corrupt())?,
    );
    let accounts = postcard::from_bytes(&plaintext).map_err(|_| corrupt())?;
    Ok(Contents { accounts })
}
