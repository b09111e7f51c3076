//! The ciphers and key derivations that other apps' exports use, wrapped once so
//! every format reads the same way: RustCrypto does the work, and every cost a
//! file states is checked against [`super::limits`] before any memory or time is
//! spent on it. In a fuzzing build only (`limits::FUZZING`), the derivations then
//! run at token cost, so fuzzers reach what lies behind them.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use zeroize::Zeroizing;

use super::error::BackupError;
use super::limits;

/// A derived 256-bit key, wiped on drop.
pub type Key32 = Zeroizing<[u8; 32]>;

/// Fills a buffer with secure random bytes.
pub fn random<const N: usize>() -> Result<[u8; N], BackupError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| BackupError::Unsupported(format!("no secure random numbers: {e}")))?;
    Ok(bytes)
}

/// Argon2id (version 0x13) into 32 bytes, after checking the cost against the caps.
pub fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Key32, BackupError> {
    argon2(
        argon2::Algorithm::Argon2id,
        password,
        salt,
        memory_kib,
        passes,
        lanes,
    )
}

/// Any Argon2 variant (KeePass also uses Argon2d) into 32 bytes, cost checked first.
pub fn argon2(
    algorithm: argon2::Algorithm,
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Key32, BackupError> {
    limits::check_argon2(memory_kib, passes, lanes)?;
    let (memory_kib, passes) = if limits::FUZZING {
        (8 * lanes.max(1), 1)
    } else {
        (memory_kib, passes)
    };
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32))
        .map_err(|e| BackupError::damaged(format!("invalid Argon2 parameters: {e}")))?;
    let mut key: Key32 = Zeroizing::new([0; 32]);
    argon2::Argon2::new(algorithm, argon2::Version::V0x13, params)
        .hash_password_into(password, salt, key.as_mut_slice())
        .map_err(|e| BackupError::damaged(format!("Argon2 failed: {e}")))?;
    Ok(key)
}

/// PBKDF2-HMAC with hash `D` into 32 bytes, iterations checked first (one round
/// in a fuzzing build, `limits::FUZZING`).
fn pbkdf2_with<D: hmac::EagerHash>(
    password: &[u8],
    salt: &[u8],
    rounds: u32,
) -> Result<Key32, BackupError> {
    limits::check_pbkdf2(rounds)?;
    let rounds = if limits::FUZZING { 1 } else { rounds };
    let mut key: Key32 = Zeroizing::new([0; 32]);
    pbkdf2::pbkdf2_hmac::<D>(password, salt, rounds, key.as_mut_slice());
    Ok(key)
}

/// PBKDF2-HMAC-SHA256 into 32 bytes, iterations checked first.
pub fn pbkdf2_sha256(password: &[u8], salt: &[u8], rounds: u32) -> Result<Key32, BackupError> {
    pbkdf2_with::<sha2::Sha256>(password, salt, rounds)
}

/// PBKDF2-HMAC-SHA1 into 32 bytes, iterations checked first.
pub fn pbkdf2_sha1(password: &[u8], salt: &[u8], rounds: u32) -> Result<Key32, BackupError> {
    pbkdf2_with::<sha1::Sha1>(password, salt, rounds)
}

/// PBKDF2-HMAC-SHA512 into 32 bytes, iterations checked first.
pub fn pbkdf2_sha512(password: &[u8], salt: &[u8], rounds: u32) -> Result<Key32, BackupError> {
    pbkdf2_with::<sha2::Sha512>(password, salt, rounds)
}

/// scrypt into 32 bytes, cost checked first.
pub fn scrypt(
    password: &[u8],
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Key32, BackupError> {
    limits::check_scrypt(log_n, r, p)?;
    let (log_n, r, p) = if limits::FUZZING {
        (1, 1, 1)
    } else {
        (log_n, r, p)
    };
    let params = scrypt::Params::new(log_n, r, p)
        .map_err(|e| BackupError::damaged(format!("invalid scrypt parameters: {e}")))?;
    let mut key: Key32 = Zeroizing::new([0; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut_slice())
        .map_err(|e| BackupError::damaged(format!("scrypt failed: {e}")))?;
    Ok(key)
}

/// AES-256-GCM with a 12-byte nonce; `sealed` is ciphertext then 16-byte tag.
/// A wrong tag is a wrong password (or a damaged file: GCM cannot tell which).
pub fn aes256_gcm_open(
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| BackupError::damaged("the key is not 256 bits"))?;
    let nonce = Nonce::try_from(nonce).map_err(|_| BackupError::damaged("bad nonce length"))?;
    cipher
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .map(Zeroizing::new)
        .map_err(|_| BackupError::WrongPassword)
}

/// AES-256-GCM encryption with a 12-byte nonce: ciphertext then tag.
pub fn aes256_gcm_seal(
    key: &[u8],
    nonce: &[u8],
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, BackupError> {
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| BackupError::damaged("the key is not 256 bits"))?;
    let nonce = Nonce::try_from(nonce).map_err(|_| BackupError::damaged("bad nonce length"))?;
    cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| BackupError::damaged("encryption failed"))
}

/// AES-256-CBC with PKCS#7 padding. A bad padding usually means a wrong password.
pub fn aes256_cbc_open(
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
        .map_err(|_| BackupError::damaged("bad AES-CBC key or IV length"))?;
    decryptor
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .map(Zeroizing::new)
        .map_err(|_| BackupError::WrongPassword)
}

/// AES-256-CBC encryption with PKCS#7 padding.
pub fn aes256_cbc_seal(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, BackupError> {
    let encryptor = cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
        .map_err(|_| BackupError::damaged("bad AES-CBC key or IV length"))?;
    Ok(encryptor.encrypt_padded_vec::<Pkcs7>(plaintext))
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[&[u8]]) -> Result<[u8; 32], BackupError> {
    use hmac::Mac;
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(key)
        .map_err(|_| BackupError::damaged("bad HMAC key"))?;
    for part in data {
        mac.update(part);
    }
    Ok(mac.finalize().into_bytes().into())
}

/// Compares two byte strings in time independent of where they differ.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
