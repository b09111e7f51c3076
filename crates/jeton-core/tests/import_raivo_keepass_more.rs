//! Raivo OTP, KeePass KDBX and the further formats Aegis reads (Steam, FreeOTP,
//! Authenticator Plus, Authy, TOTP Authenticator, Battle.net, Duo): each fixture
//! imports to exactly its expected entries, and wrong, missing or hostile input
//! fails the way a user can act on.

mod support;

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use jeton_core::backup::{self, BackupError};
use support::{assert_entries, import_fixture, shared, Expected, AEGIS_VECTORS};

fn fixture(folder: &str, file: &str) -> Option<Vec<u8>> {
    let path = shared("conformance")?.join(folder).join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn read_err(bytes: &[u8], password: Option<&str>) -> BackupError {
    match backup::read(bytes, None, password) {
        Ok(imported) => panic!(
            "expected an error, got {} entries as {}",
            imported.entries.len(),
            imported.format
        ),
        Err(e) => e,
    }
}

/// Every truncation and a spread of single-bit flips give an error or a clean
/// result, never a panic; truncations always give an error.
fn hostile_variants(bytes: &[u8], password: &str) {
    for cut in [
        0,
        1,
        4,
        12,
        40,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let cut = cut.min(bytes.len().saturating_sub(1));
        assert!(
            backup::read(&bytes[..cut], None, Some(password)).is_err(),
            "truncated to {cut} bytes, still read"
        );
    }
    let step = (bytes.len() / 24).max(1);
    for at in (0..bytes.len()).step_by(step) {
        let mut flipped = bytes.to_vec();
        flipped[at] ^= 0x10;
        // Some flips land in bytes nobody checks (a ZIP comment, padding): any
        // outcome but a panic is acceptable there.
        let _ = backup::read(&flipped, None, Some(password));
    }
}

// ---- Raivo OTP ----

#[test]
fn raivo_fixture_skips_both_entries_with_reasons() {
    let Some(imported) = import_fixture(
        "importers-more",
        "raivo_otp_export.zip",
        Some("RaivoTest123"),
    ) else {
        return;
    };
    assert_eq!(imported.format, "raivo");
    assert_entries("raivo_otp_export.zip", &imported, &[], 2);
    let names: Vec<_> = imported
        .entries
        .iter()
        .map(|e| {
            let reason = e
                .outcome
                .as_ref()
                .err()
                .map(|r| r.to_string())
                .unwrap_or_default();
            (e.issuer.as_str(), e.account.as_str(), reason)
        })
        .collect();
    assert_eq!(names[0].0, "Example A");
    assert_eq!(names[0].1, "mason");
    assert!(
        names[0].2.contains("'8' is not a Base32 character"),
        "{names:?}"
    );
    assert_eq!((names[1].0, names[1].1), ("Example B", "james"));
    assert!(
        names[1].2.contains("'1' is not a Base32 character"),
        "{names:?}"
    );
}

#[test]
fn raivo_fixture_password_errors_and_damage() {
    let Some(bytes) = fixture("importers-more", "raivo_otp_export.zip") else {
        return;
    };
    assert!(matches!(
        read_err(&bytes, Some("bad password")),
        BackupError::WrongPassword
    ));
    assert!(matches!(
        read_err(&bytes, None),
        BackupError::PasswordNeeded
    ));
    hostile_variants(&bytes, "RaivoTest123");
}

const RAIVO_JSON: &str = r#"[
  {"issuer":"Deno","account":"Mason","secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","algorithm":"SHA1",
   "digits":"6","kind":"TOTP","timer":"30","counter":"0","pinned":"false","iconType":"","iconValue":""},
  {"issuer":"SPDX","account":"James","secret":"5OM4WOOGPLQEF6UGN3CPEOOLWU","algorithm":"SHA256",
   "digits":"7","kind":"TOTP","timer":"20","counter":"0"},
  {"issuer":"Issuu","account":"James","secret":"YOOMIXWS5GN6RTBPUFFWKTW5M4","algorithm":"SHA1",
   "digits":"6","kind":"HOTP","timer":"30","counter":"1"},
  {"issuer":"WWE","account":"Mason","secret":"5VAML3X35THCEBVRLV24CGBKOY","algorithm":"SHA512",
   "digits":"8","kind":"HOTP","timer":"30","counter":"10300"},
  {"issuer":"Odd","account":"md5","secret":"JRZCL47CMXVOQMNPZR2F7J4RGI","algorithm":"MD5",
   "digits":"6","kind":"TOTP","timer":"30","counter":"0"},
  {"issuer":"Odd","account":"kind","secret":"JRZCL47CMXVOQMNPZR2F7J4RGI","algorithm":"SHA1",
   "digits":"6","kind":"STEAM","timer":"30","counter":"0"}
]"#;

fn raivo_zip(method: zip::CompressionMethod, password: Option<&str>) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let options = match password {
        Some(password) => options.with_aes_encryption(zip::AesMode::Aes256, password),
        None => options,
    };
    writer.start_file("raivo-otp-export.html", options).unwrap();
    writer
        .write_all(b"<html><body>Raivo</body></html>")
        .unwrap();
    writer.start_file("raivo-otp-export.json", options).unwrap();
    writer.write_all(RAIVO_JSON.as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

#[test]
fn raivo_synthetic_export_imports_totp_and_hotp() {
    let want: Vec<Expected> = [0, 1, 3, 5].iter().map(|&i| AEGIS_VECTORS[i]).collect();
    for method in [
        zip::CompressionMethod::Stored,
        zip::CompressionMethod::Deflated,
    ] {
        let bytes = raivo_zip(method, Some("pässword"));
        let imported = backup::read(&bytes, None, Some("pässword")).expect("synthetic Raivo ZIP");
        assert_eq!(imported.format, "raivo");
        assert_entries("synthetic raivo", &imported, &want, 2);
        assert!(matches!(
            read_err(&bytes, Some("wrong")),
            BackupError::WrongPassword
        ));
        assert!(matches!(
            read_err(&bytes, None),
            BackupError::PasswordNeeded
        ));
    }
}

#[test]
fn raivo_member_larger_than_the_cap_is_refused() {
    // A 129 MiB run of one byte deflates to about 130 kB.
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    writer.start_file("raivo-otp-export.json", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..129 {
        writer.write_all(&chunk).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert!(matches!(
        read_err(&bytes, Some("x")),
        BackupError::TooLarge { .. }
    ));
}

#[test]
fn other_zip_files_are_not_raivo() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("notes.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    writer.write_all(b"[]").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    assert!(matches!(read_err(&bytes, None), BackupError::UnknownFormat));
}

// ---- KeePass ----

fn keepass_expected() -> [Expected; 7] {
    let totp = |issuer, account, algorithm, digits, period, secret| Expected {
        issuer,
        account,
        kind: "totp",
        algorithm,
        digits,
        period_or_counter: period,
        secret,
    };
    [
        totp(
            "Long",
            "Period",
            "SHA1",
            6,
            60,
            "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
        ),
        totp(
            "Many",
            "Digits",
            "SHA1",
            9,
            30,
            "WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
        ),
        totp(
            "Sha",
            "256",
            "SHA1",
            6,
            30,
            "RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
        ),
        totp(
            "Sha",
            "512",
            "SHA512",
            6,
            30,
            "UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
        ),
        totp(
            "Standard",
            "Totp",
            "SHA1",
            6,
            30,
            "54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
        ),
        totp(
            "No username",
            "none",
            "SHA1",
            6,
            30,
            "KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
        ),
        Expected {
            kind: "steam",
            digits: 5,
            ..totp(
                "Steam",
                "steam",
                "SHA1",
                5,
                30,
                "Y2PO2DPO4AGBS2KQPO5ONQPEBAR2VKMF",
            )
        },
    ]
}

#[test]
fn keepass_fixture_imports_its_seven_otp_entries() {
    let Some(imported) = import_fixture(
        "importers-more",
        "keepass_aes256_argon2id.kdbx",
        Some("test"),
    ) else {
        return;
    };
    assert_eq!(imported.format, "keepass");
    assert_eq!(imported.entries.len(), 7, "{:?}", imported.entries);
    assert_entries(
        "keepass_aes256_argon2id.kdbx",
        &imported,
        &keepass_expected(),
        0,
    );
}

#[test]
fn keepass_wrong_or_missing_password() {
    let Some(bytes) = fixture("importers-more", "keepass_aes256_argon2id.kdbx") else {
        return;
    };
    assert!(matches!(
        read_err(&bytes, Some("testing")),
        BackupError::WrongPassword
    ));
    assert!(matches!(
        read_err(&bytes, None),
        BackupError::PasswordNeeded
    ));
}

#[test]
fn keepass_truncated_and_flipped_files_fail_cleanly() {
    let Some(bytes) = fixture("importers-more", "keepass_aes256_argon2id.kdbx") else {
        return;
    };
    // Past the header, truncation and flips are caught by the header hash and
    // the HMAC blocks; each costs one Argon2 run, so a handful is enough.
    for cut in [0, 8, 12, 60, 200, bytes.len() / 2, bytes.len() - 1] {
        let err = read_err(&bytes[..cut], Some("test"));
        assert!(
            !matches!(err, BackupError::WrongPassword),
            "truncated at {cut}: {err}"
        );
    }
    for at in [13, 30, 150, 300, bytes.len() / 2, bytes.len() - 2] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x01;
        let _ = read_err(&flipped, Some("test"));
    }
    // A flip in the encrypted body is damage, not a wrong password.
    let mut flipped = bytes.clone();
    let at = bytes.len() / 2;
    flipped[at] ^= 0x01;
    assert!(matches!(
        read_err(&flipped, Some("test")),
        BackupError::Damaged(_)
    ));
}

/// Replaces the value of the KDF parameter `key` (a UInt64 or UInt32) in place.
fn set_kdf_param(bytes: &mut [u8], key: u8, value: u64) {
    for (kind, len) in [(0x05u8, 8usize), (0x04, 4)] {
        let mut pattern = vec![kind, 1, 0, 0, 0, key];
        pattern.extend_from_slice(&(len as u32).to_le_bytes());
        if let Some(at) = bytes.windows(pattern.len()).position(|w| w == pattern) {
            let start = at + pattern.len();
            bytes[start..start + len].copy_from_slice(&value.to_le_bytes()[..len]);
            return;
        }
    }
    panic!("KDF parameter {} not found", key as char);
}

#[test]
fn keepass_excessive_kdf_cost_is_refused_before_spending_it() {
    let Some(bytes) = fixture("importers-more", "keepass_aes256_argon2id.kdbx") else {
        return;
    };
    let cases: [(u8, u64); 4] = [
        (b'I', 1_000_000), // passes
        (b'M', 64 << 30),  // 64 GiB of memory
        (b'P', 4096),      // lanes
        (b'I', u64::from(u32::MAX) + 1),
    ];
    for (key, value) in cases {
        let mut costly = bytes.clone();
        set_kdf_param(&mut costly, key, value);
        let started = Instant::now();
        let err = read_err(&costly, Some("test"));
        assert!(
            matches!(err, BackupError::CostTooHigh(_)),
            "{}: {err}",
            key as char
        );
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the cost was spent"
        );
        // Even without a password the cost is refused first.
        assert!(matches!(
            read_err(&costly, None),
            BackupError::CostTooHigh(_)
        ));
    }
}

#[test]
fn keepass_header_fields_of_the_wrong_size_are_damage() {
    let Some(bytes) = fixture("importers-more", "keepass_aes256_argon2id.kdbx") else {
        return;
    };
    // The compression field (type 3) with a length of 2 instead of 4.
    let mut bad = bytes[..12].to_vec();
    bad.extend_from_slice(&[3, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    assert!(matches!(
        read_err(&bad, Some("test")),
        BackupError::Damaged(_)
    ));
    // A KDF parameter list whose UInt64 value is 2 bytes long.
    let mut bad = bytes[..12].to_vec();
    let dict = [0u8, 1, 5, 1, 0, 0, 0, b'R', 2, 0, 0, 0, 1, 1, 0];
    bad.push(11);
    bad.extend_from_slice(&(dict.len() as u32).to_le_bytes());
    bad.extend_from_slice(&dict);
    bad.extend_from_slice(&[0, 0, 0, 0, 0]);
    assert!(matches!(
        read_err(&bad, Some("test")),
        BackupError::Damaged(_)
    ));
}

#[test]
fn keepass_other_versions_are_refused_clearly() {
    let mut kdb1 = vec![0x03, 0xd9, 0xa2, 0x9a, 0x65, 0xfb, 0x4b, 0xb5];
    kdb1.extend_from_slice(&[0; 120]);
    let err = read_err(&kdb1, Some("x"));
    assert!(matches!(err, BackupError::Unsupported(_)), "{err}");
    let mut kdbx5 = vec![0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0, 0, 5, 0];
    kdbx5.extend_from_slice(&[0; 64]);
    let err = read_err(&kdbx5, Some("x"));
    assert!(matches!(err, BackupError::Unsupported(_)), "{err}");
}

// ---- More formats Aegis reads (importers/EXPECTED.md, with its adjustments) ----

fn vectors(indexes: &[usize]) -> Vec<Expected> {
    indexes.iter().map(|&i| AEGIS_VECTORS[i - 1]).collect()
}

/// Imports `file` from importers/ and checks its format name and entries.
fn check(file: &str, password: Option<&str>, format: &str, expected: &[Expected]) {
    let Some(imported) = import_fixture("importers", file, password) else {
        return;
    };
    assert_eq!(imported.format, format, "{file}");
    assert_eq!(
        imported.entries.len(),
        expected.len(),
        "{file}: {:?}",
        imported.entries
    );
    assert_entries(file, &imported, expected, 0);
}

#[test]
fn steam_mafiles() {
    let steam = Expected {
        issuer: "Steam",
        ..AEGIS_VECTORS[6]
    };
    check("steam.json", None, "steam", &[steam]);
    check("steam_old.json", None, "steam", &[steam]);
}

#[test]
fn freeotp_v1_xml_adds_one_to_hotp_counters() {
    check("freeotp.xml", None, "freeotp-xml", &vectors(&[1, 3, 4, 6]));
}

#[test]
fn authenticator_plus_zipcrypto() {
    check(
        "authenticator_plus.zip",
        Some("testtesttest"),
        "authenticator-plus",
        &vectors(&[1, 2, 3, 4, 5, 6, 7]),
    );
    let Some(bytes) = fixture("importers", "authenticator_plus.zip") else {
        return;
    };
    assert!(matches!(
        read_err(&bytes, Some("wrong password")),
        BackupError::WrongPassword
    ));
    assert!(matches!(
        read_err(&bytes, None),
        BackupError::PasswordNeeded
    ));
    hostile_variants(&bytes, "testtesttest");
}

/// Authy stores neither algorithm nor period: SHA1 and 30 s.
fn authy_expected() -> Vec<Expected> {
    vectors(&[1, 2, 3])
        .into_iter()
        .map(|v| Expected {
            algorithm: "SHA1",
            period_or_counter: 30,
            ..v
        })
        .collect()
}

#[test]
fn authy_plain_and_encrypted() {
    check("authy_plain.xml", None, "authy", &authy_expected());
    check(
        "authy_encrypted.xml",
        Some("testtest"),
        "authy",
        &authy_expected(),
    );
    let Some(bytes) = fixture("importers", "authy_encrypted.xml") else {
        return;
    };
    assert!(matches!(
        read_err(&bytes, Some("wrong")),
        BackupError::WrongPassword
    ));
    assert!(matches!(
        read_err(&bytes, None),
        BackupError::PasswordNeeded
    ));
}

#[test]
fn battle_net_masked_secret() {
    check(
        "battle_net_authenticator.xml",
        None,
        "battle-net",
        &vectors(&[8]),
    );
}

#[test]
fn duo_accounts_have_no_issuer() {
    let mut want = vectors(&[1, 4]);
    for v in &mut want {
        v.issuer = "";
    }
    want[1].period_or_counter = 3; // the file's counter
    check("duo.json", None, "duo", &want);
}

/// TOTP Authenticator keeps names lower-cased; Aegis reads every token as
/// TOTP/SHA1/6/30 (importers/EXPECTED.md).
fn totp_authenticator_expected() -> Vec<Expected> {
    [
        ("Deno", "mason", 1),
        ("SPDX", "james", 2),
        ("Airbnb", "elijah", 3),
    ]
    .iter()
    .map(|&(issuer, account, i)| Expected {
        issuer,
        account,
        kind: "totp",
        algorithm: "SHA1",
        digits: 6,
        period_or_counter: 30,
        secret: AEGIS_VECTORS[i - 1].secret,
    })
    .collect()
}

#[test]
fn totp_authenticator_backup_and_preferences() {
    check(
        "totp_authenticator_internal.xml",
        None,
        "totp-authenticator-xml",
        &totp_authenticator_expected(),
    );
    check(
        "totp_authenticator.bin",
        Some("Testtest1"),
        "totp-authenticator",
        &totp_authenticator_expected(),
    );
    let Some(bytes) = fixture("importers", "totp_authenticator.bin") else {
        return;
    };
    assert!(matches!(
        read_err(&bytes, Some("wrong")),
        BackupError::WrongPassword
    ));
    assert!(matches!(
        read_err(&bytes, None),
        BackupError::PasswordNeeded
    ));
}

#[test]
fn other_fixtures_are_not_claimed_by_these_formats() {
    let mine = [
        "raivo",
        "keepass",
        "steam",
        "freeotp-xml",
        "authenticator-plus",
        "authy",
        "battle-net",
        "totp-authenticator",
        "totp-authenticator-xml",
        "duo",
    ];
    let Some(dir) = shared("conformance") else {
        return;
    };
    let theirs = [
        ("importers", "aegis_plain.json", None),
        ("importers", "andotp_plain.json", None),
        ("importers", "andotp_encrypted.bin", Some("test")),
        ("importers", "bitwarden.json", None),
        ("importers", "bitwarden.csv", None),
        ("importers", "freeotp_plus.json", None),
        ("importers", "plain.txt", None),
        ("importers", "ente_auth.txt", None),
        ("importers", "stratum_plain.json", None),
        ("importers", "stratum_encrypted.bin", Some("test")),
        ("importers", "2fas_authenticator.json", None),
        ("importers", "proton_authenticator.json", None),
        ("importers-more", "lastpass_authenticator.json", None),
        (
            "importers-more",
            "ente_encrypted_lowcomplexity.txt",
            Some("password"),
        ),
        (
            "importers-more",
            "stratum_backup_strong.authpro",
            Some("test"),
        ),
    ];
    for (folder, file, password) in theirs {
        let bytes = std::fs::read(dir.join(folder).join(file)).unwrap();
        // Read by its own importer (once that exists), or by none: never by one of these.
        match backup::read(&bytes, None, password) {
            Ok(imported) => assert!(
                !mine.contains(&imported.format),
                "{file} read as {}",
                imported.format
            ),
            Err(e) => assert!(matches!(e, BackupError::UnknownFormat), "{file}: {e}"),
        }
    }
}
