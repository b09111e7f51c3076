//! What Jeton's fuzz targets share: importing as a user would, and the sealing
//! of fuzzer bytes as an authentic vault or backup payload.
//!
//! A fuzzer cannot forge an authentication tag, so a target that only hands its
//! bytes to a decrypting reader would stop at "wrong key" every time. The
//! `*_payload` targets therefore encrypt their input properly, with a fixed key
//! and a header Jeton itself wrote, and the reader decrypts it and decodes
//! whatever the fuzzer made.

use std::sync::OnceLock;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use jeton_core::backup::jeton as backup;
use jeton_core::vault::{format as vault_format, Contents};

/// The one key every sealing target uses.
pub const KEY: [u8; 32] = [7; 32];

/// The password the import targets give when a file asks for one (the key
/// derivations run at token cost under `cfg(fuzzing)`, so deriving costs nothing).
pub const PASSWORD: &str = "fuzz";

/// Imports `file` as a user would: without a password first, and with one when
/// the file says it is encrypted. The file is the fuzzer's input as it is, so
/// real exports seed the import targets unchanged.
pub fn import(file: &[u8], format: Option<&str>) {
    use jeton_core::backup::{read, BackupError};
    if let Err(BackupError::PasswordNeeded) = read(file, format, None) {
        let _ = read(file, format, Some(PASSWORD));
    }
}

/// Defines the fuzz target for one import format, by its `--format` name.
#[macro_export]
macro_rules! import_target {
    ($format:literal) => {
        libfuzzer_sys::fuzz_target!(|data: &[u8]| $crate::import(data, Some($format)));
    };
}

fn seal(header: &[u8], nonce: &[u8], payload: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new_from_slice(&KEY).expect("32-byte key");
    let nonce = XNonce::try_from(nonce).expect("24-byte nonce");
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: payload,
                aad: header,
            },
        )
        .expect("encrypt");
    [header, &sealed].concat()
}

/// A vault file whose decrypted payload is `payload` (under [`KEY`]). The header
/// comes from an empty vault Jeton wrote, once per fuzzing process.
pub fn vault_with_payload(payload: &[u8]) -> Vec<u8> {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    let header = HEADER.get_or_init(|| {
        let template = vault_format::encrypt(
            &Contents::default(),
            uuid::Uuid::from_u128(7),
            &zeroize::Zeroizing::new(KEY),
        )
        .expect("an empty vault");
        template[..vault_format::HEADER_LEN].to_vec()
    });
    seal(header, &header[header.len() - 24..], payload)
}

/// A Jeton backup whose decrypted payload is `payload` (under [`KEY`]). The
/// header comes from an empty backup Jeton wrote, once per fuzzing process.
pub fn backup_with_payload(payload: &[u8]) -> Vec<u8> {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    let header = HEADER.get_or_init(|| {
        let kdf = backup::KdfParams {
            memory_kib: 8,
            passes: 1,
            lanes: 1,
            salt: [1; 16],
        };
        let template =
            backup::write(&[], &kdf, &zeroize::Zeroizing::new(KEY)).expect("an empty backup");
        template[..backup::HEADER_LEN].to_vec()
    });
    seal(header, &header[header.len() - 24..], payload)
}

/// The transfer link (`otpauth-migration://offline?data=…`) carrying `payload`.
pub fn transfer_link(payload: &[u8]) -> String {
    let data = data_encoding::BASE64.encode(payload);
    let escaped: String = data
        .chars()
        .map(|c| match c {
            '+' => "%2B".to_string(),
            '/' => "%2F".to_string(),
            '=' => "%3D".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("otpauth-migration://offline?data={escaped}")
}
