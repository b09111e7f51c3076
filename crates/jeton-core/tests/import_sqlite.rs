//! Imports of the internal SQLite databases of Google Authenticator, Microsoft
//! Authenticator and Stratum: every fixture gives exactly its expected entries
//! (format recognised from the content), each format claims only its own
//! database, and damaged, oversized or crafted databases fail cleanly and fast.
#![cfg(target_os = "linux")]

mod support;

use std::time::{Duration, Instant};

use jeton_core::backup::{self, BackupError, Imported};
use support::{assert_entries, import_fixture, shared, Expected, AEGIS_VECTORS};

/// The fixture's bytes, or `None` when ../shared is absent.
fn fixture(file: &str) -> Option<Vec<u8>> {
    let path = shared("conformance")?.join("importers").join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn read(bytes: &[u8]) -> Result<Imported, BackupError> {
    backup::read(bytes, None, None)
}

#[track_caller]
fn read_ok(bytes: &[u8]) -> Imported {
    read(bytes).unwrap_or_else(|e| panic!("does not import: {e}"))
}

/// A database made by SQLite from `sql`, as the bytes of its file.
fn database(sql: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.db");
    let db = rusqlite::Connection::open(&path).expect("creates the database");
    db.execute_batch(sql).expect("valid SQL");
    db.close().expect("closes");
    std::fs::read(&path).expect("reads the database")
}

/// The vector with the changes `EXPECTED.md` lists for the app's database.
fn adjusted(v: Expected, digits: u8, algorithm: &'static str, period: u64) -> Expected {
    Expected {
        digits,
        algorithm,
        kind: if v.kind == "hotp" { "hotp" } else { "totp" },
        period_or_counter: if v.kind == "hotp" {
            v.period_or_counter
        } else {
            period
        },
        ..v
    }
}

#[test]
fn google_authenticator_fixture() {
    let Some(imported) = import_fixture("importers", "google_authenticator.sqlite", None) else {
        return;
    };
    assert_eq!(imported.format, "google-authenticator-db");
    let expected: Vec<Expected> = AEGIS_VECTORS[..6]
        .iter()
        .map(|v| adjusted(*v, 6, "SHA1", 30))
        .collect();
    assert_entries("google_authenticator.sqlite", &imported, &expected, 0);
}

#[test]
fn microsoft_authenticator_fixture() {
    let Some(imported) = import_fixture("importers", "microsoft_authenticator.sqlite", None) else {
        return;
    };
    assert_eq!(imported.format, "microsoft-authenticator-db");
    let expected: Vec<Expected> = AEGIS_VECTORS[..7]
        .iter()
        .map(|v| Expected {
            kind: "totp",
            period_or_counter: 30,
            ..adjusted(*v, 6, "SHA1", 30)
        })
        .collect();
    assert_entries("microsoft_authenticator.sqlite", &imported, &expected, 0);
}

#[test]
fn stratum_internal_fixture_in_wal_mode() {
    let Some(bytes) = fixture("stratum_internal.db") else {
        return;
    };
    assert_eq!(
        &bytes[18..20],
        &[2, 2],
        "the fixture is a WAL-mode database"
    );
    let imported = read_ok(&bytes);
    assert_eq!(imported.format, "stratum-db");
    assert_entries("stratum_internal.db", &imported, &AEGIS_VECTORS[..7], 0);
}

#[test]
fn each_format_claims_only_its_own_database() {
    let names = [
        ("google_authenticator.sqlite", "google-authenticator-db"),
        (
            "microsoft_authenticator.sqlite",
            "microsoft-authenticator-db",
        ),
        ("stratum_internal.db", "stratum-db"),
    ];
    for (file, own) in names {
        let Some(bytes) = fixture(file) else {
            return;
        };
        for (_, other) in names.iter().filter(|(_, name)| *name != own) {
            let result = backup::read(&bytes, Some(other), None);
            assert!(
                result.is_err(),
                "{file} read as {other}: {:?}",
                result.map(|i| i.entries.len())
            );
        }
    }
    // An SQLite database of some other app is no known format.
    let other =
        database("CREATE TABLE notes (id INTEGER, body TEXT); INSERT INTO notes VALUES (1, 'x');");
    assert_eq!(read(&other).unwrap_err().code(), "backup.unknown_format");
}

#[test]
fn truncated_and_flipped_databases_fail_without_a_panic() {
    for file in [
        "google_authenticator.sqlite",
        "microsoft_authenticator.sqlite",
        "stratum_internal.db",
    ] {
        let Some(bytes) = fixture(file) else {
            return;
        };
        // Every cut: an error or a clean result, never a panic. Cut inside the
        // first page (the schema): an error.
        for cut in (0..bytes.len()).step_by(509) {
            let result = read(&bytes[..cut]);
            if cut < 4096 {
                assert!(
                    result.is_err(),
                    "{file} truncated to {cut} bytes still imports"
                );
            }
        }
        // A page size that is no power of two, and a broken b-tree page type
        // on every page: errors.
        let mut flipped = bytes.clone();
        flipped[16] ^= 0x01;
        assert!(read(&flipped).is_err(), "{file} with a bad page size");
        for page in (4096..bytes.len()).step_by(4096) {
            let mut flipped = bytes.clone();
            flipped[page] = 0x07;
            let _ = read(&flipped);
        }
        // Any single flipped bit: an error or a clean result, never a panic.
        for at in (0..bytes.len()).step_by(97) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x20;
            let _ = read(&flipped);
        }
    }
}

#[test]
fn too_many_rows_are_refused_fast() {
    let bytes = database(
        "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT, secret TEXT, counter INTEGER, \
         type INTEGER, issuer TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO accounts (email, secret, counter, type, issuer)
         SELECT 'user' || i, 'JBSWY3DPEHPK3PXP', 0, 0, 'Example' FROM n;",
    );
    let start = Instant::now();
    match read(&bytes) {
        Err(BackupError::TooManyEntries { count, .. }) => assert_eq!(count, 20_000),
        other => panic!(
            "expected TooManyEntries: {:?}",
            other.map(|i| i.entries.len())
        ),
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn other_tables_do_not_count() {
    let bytes = database(
        "CREATE TABLE accounts (email TEXT, secret TEXT, counter INTEGER, type INTEGER, issuer TEXT);
         INSERT INTO accounts VALUES ('Deno:Mason', '4SJHB4GSD43FZBAI7C2HLRJGPQ', 0, 0, 'Deno');
         CREATE TABLE auditlog (id INTEGER);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO auditlog SELECT i FROM n;",
    );
    assert_entries("synthetic", &read_ok(&bytes), &AEGIS_VECTORS[..1], 0);
}

#[test]
fn crafted_schema_cannot_make_sqlite_allocate_or_loop() {
    // A generated column that would be a 100 MB blob: over the length cap.
    let bytes = database(
        "CREATE TABLE accounts (email TEXT, type INTEGER, \
         secret TEXT GENERATED ALWAYS AS (hex(zeroblob(100000000))) VIRTUAL);
         INSERT INTO accounts (email, type) VALUES ('a', 0);",
    );
    let err = read(&bytes).unwrap_err();
    assert_eq!(err.code(), "backup.damaged", "{err}");
    // A view named like the table is not the table.
    let bytes = database(
        "CREATE VIEW accounts AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
         SELECT 'a' AS email, 'JBSWY3DPEHPK3PXP' AS secret, 0 AS type, i FROM n;",
    );
    let start = Instant::now();
    assert!(read(&bytes).is_err());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn google_authenticator_odd_rows() {
    let bytes = database(
        "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, \
         counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, \
         issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL, isencrypted INTEGER);
         INSERT INTO accounts (email, secret, counter, type, issuer) VALUES
           ('Issuu:James', 'yoom ixws 5gn6 rtbp uffw ktw5 m4', 1, 1, 'Issuu'),
           ('Deno:Mason', '4SJHB4GSD43FZBAI7C2HLRJGPQ', 0, NULL, NULL),
           ('a:b:c', '7ELGJSGXNCCTV3O6LKJWYFV2RA', 0, 0, ''),
           ('bad', '0189', 0, 0, 'X'),
           ('motp', 'KUVJJOM753IHTNDSZVCNKL7GII', 0, 2, 'Y');
         INSERT INTO accounts (email, secret, type, issuer, isencrypted) VALUES
           ('enc', 'AAAA', 0, 'Z', 1);",
    );
    let imported = read_ok(&bytes);
    let expected = [
        AEGIS_VECTORS[3],
        // No issuer column value: the label's prefix.
        AEGIS_VECTORS[0],
        Expected {
            issuer: "",
            account: "a:b:c",
            algorithm: "SHA1",
            digits: 6,
            period_or_counter: 30,
            ..AEGIS_VECTORS[2]
        },
    ];
    assert_entries("synthetic", &imported, &expected, 3);
    let skipped: Vec<_> = imported
        .entries
        .iter()
        .filter(|e| e.outcome.is_err())
        .map(|e| (e.issuer.as_str(), e.account.as_str()))
        .collect();
    assert_eq!(skipped, [("X", "bad"), ("Y", "motp"), ("Z", "enc")]);
}

#[test]
fn microsoft_personal_accounts_and_other_types() {
    // Type 1: a Base64 secret and 8 digits; type 2 is not supported.
    let bytes = database(
        "CREATE TABLE accounts (name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER);
         INSERT INTO accounts VALUES
           ('Microsoft', 'me@example.com', '5JJw8NIfNlyECPi0dcUmfA==', 1),
           ('Contoso', 'me@contoso.com', '', 2),
           ('Deno', 'Mason', '4SJHB4GSD43FZBAI7C2HLRJGPQ', 0);",
    );
    let imported = read_ok(&bytes);
    let personal = Expected {
        issuer: "Microsoft",
        account: "me@example.com",
        kind: "totp",
        algorithm: "SHA1",
        digits: 8,
        period_or_counter: 30,
        secret: "4SJHB4GSD43FZBAI7C2HLRJGPQ", // the same 16 bytes, in Base64
    };
    let deno = Expected {
        account: "Mason",
        ..AEGIS_VECTORS[0]
    };
    // Both have the same secret: check each by name.
    assert_eq!(imported.entries.len(), 3);
    let accounts: Vec<_> = imported.accounts().collect();
    assert_eq!(accounts.len(), 2);
    assert_eq!(
        (accounts[0].issuer.as_str(), accounts[0].params.digits),
        (personal.issuer, personal.digits)
    );
    assert_eq!(accounts[0].secret.to_base32().as_str(), personal.secret);
    assert_eq!(
        (accounts[1].name.as_str(), accounts[1].params.digits),
        (deno.account, 6)
    );
    let skipped = &imported.entries[1];
    assert_eq!(skipped.issuer, "Contoso");
    assert_eq!(
        skipped.outcome.as_ref().unwrap_err().to_string(),
        "Microsoft Authenticator account type 2 is not supported (only types 0, other \
         accounts, and 1, personal Microsoft accounts)"
    );
}

#[test]
fn stratum_categories_become_groups() {
    let bytes = database(
        "CREATE TABLE authenticator (type integer, issuer varchar, username varchar, \
         secret varchar primary key not null, algorithm integer, digits integer, period integer, \
         counter integer, ranking integer);
         CREATE TABLE category (id varchar primary key not null, name varchar, ranking integer);
         CREATE TABLE authenticatorcategory (categoryId varchar, authenticatorSecret varchar, ranking integer);
         INSERT INTO authenticator VALUES
           (2, 'Deno', 'Mason', '4SJHB4GSD43FZBAI7C2HLRJGPQ', 0, 6, 30, 0, 0),
           (3, 'mOTP', 'x', 'ABCDEFGH', 0, 6, 10, 0, 1),
           (1, 'WWE', NULL, '5VAML3X35THCEBVRLV24CGBKOY', 2, 8, 30, 10300, 2);
         INSERT INTO category VALUES ('c1', 'Work', 0);
         INSERT INTO authenticatorcategory VALUES ('c1', '4SJHB4GSD43FZBAI7C2HLRJGPQ', 0);",
    );
    let imported = read_ok(&bytes);
    let wwe = Expected {
        account: "",
        ..AEGIS_VECTORS[5]
    };
    assert_entries("synthetic", &imported, &[AEGIS_VECTORS[0], wwe], 1);
    let groups: Vec<_> = imported.accounts().map(|a| a.group.clone()).collect();
    assert_eq!(groups, [Some("Work".to_string()), None]);
}
