//! The most a file to import may ask for. A file from elsewhere may be made to
//! hurt: each size, count and key-derivation cost it states is checked here
//! before any memory or time is spent on it. Each bound admits every real
//! export we know of, with room to spare, and says why that number.

use super::error::BackupError;

/// Largest file read: real exports are kilobytes; the largest real one we know
/// (a KeePass database with attachments) is 2.2 MB.
pub const MAX_IMPORT_BYTES: u64 = 32 * 1024 * 1024;
/// Most entries in one file: 10× the largest collections users report (~1,000).
pub const MAX_ENTRIES: usize = 10_000;
/// Most memory an Argon2 derivation may use: Ente's own default is 1 GiB.
pub const MAX_ARGON2_MEMORY_KIB: u32 = 1024 * 1024;
/// Most Argon2 work (memory in KiB × passes): KeePass files reach 64 MiB × 117
/// passes (7.3 Gi), Ente 1 GiB × 4 and 256 MiB × 16 (4 Gi); about 10 s here.
pub const MAX_ARGON2_WORK_KIB: u64 = 8 * 1024 * 1024;
/// Most Argon2 lanes: KeePass uses up to 8.
pub const MAX_ARGON2_LANES: u32 = 16;
/// Most PBKDF2 iterations: Bitwarden's default is 600,000, andOTP about 150,000;
/// two million is about 2 s of SHA-256 here.
pub const MAX_PBKDF2_ROUNDS: u32 = 2_000_000;
/// Largest scrypt N exponent (memory = 128 × r × 2^log_n): Aegis uses 2^15.
pub const MAX_SCRYPT_LOG_N: u8 = 20;
/// Largest scrypt r and p: Aegis uses r = 8, p = 1.
pub const MAX_SCRYPT_R_P: u32 = 16;
/// Most scrypt memory: 1 GiB, as for Argon2.
pub const MAX_SCRYPT_BYTES: u64 = 1024 * 1024 * 1024;
/// Most KeePass AES-KDF rounds: real databases use 60,000–6,000,000.
pub const MAX_AES_KDF_ROUNDS: u64 = 20_000_000;
/// Largest decompressed member of an archive (ZIP, KDBX): 4× the file limit.
pub const MAX_UNPACKED_BYTES: u64 = 4 * MAX_IMPORT_BYTES;

/// Built by cargo-fuzz (`--cfg fuzzing`, never a build users get): the key
/// derivations Jeton runs itself are made token-cheap after the caps above are
/// checked (`crypto`), and the one a third-party crate runs (KeePass) is refused
/// above a token cost, so the fuzzers spend their executions on the containers
/// and the decrypted payloads rather than on Argon2 at 1 GiB.
pub(crate) const FUZZING: bool = cfg!(fuzzing);
/// The most work a KeePass key derivation may cost under [`FUZZING`], in Argon2
/// KiB×passes or AES-KDF rounds.
const FUZZING_MAX_WORK: u64 = 64;

/// Under [`FUZZING`] only, refuses a key derivation that another crate runs
/// itself (KeePass) when it costs more than a token `work`.
pub(crate) fn check_fuzzing_cost(work: u64) -> Result<(), BackupError> {
    if FUZZING && work > FUZZING_MAX_WORK {
        return Err(BackupError::CostTooHigh(format!(
            "{work} (fuzzing build: at most {FUZZING_MAX_WORK})"
        )));
    }
    Ok(())
}

/// Refuses a file larger than [`MAX_IMPORT_BYTES`].
pub fn check_size(size: u64) -> Result<(), BackupError> {
    if size > MAX_IMPORT_BYTES {
        return Err(BackupError::TooLarge {
            size,
            limit: MAX_IMPORT_BYTES,
        });
    }
    Ok(())
}

/// Refuses more than [`MAX_ENTRIES`] entries (check before allocating for them).
pub fn check_entries(count: usize) -> Result<(), BackupError> {
    if count > MAX_ENTRIES {
        return Err(BackupError::TooManyEntries {
            count,
            limit: MAX_ENTRIES,
        });
    }
    Ok(())
}

/// Refuses Argon2 parameters above the caps.
pub fn check_argon2(memory_kib: u32, passes: u32, lanes: u32) -> Result<(), BackupError> {
    let work = u64::from(memory_kib) * u64::from(passes);
    if memory_kib > MAX_ARGON2_MEMORY_KIB || work > MAX_ARGON2_WORK_KIB || lanes > MAX_ARGON2_LANES
    {
        return Err(BackupError::CostTooHigh(format!(
            "Argon2 with {memory_kib} KiB, {passes} passes, {lanes} lanes; the most allowed is \
             {MAX_ARGON2_MEMORY_KIB} KiB, {MAX_ARGON2_WORK_KIB} KiB×passes, {MAX_ARGON2_LANES} lanes"
        )));
    }
    Ok(())
}

/// Refuses PBKDF2 iteration counts above the cap (and zero).
pub fn check_pbkdf2(rounds: u32) -> Result<(), BackupError> {
    if rounds == 0 {
        return Err(BackupError::damaged("PBKDF2 with 0 iterations"));
    }
    if rounds > MAX_PBKDF2_ROUNDS {
        return Err(BackupError::CostTooHigh(format!(
            "PBKDF2 with {rounds} iterations; the most allowed is {MAX_PBKDF2_ROUNDS}"
        )));
    }
    Ok(())
}

/// Refuses scrypt parameters above the caps.
pub fn check_scrypt(log_n: u8, r: u32, p: u32) -> Result<(), BackupError> {
    let memory = 128u64
        .saturating_mul(u64::from(r))
        .saturating_mul(1u64.checked_shl(u32::from(log_n)).unwrap_or(u64::MAX));
    if log_n > MAX_SCRYPT_LOG_N
        || r > MAX_SCRYPT_R_P
        || p > MAX_SCRYPT_R_P
        || memory > MAX_SCRYPT_BYTES
    {
        return Err(BackupError::CostTooHigh(format!(
            "scrypt with N = 2^{log_n}, r = {r}, p = {p}; the most allowed is N = 2^{MAX_SCRYPT_LOG_N}, \
             r and p {MAX_SCRYPT_R_P}, 1 GiB"
        )));
    }
    Ok(())
}

/// Refuses KeePass AES-KDF round counts above the cap.
pub fn check_aes_kdf(rounds: u64) -> Result<(), BackupError> {
    if rounds > MAX_AES_KDF_ROUNDS {
        return Err(BackupError::CostTooHigh(format!(
            "AES-KDF with {rounds} rounds; the most allowed is {MAX_AES_KDF_ROUNDS}"
        )));
    }
    Ok(())
}
