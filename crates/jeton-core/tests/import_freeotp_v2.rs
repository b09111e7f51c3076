//! FreeOTP 2 backups (`externalBackup.xml`, a Java-serialized HashMap with an
//! AES-GCM-wrapped master key): every Aegis fixture imports exactly, a wrong or
//! missing password is told apart, damaged files fail without a panic, and
//! hostile sizes and costs are refused before any work.

mod support;

use std::time::{Duration, Instant};

use jeton_core::backup::{self, BackupError};
use support::{assert_entries, import_fixture, shared, AEGIS_VECTORS};

const FIXTURES: [&str; 4] = [
    "freeotp_v2_api23.xml",
    "freeotp_v2_api25.xml",
    "freeotp_v2_api27.xml",
    "freeotp_v2_api34.xml",
];

/// The stream header, a new object of a new class, and the name `java.util.HashMap`.
const PREFIX_LEN: usize = 4 + 2 + 2 + 17;

fn fixture(file: &str) -> Option<Vec<u8>> {
    let path = shared("conformance")?.join("importers").join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn read(bytes: &[u8], password: Option<&str>) -> Result<backup::Imported, BackupError> {
    backup::read(bytes, None, password)
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not in the fixture", String::from_utf8_lossy(needle)))
}

/// Where the master key's JSON starts, and its `TC_STRING` length.
fn master_key(bytes: &[u8]) -> (usize, usize) {
    let start = find(bytes, b"{\"mAlgorithm\"");
    assert_eq!(bytes[start - 3], 0x74, "the master key is a TC_STRING");
    (
        start,
        usize::from(u16::from_be_bytes([bytes[start - 2], bytes[start - 1]])),
    )
}

/// The file with `from` replaced by `to` in the master key's JSON, its length fixed.
fn edit_master_key(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let (start, len) = master_key(bytes);
    let text = std::str::from_utf8(&bytes[start..start + len]).unwrap();
    assert!(text.contains(from), "{from} not in the master key");
    let edited = text.replacen(from, to, 1);
    let mut out = bytes[..start - 2].to_vec();
    out.extend(u16::try_from(edited.len()).unwrap().to_be_bytes());
    out.extend(edited.as_bytes());
    out.extend(&bytes[start + len..]);
    out
}

/// Offset of the HashMap's declared size (after the field values, `TC_BLOCKDATA
/// 8` and the capacity).
fn size_offset(bytes: &[u8]) -> usize {
    let values = find(bytes, &[0x78, 0x70]) + 2;
    values + find(&bytes[values..], &[0x77, 0x08]) + 2 + 4
}

#[test]
fn every_fixture_imports_exactly_its_vectors() {
    for file in FIXTURES {
        let Some(imported) = import_fixture("importers", file, Some("test")) else {
            return;
        };
        assert_eq!(imported.format, "freeotp-2", "{file}");
        // Vectors 1–6: three TOTP and three HOTP; the HOTP counters (1, 50, 10300)
        // are taken as stored: FreeOTP 2 stores the next code's counter.
        assert_entries(file, &imported, &AEGIS_VECTORS[..6], 0);
        assert_eq!(imported.entries.len(), 6, "{file}");
    }
}

#[test]
fn a_null_algorithm_is_sha1() {
    let file = "freeotp_v2_null_algo.xml";
    let Some(imported) = import_fixture("importers", file, Some("test")) else {
        return;
    };
    assert_entries(file, &imported, &AEGIS_VECTORS[..1], 0);
    assert_eq!(imported.entries.len(), 1);
}

#[test]
fn the_format_can_be_named() {
    let Some(bytes) = fixture("freeotp_v2_null_algo.xml") else {
        return;
    };
    let imported = backup::read(&bytes, Some("freeotp-2"), Some("test")).unwrap();
    assert_eq!(imported.accounts().count(), 1);
    assert!(backup::format_names().contains(&"freeotp-2"));
}

#[test]
fn a_wrong_or_missing_password_is_told_apart() {
    // One file per key derivation: PBKDF2-HMAC-SHA1 (API 23) and -SHA512 (API 34).
    for file in ["freeotp_v2_api23.xml", "freeotp_v2_api34.xml"] {
        let Some(bytes) = fixture(file) else {
            return;
        };
        assert!(
            matches!(read(&bytes, Some("tests")), Err(BackupError::WrongPassword)),
            "{file}"
        );
        assert!(matches!(
            read(&bytes, None),
            Err(BackupError::PasswordNeeded)
        ));
        assert!(matches!(
            read(&bytes, Some("")),
            Err(BackupError::PasswordNeeded)
        ));
    }
}

#[test]
fn a_master_key_that_does_not_authenticate_is_a_wrong_password() {
    let Some(bytes) = fixture("freeotp_v2_null_algo.xml") else {
        return;
    };
    let edited = edit_master_key(&bytes, "\"mCipherText\":[", "\"mCipherText\":[1,");
    assert!(matches!(
        read(&edited, Some("test")),
        Err(BackupError::WrongPassword)
    ));
}

#[test]
fn every_truncation_is_damage_without_a_panic() {
    let Some(bytes) = fixture("freeotp_v2_api27.xml") else {
        return;
    };
    for len in 0..bytes.len() {
        match read(&bytes[..len], Some("test")) {
            Err(BackupError::Damaged(_)) => {}
            // Too short to be recognised: not claimed by any format.
            Err(BackupError::UnknownFormat) if len < PREFIX_LEN => {}
            other => panic!("cut at {len}: {other:?}"),
        }
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        read(&longer, Some("test")),
        Err(BackupError::Damaged(_))
    ));
}

#[test]
fn flipped_bits_never_panic_and_the_structure_is_checked() {
    let Some(bytes) = fixture("freeotp_v2_api25.xml") else {
        return;
    };
    // The stream header, class descriptor and block header: every flip there is
    // refused (the field values and the capacity, like Java, are not used).
    let (master_start, _) = master_key(&bytes);
    let block = size_offset(&bytes) - 6;
    for pos in (0..find(&bytes, &[0x78, 0x70]) + 2).chain([block, block + 1]) {
        let mut flipped = bytes.clone();
        flipped[pos] ^= 0x10;
        assert!(read(&flipped, Some("test")).is_err(), "flip at {pos}");
    }
    // Elsewhere (a sample: each one costs a key derivation) no panic; inside the
    // master key the file no longer opens.
    for pos in (size_offset(&bytes)..bytes.len()).step_by(bytes.len() / 20) {
        let mut flipped = bytes.clone();
        flipped[pos] ^= 0x04;
        let _ = read(&flipped, Some("test"));
    }
    for pos in (master_start + 30..master_start + 400).step_by(41) {
        let mut flipped = bytes.clone();
        flipped[pos] ^= 0x04;
        assert!(read(&flipped, Some("test")).is_err(), "flip at {pos}");
    }
}

#[test]
fn a_token_whose_secret_does_not_open_is_skipped_and_the_rest_imports() {
    let Some(bytes) = fixture("freeotp_v2_api34.xml") else {
        return;
    };
    // The first token key's ciphertext (escaped JSON inside JSON): change a digit.
    let at = find(&bytes, br#"\"mCipherText\":["#) + br#"\"mCipherText\":["#.len();
    let digit = (at..).find(|&i| bytes[i].is_ascii_digit()).unwrap();
    let mut edited = bytes.clone();
    edited[digit] = if bytes[digit] == b'9' {
        b'8'
    } else {
        bytes[digit] + 1
    };
    let imported = read(&edited, Some("test")).unwrap();
    assert_eq!(imported.entries.len(), 6);
    assert_eq!(imported.accounts().count(), 5);
    let skipped = imported
        .entries
        .iter()
        .find(|e| e.outcome.is_err())
        .unwrap();
    assert!(!skipped.account.is_empty(), "the skipped entry is named");
    let reason = skipped.outcome.as_ref().unwrap_err().to_string();
    assert!(reason.contains("damaged"), "{reason}");
}

#[test]
fn a_huge_declared_map_is_refused_at_once() {
    let Some(bytes) = fixture("freeotp_v2_api23.xml") else {
        return;
    };
    let at = size_offset(&bytes);
    assert_eq!(&bytes[at..at + 4], &[0, 0, 0, 13], "the size field");
    let with_size = |size: i32| {
        let mut edited = bytes.clone();
        edited[at..at + 4].copy_from_slice(&size.to_be_bytes());
        edited
    };
    let started = Instant::now();
    assert!(matches!(
        read(&with_size(i32::MAX), Some("test")),
        Err(BackupError::TooManyEntries { .. })
    ));
    assert!(matches!(
        read(&with_size(-1), Some("test")),
        Err(BackupError::Damaged(_))
    ));
    // Within the cap but more than the bytes can hold.
    assert!(matches!(
        read(&with_size(9_000), Some("test")),
        Err(BackupError::Damaged(_))
    ));
    assert!(matches!(
        read(&with_size(14), Some("test")),
        Err(BackupError::Damaged(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_hostile_iteration_count_is_refused_before_any_work() {
    let Some(bytes) = fixture("freeotp_v2_api34.xml") else {
        return;
    };
    for (count, password) in [
        ("2000000001", Some("test")),
        ("99999999999999", Some("test")),
        ("2000000001", None),
    ] {
        let edited = edit_master_key(&bytes, "100000", count);
        let started = Instant::now();
        match read(&edited, password) {
            Err(BackupError::CostTooHigh(why)) => assert!(why.contains(count), "{why}"),
            other => panic!("{count} iterations: {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_millis(500));
    }
    for bad in ["0", "-5", "1.5", "null"] {
        let edited = edit_master_key(&bytes, "100000", bad);
        assert!(
            matches!(read(&edited, Some("test")), Err(BackupError::Damaged(_))),
            "{bad} iterations"
        );
    }
}

#[test]
fn an_unknown_key_derivation_is_refused_with_its_name() {
    let Some(bytes) = fixture("freeotp_v2_api34.xml") else {
        return;
    };
    let edited = edit_master_key(&bytes, "PBKDF2withHmacSHA512", "PBKDF2withHmacMD5");
    match read(&edited, Some("test")) {
        Err(BackupError::Unsupported(why)) => assert!(why.contains("MD5"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_long_string_reads_like_a_short_one() {
    let Some(bytes) = fixture("freeotp_v2_null_algo.xml") else {
        return;
    };
    // The master key as TC_LONGSTRING (8-byte length) instead of TC_STRING.
    let (start, len) = master_key(&bytes);
    let mut edited = bytes[..start - 3].to_vec();
    edited.push(0x7c);
    edited.extend((len as u64).to_be_bytes());
    edited.extend(&bytes[start..]);
    let imported = read(&edited, Some("test")).unwrap();
    assert_entries("long string", &imported, &AEGIS_VECTORS[..1], 0);
    // A long string claiming more bytes than are left is damage.
    edited[start - 3 + 1..start - 3 + 9].copy_from_slice(&u64::MAX.to_be_bytes());
    assert!(matches!(
        read(&edited, Some("test")),
        Err(BackupError::Damaged(_))
    ));
}

#[test]
fn other_java_objects_are_not_claimed() {
    // A serialized java.util.ArrayList: neither FreeOTP 2 nor an andOTP backup.
    let mut list = b"\xac\xed\x00\x05\x73\x72\x00\x13java.util.ArrayList".to_vec();
    list.extend([0x78, 0x81, 0xd2, 0x1d, 0x99, 0xc7, 0x61, 0x9d, 0x03, 0, 1]);
    list.extend(b"I\x00\x04sizexp\x00\x00\x00\x00w\x04\x00\x00\x00\x00x");
    assert!(matches!(
        read(&list, Some("test")),
        Err(BackupError::UnknownFormat)
    ));
}
