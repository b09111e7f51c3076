//! The vault file format through its pure API (no keychain, no folder): the golden
//! file every build must open, and what happens to every tampered header byte.

use jeton_core::vault::format::{self, Header, FORMAT_VERSION, HEADER_LEN, NONCE_LEN};
use jeton_core::vault::Contents;
use jeton_core::{Account, Algorithm, Kind, OtpParams, Secret};
use zeroize::Zeroizing;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/vault-v1.jeton");
/// The golden file's key (also in tests/golden/README.md).
const GOLDEN_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const GOLDEN_VAULT_ID: &str = "6a65746f-6e00-4000-8000-676f6c64656e";
const RFC_SHA1: &[u8] = b"12345678901234567890";
const RFC_SHA256: &[u8] = b"12345678901234567890123456789012";
const RFC_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

fn key_of(hex: &str) -> jeton_core::keychain::VaultKey {
    let bytes = data_encoding::HEXLOWER.decode(hex.as_bytes()).unwrap();
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&bytes);
    key
}

fn params(kind: Kind, algorithm: Algorithm, digits: u8, period: u64, counter: u64) -> OtpParams {
    OtpParams {
        kind,
        algorithm,
        digits,
        period,
        counter,
    }
}

fn golden_account(n: u128, issuer: &str, name: &str, secret: &[u8], params: OtpParams) -> Account {
    let mut account =
        Account::new(issuer, name, Secret::from_bytes(secret.to_vec()), params).unwrap();
    account.id = uuid::Uuid::from_u128(0x6a65746f_0000_4000_8000_000000000000 | n);
    account.created = 1_700_000_000 + n as u64;
    account.position = n as u32;
    account
}

/// What the golden file holds (see tests/golden/README.md).
fn golden_accounts() -> Vec<Account> {
    let mut trashed = golden_account(
        5,
        "Ünïcödé — 東京",
        "trash",
        RFC_SHA1,
        params(Kind::Totp, Algorithm::Sha1, 6, 60, 0),
    );
    trashed.group = Some("Work".into());
    trashed.favourite = true;
    trashed.notes = "notes\nline 2".into();
    trashed.deleted_at = Some(1_700_000_500);
    vec![
        golden_account(
            0,
            "RFC 6238",
            "sha1@example.com",
            RFC_SHA1,
            params(Kind::Totp, Algorithm::Sha1, 8, 30, 0),
        ),
        golden_account(
            1,
            "RFC 6238",
            "sha256@example.com",
            RFC_SHA256,
            params(Kind::Totp, Algorithm::Sha256, 8, 30, 0),
        ),
        golden_account(
            2,
            "RFC 6238",
            "sha512@example.com",
            RFC_SHA512,
            params(Kind::Totp, Algorithm::Sha512, 8, 30, 0),
        ),
        golden_account(
            3,
            "RFC 4226",
            "hotp",
            RFC_SHA1,
            params(Kind::Hotp, Algorithm::Sha1, 6, 30, 5),
        ),
        golden_account(4, "Steam", "gaben", RFC_SHA1, OtpParams::steam()),
        trashed,
    ]
}

/// Writes tests/golden/vault-v1.jeton, once: `cargo test -p jeton-core --test
/// format -- --ignored`. It refuses to overwrite: the file is the format's
/// contract and must never be regenerated.
#[test]
#[ignore]
fn generate_golden_vault_once() {
    let path = std::path::Path::new(GOLDEN);
    assert!(
        !path.exists(),
        "the golden vault exists: never regenerate it"
    );
    let contents = Contents {
        accounts: golden_accounts(),
    };
    let vault_id = uuid::Uuid::parse_str(GOLDEN_VAULT_ID).unwrap();
    let bytes = format::encrypt(&contents, vault_id, &key_of(GOLDEN_KEY)).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn the_golden_v1_vault_opens_with_its_exact_accounts_and_codes() {
    let bytes = std::fs::read(GOLDEN).expect("tests/golden/vault-v1.jeton is committed");
    let header = Header::parse(&bytes).unwrap();
    assert_eq!(header.version, 1);
    assert_eq!(header.vault_id.to_string(), GOLDEN_VAULT_ID);
    let accounts = format::decrypt_accounts(&bytes, &key_of(GOLDEN_KEY)).unwrap();
    let want = golden_accounts();
    assert_eq!(accounts.len(), want.len());
    for (got, want) in accounts.iter().zip(&want) {
        assert_eq!(
            (
                got.id,
                &got.issuer,
                &got.name,
                got.secret.as_bytes(),
                got.params,
                got.created,
                got.position,
                &got.group,
                got.favourite,
                &got.notes,
                got.deleted_at,
            ),
            (
                want.id,
                &want.issuer,
                &want.name,
                want.secret.as_bytes(),
                want.params,
                want.created,
                want.position,
                &want.group,
                want.favourite,
                &want.notes,
                want.deleted_at,
            )
        );
    }
    // Codes from the RFCs' own tables (RFC 6238 appendix B, RFC 4226 appendix D),
    // and Steam's code worked out by hand from RFC 4226's truncated value for
    // counter 1 (1094287082, written in the digits 23456789BCDFGHJKMNPQRTVWXY,
    // least significant first).
    let code = |i: usize, t: u64| accounts[i].code_at(t).unwrap();
    assert_eq!(code(0, 59), "94287082");
    assert_eq!(code(0, 1_111_111_109), "07081804");
    assert_eq!(code(1, 59), "46119246");
    assert_eq!(code(1, 1_111_111_109), "68084774");
    assert_eq!(code(2, 59), "90693936");
    assert_eq!(code(3, 0), "254676");
    assert_eq!(code(4, 59), "PV9M4");
    assert_eq!(code(5, 59), "755224");
}

fn sample() -> (Vec<u8>, jeton_core::keychain::VaultKey) {
    let key = key_of(GOLDEN_KEY);
    let contents = Contents {
        accounts: golden_accounts(),
    };
    let bytes = format::encrypt(&contents, uuid::Uuid::new_v4(), &key).unwrap();
    (bytes, key)
}

#[test]
fn every_header_byte_is_checked() {
    let (bytes, key) = sample();
    assert_eq!(format::decrypt_accounts(&bytes, &key).unwrap().len(), 6);
    for i in 0..HEADER_LEN {
        for bit in [0x01u8, 0x80] {
            let mut tampered = bytes.clone();
            tampered[i] ^= bit;
            let err = format::decrypt(&tampered, &key).unwrap_err();
            let want = if (8..10).contains(&i)
                && u16::from_le_bytes([tampered[8], tampered[9]]) > FORMAT_VERSION
            {
                "vault.too_new"
            } else {
                "vault.corrupt"
            };
            assert_eq!(err.code(), want, "byte {i} bit {bit:#x}");
        }
    }
}

#[test]
fn version_zero_is_corrupt_a_newer_one_too_new_and_only_one_cipher() {
    let (bytes, key) = sample();
    let with = |at: usize, value: u16| {
        let mut b = bytes.clone();
        b[at..at + 2].copy_from_slice(&value.to_le_bytes());
        b
    };
    assert_eq!(
        format::decrypt(&with(8, 0), &key).unwrap_err().code(),
        "vault.corrupt"
    );
    assert_eq!(
        Header::parse(&with(8, 0)).unwrap_err().code(),
        "vault.corrupt"
    );
    match format::decrypt(&with(8, 2), &key) {
        Err(jeton_core::Error::VaultTooNew(2)) => {}
        other => panic!("expected too new, got {other:?}"),
    }
    assert_eq!(
        format::decrypt(&with(10, 2), &key).unwrap_err().code(),
        "vault.corrupt"
    );
    assert_eq!(
        format::decrypt(&with(10, 0), &key).unwrap_err().code(),
        "vault.corrupt"
    );
}

#[test]
fn short_long_or_wrong_files_are_corrupt_never_a_panic() {
    let (bytes, key) = sample();
    for len in [
        0,
        1,
        7,
        8,
        HEADER_LEN - 1,
        HEADER_LEN,
        HEADER_LEN + 15,
        bytes.len() - 1,
    ] {
        assert_eq!(
            format::decrypt(&bytes[..len], &key).unwrap_err().code(),
            "vault.corrupt",
            "{len} bytes"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        format::decrypt(&longer, &key).unwrap_err().code(),
        "vault.corrupt"
    );
    let wrong_key = key_of(&"ab".repeat(32));
    assert_eq!(
        format::decrypt(&bytes, &wrong_key).unwrap_err().code(),
        "vault.corrupt"
    );
}

#[test]
fn two_writes_of_the_same_contents_use_different_nonces() {
    let key = key_of(GOLDEN_KEY);
    let contents = Contents {
        accounts: golden_accounts(),
    };
    let id = uuid::Uuid::new_v4();
    let first = format::encrypt(&contents, id, &key).unwrap();
    let second = format::encrypt(&contents, id, &key).unwrap();
    let (a, b) = (
        Header::parse(&first).unwrap(),
        Header::parse(&second).unwrap(),
    );
    assert_eq!((a.version, a.vault_id), (FORMAT_VERSION, id));
    assert_ne!(a.nonce, b.nonce);
    assert_ne!(a.nonce, [0; NONCE_LEN]);
    assert_ne!(first[HEADER_LEN..], second[HEADER_LEN..]);
    assert_eq!(
        format::decrypt_accounts(&second, &key).unwrap().len(),
        contents.accounts.len()
    );
}
