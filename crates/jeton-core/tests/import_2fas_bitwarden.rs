//! Imports of 2FAS, Bitwarden (and Bitwarden Authenticator), LastPass
//! Authenticator and FreeOTP+ files: the real fixtures in ../shared yield exactly
//! their expected accounts, and passwords, damage and hostile costs fail the way
//! a user must see them fail.

mod support;

use std::time::{Duration, Instant};

use jeton_core::backup::{self, BackupError, Imported};
use serde_json::{json, Value};
use support::{assert_entries, import_fixture, shared, Expected, AEGIS_VECTORS};

/// Reference vector `n` (1-based, as EXPECTED.md numbers them).
fn vector(n: usize) -> Expected {
    AEGIS_VECTORS[n - 1]
}

/// Vector `n` as an app without that parameter stores it: TOTP, with the given
/// algorithm, digits and period.
fn as_totp(n: usize, algorithm: &'static str, digits: u8, period: u64) -> Expected {
    Expected {
        kind: "totp",
        algorithm,
        digits,
        period_or_counter: period,
        ..vector(n)
    }
}

fn fixture_bytes(folder: &str, file: &str) -> Option<Vec<u8>> {
    let path = shared("conformance")?.join(folder).join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn fixture_json(folder: &str, file: &str) -> Option<Value> {
    Some(serde_json::from_slice(&fixture_bytes(folder, file)?).expect("fixture is JSON"))
}

fn read(bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
    backup::read(bytes, None, password)
}

fn read_json(json: &Value, password: Option<&str>) -> Result<Imported, BackupError> {
    read(json.to_string().as_bytes(), password)
}

fn error(result: Result<Imported, BackupError>) -> BackupError {
    result.expect_err("the file must be refused")
}

fn skipped_reasons(imported: &Imported) -> Vec<(String, String, String)> {
    imported
        .entries
        .iter()
        .filter_map(|e| {
            let reason = e.outcome.as_ref().err()?;
            Some((e.issuer.clone(), e.account.clone(), reason.to_string()))
        })
        .collect()
}

/// Flips one bit of a Base64 value: the character is swapped for another valid one.
fn flip_base64_char(text: &str, index: usize) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    chars[index] = if chars[index] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

// ---------------------------------------------------------------- 2FAS

#[test]
fn twofas_fixtures_import_their_vectors() {
    let all_totp: Vec<Expected> = (1..=6).map(|n| as_totp(n, "SHA1", 6, 30)).collect();
    let schema2 = [
        vector(1),
        vector(3),
        as_totp(4, "SHA1", 6, 30),
        as_totp(6, "SHA512", 8, 30),
    ];
    let schema3: Vec<Expected> = (1..=6).map(vector).collect();
    let schema4 = [vector(1), vector(4), vector(5), vector(6), vector(7)];
    let cases: [(&str, Option<&str>, &[Expected]); 7] = [
        ("2fas_authenticator.json", None, &all_totp),
        ("2fas_authenticator_plain.2fas", None, &schema2),
        ("2fas_authenticator_encrypted.2fas", Some("test"), &schema2),
        ("2fas_authenticator_plain_v3.2fas", None, &schema3),
        (
            "2fas_authenticator_encrypted_v3.2fas",
            Some("test"),
            &schema3,
        ),
        ("2fas_authenticator_plain_v4.2fas", None, &schema4),
        (
            "2fas_authenticator_encrypted_v4.2fas",
            Some("test"),
            &schema4,
        ),
    ];
    for (file, password, expected) in cases {
        let Some(imported) = import_fixture("importers", file, password) else {
            return;
        };
        assert_eq!(imported.format, "2fas", "{file}");
        assert_eq!(imported.entries.len(), expected.len(), "{file}");
        assert_entries(file, &imported, expected, 0);
    }
}

#[test]
fn twofas_password_missing_or_wrong() {
    for file in [
        "2fas_authenticator_encrypted.2fas",
        "2fas_authenticator_encrypted_v4.2fas",
    ] {
        let Some(bytes) = fixture_bytes("importers", file) else {
            return;
        };
        assert!(matches!(
            error(read(&bytes, None)),
            BackupError::PasswordNeeded
        ));
        assert!(matches!(
            error(read(&bytes, Some("tset"))),
            BackupError::WrongPassword
        ));
    }
}

#[test]
fn twofas_damaged_services_are_told_from_a_wrong_password() {
    let Some(original) = fixture_json("importers", "2fas_authenticator_encrypted_v3.2fas") else {
        return;
    };
    let services = original["servicesEncrypted"].as_str().unwrap().to_string();

    // The reference opens with the right password, the services do not: damage.
    let mut damaged = original.clone();
    damaged["servicesEncrypted"] = json!(flip_base64_char(&services, 10));
    assert!(matches!(
        error(read_json(&damaged, Some("test"))),
        BackupError::Damaged(_)
    ));
    // …while with a wrong password it is the password that is wrong.
    assert!(matches!(
        error(read_json(&damaged, Some("nope"))),
        BackupError::WrongPassword
    ));

    // Without a reference, a services blob that does not open means a wrong password.
    let mut no_reference = original.clone();
    no_reference.as_object_mut().unwrap().remove("reference");
    assert_eq!(
        read_json(&no_reference, Some("test"))
            .unwrap()
            .entries
            .len(),
        6
    );
    assert!(matches!(
        error(read_json(&no_reference, Some("nope"))),
        BackupError::WrongPassword
    ));

    // Malformed parts are damage, never a panic.
    for bad in [
        "",
        "abc",
        "::",
        "QUJD:QUJD",
        "QUJD:QUJD:QUJD",
        "!!:QUJD:QUJD",
    ] {
        let mut file = original.clone();
        file["servicesEncrypted"] = json!(bad);
        file.as_object_mut().unwrap().remove("reference");
        let result = read_json(&file, Some("test"));
        if !bad.is_empty() {
            assert!(matches!(error(result), BackupError::Damaged(_)), "{bad:?}");
        }
    }
}

#[test]
fn twofas_groups_defaults_and_skipped_entries() {
    let file = json!({
        "schemaVersion": 4,
        "appOrigin": "android",
        "groups": [{"id": "g1", "name": "Work", "isExpanded": true}],
        "services": [
            {"name": "Acme", "secret": "JBSWY3DPEHPK3PXP", "groupId": "g1",
             "otp": {"account": "ann", "tokenType": "TOTP", "algorithm": null}},
            {"name": "", "secret": "JBSWY3DPEHPK3PXQ",
             "otp": {"issuer": "FromOtp", "account": "", "tokenType": "HOTP", "counter": 7}},
            {"name": "Bad algo", "secret": "JBSWY3DPEHPK3PXR",
             "otp": {"account": "x", "algorithm": "SHA384"}},
            {"name": "Bad type", "secret": "JBSWY3DPEHPK3PXS",
             "otp": {"account": "y", "tokenType": "MOTP"}},
            {"name": "Bad secret", "secret": "18", "otp": {"account": "z"}},
            {"name": "No digits", "secret": "JBSWY3DPEHPK3PXT", "otp": {"digits": 0}},
            {"name": "No otp", "secret": "JBSWY3DPEHPK3PXU"}
        ]
    });
    let imported = read_json(&file, None).unwrap();
    assert_eq!(imported.format, "2fas");
    let skipped = skipped_reasons(&imported);
    let names: Vec<&str> = skipped.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        ["Bad algo", "Bad type", "Bad secret", "No digits"],
        "{skipped:?}"
    );
    assert!(skipped[0].2.contains("SHA384"), "{skipped:?}");

    let accounts: Vec<_> = imported.accounts().collect();
    assert_eq!(accounts.len(), 3);
    assert_eq!(
        (accounts[0].issuer.as_str(), accounts[0].name.as_str()),
        ("Acme", "ann")
    );
    assert_eq!(accounts[0].group.as_deref(), Some("Work"));
    assert_eq!(accounts[0].params.algorithm.as_str(), "SHA1");
    assert_eq!(
        (accounts[1].issuer.as_str(), accounts[1].name.as_str()),
        ("FromOtp", "")
    );
    assert_eq!(accounts[1].params.kind.as_str(), "hotp");
    assert_eq!(accounts[1].params.counter, 7);
    assert_eq!(accounts[1].group, None);
    assert_eq!(accounts[2].params.period, 30);

    let mut newer = file.clone();
    newer["schemaVersion"] = json!(5);
    assert!(matches!(
        error(read_json(&newer, None)),
        BackupError::Unsupported(_)
    ));
}

// ---------------------------------------------------------------- Bitwarden

/// The Steam entry of Aegis's Bitwarden files: issuer is the item name.
fn bitwarden_steam(issuer: &'static str) -> Expected {
    Expected {
        issuer,
        account: "",
        ..vector(7)
    }
}

#[test]
fn bitwarden_plain_fixtures_import_their_vectors() {
    for (file, format, steam_item) in [
        ("bitwarden.json", "bitwarden", "Test Steam"),
        ("bitwarden.csv", "bitwarden-csv", "Test 4"),
    ] {
        let Some(imported) = import_fixture("importers", file, None) else {
            return;
        };
        assert_eq!(imported.format, format, "{file}");
        let expected = [vector(1), vector(2), vector(3), bitwarden_steam(steam_item)];
        assert_entries(file, &imported, &expected, 0);
    }
}

#[test]
fn bitwarden_password_protected_fixtures() {
    let expected = [Expected {
        issuer: "KeePassXC",
        account: "keepassxc",
        kind: "totp",
        algorithm: "SHA1",
        digits: 6,
        period_or_counter: 30,
        secret: "FSFSFSFSEFEFE",
    }];
    for file in [
        "bitwarden_encrypted_pbkdf2.json",
        "bitwarden_encrypted_argon2id.json",
    ] {
        let Some(imported) = import_fixture("importers-more", file, Some("a")) else {
            return;
        };
        assert_eq!(imported.format, "bitwarden");
        assert_eq!(imported.entries.len(), 1, "{file}: only logins with a code");
        assert_entries(file, &imported, &expected, 0);
        let bytes = fixture_bytes("importers-more", file).unwrap();
        assert!(matches!(
            error(read(&bytes, None)),
            BackupError::PasswordNeeded
        ));
    }
    let bytes = fixture_bytes("importers-more", "bitwarden_encrypted_pbkdf2.json").unwrap();
    assert!(matches!(
        error(read(&bytes, Some("b"))),
        BackupError::WrongPassword
    ));
}

#[test]
fn bitwarden_excessive_kdf_cost_is_refused_before_it_is_spent() {
    let Some(pbkdf2) = fixture_json("importers-more", "bitwarden_encrypted_pbkdf2.json") else {
        return;
    };
    let argon2 = fixture_json("importers-more", "bitwarden_encrypted_argon2id.json").unwrap();
    let mut costly = Vec::new();
    for iterations in [json!(4_000_000_000u64), json!(u64::MAX)] {
        let mut file = pbkdf2.clone();
        file["kdfIterations"] = iterations;
        costly.push(file);
    }
    for (key, value) in [
        ("kdfMemory", json!(1_000_000)),
        ("kdfMemory", json!(u64::MAX)),
        ("kdfIterations", json!(100_000)),
        ("kdfParallelism", json!(1000)),
    ] {
        let mut file = argon2.clone();
        file[key] = value;
        costly.push(file);
    }
    for file in costly {
        let started = Instant::now();
        let result = read_json(&file, Some("a"));
        assert!(
            matches!(result, Err(BackupError::CostTooHigh(_))),
            "{result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the cost was spent"
        );
    }
    let mut zero = pbkdf2.clone();
    zero["kdfIterations"] = json!(0);
    assert!(matches!(
        error(read_json(&zero, Some("a"))),
        BackupError::Damaged(_)
    ));
}

#[test]
fn bitwarden_damage_is_told_from_a_wrong_password() {
    let Some(original) = fixture_json("importers-more", "bitwarden_encrypted_pbkdf2.json") else {
        return;
    };
    let data = original["data"].as_str().unwrap().to_string();
    let mac_at = data.rfind('|').unwrap() + 3;
    let ct_at = data.find('|').unwrap() + 3;
    for damaged_data in [
        flip_base64_char(&data, mac_at),
        flip_base64_char(&data, ct_at),
        data.replacen("2.", "0.", 1),
        data[..data.rfind('|').unwrap()].to_string(),
        String::new(),
    ] {
        let mut file = original.clone();
        file["data"] = json!(damaged_data);
        assert!(
            matches!(error(read_json(&file, Some("a"))), BackupError::Damaged(_)),
            "{damaged_data:?}"
        );
    }
    let mut no_validation = original.clone();
    no_validation
        .as_object_mut()
        .unwrap()
        .remove("encKeyValidation_DO_NOT_EDIT");
    assert!(matches!(
        error(read_json(&no_validation, Some("a"))),
        BackupError::Damaged(_)
    ));
    let mut unknown_kdf = original.clone();
    unknown_kdf["kdfType"] = json!(7);
    assert!(matches!(
        error(read_json(&unknown_kdf, Some("a"))),
        BackupError::Unsupported(_)
    ));
}

#[test]
fn bitwarden_account_restricted_export_is_refused() {
    let file = json!({
        "encrypted": true,
        "encKeyValidation_DO_NOT_EDIT": "2.LhHqpqdxPhA3aJOOmXWhFQ==|wlmJD9uUHVIKPykx|iRobm+fWvb2Ad4F3",
        "folders": [],
        "items": [{"type": 1, "name": "2.abc|def|ghi", "login": {"totp": "2.abc|def|ghi"}}]
    });
    let message = match error(read_json(&file, Some("whatever"))) {
        BackupError::Unsupported(message) => message,
        other => panic!("{other:?}"),
    };
    assert!(message.contains("account-restricted"), "{message}");
    assert!(message.contains("re-export with a password"), "{message}");
}

#[test]
fn bitwarden_vault_items_names_groups_and_non_entries() {
    let file = json!({
        "encrypted": false,
        "folders": [{"id": "f1", "name": "Work"}],
        "items": [
            {"type": 3, "name": "Card", "card": {"number": "4111"}},
            {"type": 2, "name": "Note", "secureNote": {"type": 0}},
            {"type": 1, "name": "No code", "login": {"username": "u", "totp": null}},
            {"type": 1, "name": "Bare", "folderId": "f1", "favorite": true,
             "login": {"username": " ann@example.com ", "totp": "jbsw y3dp ehpk 3pxp"}},
            {"type": 1, "name": "Linked", "login": {"username": "ignored",
             "totp": "otpauth://totp/?secret=JBSWY3DPEHPK3PXQ&issuer=Code%202%20"}},
            {"type": 1, "name": "Bad", "login": {"username": "b", "totp": "not base32!"}},
            {"type": 1, "name": "Motp", "login": {"totp": "motp://x?secret=abc"}}
        ]
    });
    let imported = read_json(&file, None).unwrap();
    assert_eq!(imported.format, "bitwarden");
    assert_eq!(
        imported.entries.len(),
        4,
        "cards, notes and code-less logins are not entries"
    );
    let accounts: Vec<_> = imported.accounts().collect();
    assert_eq!(accounts.len(), 2);
    assert_eq!(
        (accounts[0].issuer.as_str(), accounts[0].name.as_str()),
        ("Bare", "ann@example.com")
    );
    assert_eq!(accounts[0].secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    assert_eq!(accounts[0].params.period, 30);
    assert_eq!(accounts[0].group.as_deref(), Some("Work"));
    assert!(accounts[0].favourite);
    // A link follows Jeton's link rules: its own issuer, an empty account.
    assert_eq!(
        (accounts[1].issuer.as_str(), accounts[1].name.as_str()),
        ("Code 2", "")
    );
    let skipped = skipped_reasons(&imported);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!((skipped[0].0.as_str(), skipped[0].1.as_str()), ("Bad", "b"));
}

/// A Bitwarden Authenticator JSON export, as its `ExportJsonData` is written:
/// item `name` = issuer, `login` with only `totp` (an otpauth link built from
/// issuer and account, or `steam://KEY`), nulls written out, no folders.
#[test]
fn bitwarden_authenticator_export_imports() {
    let text = r#"{"encrypted":false,"items":[
{"id":"21442bd8-2e15-4983-9d31-960a46d9e157","name":"Standard","folderId":null,"organizationId":null,"collectionIds":null,"notes":null,"type":1,"login":{"totp":"otpauth://totp/Standard%3ATotp?secret=54VEGZFJHM3BGDONFERMPUOKNGDJETGM&algorithm=SHA1&digits=6&period=30&issuer=Standard"},"favorite":false},
{"id":"57b1a2ec-16e1-4cbf-9a18-ea871a8db739","name":"Long","folderId":null,"organizationId":null,"collectionIds":null,"notes":null,"type":1,"login":{"totp":"otpauth://totp/Long%3APeriod?secret=JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN&algorithm=SHA512&digits=8&period=60&issuer=Long"},"favorite":false},
{"id":"78b8c94b-f83f-4437-a0a0-d659d337d727","name":"GitHub","folderId":null,"organizationId":null,"collectionIds":null,"notes":null,"type":1,"login":{"totp":"otpauth://totp/GitHub?secret=KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX&algorithm=SHA256&digits=6&period=30&issuer=GitHub"},"favorite":false},
{"id":"b1315dd9-28f8-4fd2-afa4-37aed632c90e","name":"SteamName","folderId":null,"organizationId":null,"collectionIds":null,"notes":null,"type":1,"login":{"totp":"steam://JRZCL47CMXVOQMNPZR2F7J4RGI"},"favorite":false}
]}"#;
    let imported = read(text.as_bytes(), None).unwrap();
    assert_eq!(imported.format, "bitwarden");
    let expected = [
        Expected {
            issuer: "Standard",
            account: "Totp",
            kind: "totp",
            algorithm: "SHA1",
            digits: 6,
            period_or_counter: 30,
            secret: "54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
        },
        Expected {
            issuer: "Long",
            account: "Period",
            kind: "totp",
            algorithm: "SHA512",
            digits: 8,
            period_or_counter: 60,
            secret: "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
        },
        Expected {
            issuer: "GitHub",
            account: "GitHub",
            kind: "totp",
            algorithm: "SHA256",
            digits: 6,
            period_or_counter: 30,
            secret: "KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
        },
        bitwarden_steam("SteamName"),
    ];
    assert_entries("Bitwarden Authenticator JSON", &imported, &expected, 0);

    // Its CSV export: more fields per row than the header names.
    let csv = "folder,favorite,type,name,login_uri,login_totp\n\
        ,,1,Standard,,otpauth://totp/Standard%3ATotp?secret=54VEGZFJHM3BGDONFERMPUOKNGDJETGM&algorithm=SHA1&digits=6&period=30&issuer=Standard,Standard,30,6\n\
        ,,1,SteamName,,steam://JRZCL47CMXVOQMNPZR2F7J4RGI,SteamName,30,6";
    let imported = read(csv.as_bytes(), None).unwrap();
    assert_eq!(imported.format, "bitwarden-csv");
    assert_entries(
        "Bitwarden Authenticator CSV",
        &imported,
        &[expected[0], expected[3]],
        0,
    );
}

#[test]
fn bitwarden_csv_quoting_and_rows() {
    let csv = "\u{feff}folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\r\n\
        Work,1,login,\"Acme, Inc.\",\"two\r\nlines, \"\"quoted\"\"\",,0,,\"ann\",pw,JBSWY3DPEHPK3PXP\r\n\
        \r\n\
        ,,note,A note,text,,0,,,,\r\n\
        ,,card,Card,,,0,,,,JBSWY3DPEHPK3PXQ\r\n\
        ,,login,\"Quote \"\"Q\"\"\",,,0,,,,\"otpauth://totp/Q:bob?secret=JBSWY3DPEHPK3PXR&issuer=Q%22\"\r\n\
        ,,login,No code,,,0,,bob,pw,\r\n";
    let imported = read(csv.as_bytes(), None).unwrap();
    assert_eq!(imported.format, "bitwarden-csv");
    let accounts: Vec<_> = imported.accounts().collect();
    assert_eq!(
        imported.entries.len(),
        2,
        "{:?}",
        skipped_reasons(&imported)
    );
    assert_eq!(
        (accounts[0].issuer.as_str(), accounts[0].name.as_str()),
        ("Acme, Inc.", "ann")
    );
    assert_eq!(accounts[0].group.as_deref(), Some("Work"));
    assert!(accounts[0].favourite);
    assert_eq!(
        (accounts[1].issuer.as_str(), accounts[1].name.as_str()),
        ("Q\"", "bob")
    );

    let unterminated = "name,login_username,login_totp\n\"open,x,JBSWY3DPEHPK3PXP\n";
    assert!(matches!(
        error(read(unterminated.as_bytes(), None)),
        BackupError::Damaged(_)
    ));
}

// ---------------------------------------------------------------- LastPass

#[test]
fn lastpass_fixture_imports() {
    let Some(imported) = import_fixture("importers-more", "lastpass_authenticator.json", None)
    else {
        return;
    };
    assert_eq!(imported.format, "lastpass");
    let totp = |issuer, account, algorithm, digits, period, secret| Expected {
        issuer,
        account,
        kind: "totp",
        algorithm,
        digits,
        period_or_counter: period,
        secret,
    };
    let expected = [
        totp(
            "issuer",
            "account name default",
            "SHA1",
            6,
            30,
            "BDKSIEHWBDBBDBDZBY",
        ),
        totp("other", "", "SHA256", 8, 20, "JDJSKDKDKDKDKDKD"),
        totp("", "sha512 name", "SHA512", 6, 30, "JDJDDJDJUEJEBDBFNE"),
    ];
    assert_entries("lastpass_authenticator.json", &imported, &expected, 0);
    assert!(imported
        .accounts()
        .all(|a| a.group.is_none() && !a.favourite));
}

#[test]
fn lastpass_folders_favourites_and_bad_entries() {
    let file = json!({
        "version": 3,
        "localDeviceId": "x",
        "accounts": [
            {"issuerName": "A", "userName": "a", "secret": "JBSWY3DPEHPK3PXP", "timeStep": 30,
             "digits": 6, "algorithm": "SHA1", "isFavorite": false,
             "folderData": {"folderId": 2, "position": 0}},
            {"issuerName": "B", "userName": "b", "secret": "JBSWY3DPEHPK3PXQ", "timeStep": 30,
             "digits": 6, "algorithm": "SHA1", "isFavorite": true,
             "folderData": {"folderId": 1, "position": 0}},
            {"issuerName": "C", "userName": "c", "secret": "JBSWY3DPEHPK3PXR", "timeStep": 0,
             "digits": 6, "algorithm": "SHA1"},
            {"issuerName": "D", "userName": "d", "secret": "JBSWY3DPEHPK3PXS", "timeStep": 30,
             "digits": 6, "algorithm": "MD5"},
            {"issuerName": "E", "userName": "e", "secret": "JBSWY3DPEHPK3PXT", "timeStep": -5,
             "digits": 6, "algorithm": "SHA1"}
        ],
        "folders": [
            {"id": 1, "name": "Favorites", "isOpened": true},
            {"id": 2, "name": "Work", "isOpened": true},
            {"id": 0, "name": "Other accounts", "isOpened": true}
        ]
    });
    let imported = read_json(&file, None).unwrap();
    assert_eq!(imported.format, "lastpass");
    let accounts: Vec<_> = imported.accounts().collect();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].group.as_deref(), Some("Work"));
    assert!(!accounts[0].favourite);
    assert_eq!(accounts[1].group, None);
    assert!(accounts[1].favourite);
    let skipped: Vec<String> = skipped_reasons(&imported)
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(skipped, ["C", "D", "E"]);
}

// ---------------------------------------------------------------- FreeOTP+

#[test]
fn freeotp_plus_fixture_imports_with_the_next_counter() {
    let Some(imported) = import_fixture("importers", "freeotp_plus.json", None) else {
        return;
    };
    assert_eq!(imported.format, "freeotp-plus");
    let expected: Vec<Expected> = (1..=6).map(vector).collect();
    assert_entries("freeotp_plus.json", &imported, &expected, 0);
    // In the order the user arranged (tokenOrder).
    let issuers: Vec<&str> = imported.accounts().map(|a| a.issuer.as_str()).collect();
    assert_eq!(
        issuers,
        ["WWE", "Air Canada", "Issuu", "Airbnb", "SPDX", "Deno"]
    );
}

#[test]
fn freeotp_plus_odd_tokens() {
    let file = json!({
        "tokenOrder": ["Steam:me", "Later:x"],
        "tokens": [
            {"type": "TOTP", "issuerExt": "Later", "label": "x", "secret": [1, 2, 3, -1],
             "algo": "SHA256", "digits": 7, "period": 45},
            {"type": "TOTP", "issuerExt": "Steam", "label": "me", "secret": [1, 2, 3, 4, 5],
             "algo": "SHA1", "digits": 6, "period": 30},
            {"type": "HOTP", "issuerExt": "Bad", "label": "byte", "secret": [1, 300]},
            {"type": "HOTP", "issuerExt": "Empty", "label": "secret", "secret": []},
            {"type": "YANDEX", "issuerExt": "Y", "label": "y", "secret": [1]},
            {"type": "HOTP", "issuerExt": "Max", "label": "counter", "secret": [9],
             "counter": u64::MAX}
        ]
    });
    let imported = read_json(&file, None).unwrap();
    assert_eq!(imported.format, "freeotp-plus");
    let accounts: Vec<_> = imported.accounts().collect();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].params.kind.as_str(), "steam");
    assert_eq!(accounts[1].issuer, "Later");
    assert_eq!(accounts[1].secret.as_bytes(), [1, 2, 3, 255]);
    assert_eq!(
        (accounts[1].params.digits, accounts[1].params.period),
        (7, 45)
    );
    let skipped: Vec<String> = skipped_reasons(&imported)
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert_eq!(skipped, ["Bad", "Empty", "Y", "Max"]);
}

// ---------------------------------------------------------------- damage

/// Truncated and bit-flipped copies of every fixture fail cleanly (or, for a
/// flip in a name, still import): never a panic.
#[test]
fn truncated_and_flipped_files_never_panic() {
    let files = [
        (
            "importers",
            "2fas_authenticator_encrypted_v4.2fas",
            Some("test"),
        ),
        ("importers", "2fas_authenticator_plain_v4.2fas", None),
        ("importers", "2fas_authenticator.json", None),
        ("importers", "bitwarden.json", None),
        ("importers", "bitwarden.csv", None),
        ("importers", "freeotp_plus.json", None),
        ("importers-more", "lastpass_authenticator.json", None),
        (
            "importers-more",
            "bitwarden_encrypted_pbkdf2.json",
            Some("a"),
        ),
    ];
    for (folder, file, password) in files {
        let Some(bytes) = fixture_bytes(folder, file) else {
            return;
        };
        let json_file = !file.ends_with(".csv");
        for cut in [1, 2, 10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
            let result = read(&bytes[..cut], password);
            if json_file {
                assert!(result.is_err(), "{file} cut at {cut} still reads");
            }
        }
        for step in 0..12 {
            let mut flipped = bytes.clone();
            let at = (step * 7919 + 13) % flipped.len();
            flipped[at] ^= 1 << (step % 8);
            let _ = read(&flipped, password);
        }
    }
}
