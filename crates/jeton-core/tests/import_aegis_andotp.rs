//! Aegis and andOTP: every fixture of Aegis's importer tests reads to exactly its
//! expected accounts (importers/EXPECTED.md), passwords and damage are told apart
//! where the format allows, costs are refused before they are spent, and an Aegis
//! export opens again in Jeton and in an independent (Python) reader.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jeton_core::backup::{self, aegis, BackupError, Imported};
use jeton_core::{Account, Algorithm, Kind, OtpParams, Secret};
use serde_json::{json, Value};
use support::{assert_entries, import_fixture, Expected, AEGIS_VECTORS};

const FOLDER: &str = "importers";

fn fixture(file: &str) -> Option<Vec<u8>> {
    let path = support::shared("conformance")?.join(FOLDER).join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn fixture_json(file: &str) -> Option<Value> {
    fixture(file).map(|bytes| serde_json::from_slice(&bytes).expect("fixture is JSON"))
}

fn read(bytes: &[u8], password: Option<&str>) -> Result<Imported, BackupError> {
    backup::read(bytes, None, password)
}

fn read_json(value: &Value, password: Option<&str>) -> Result<Imported, BackupError> {
    read(&serde_json::to_vec(value).unwrap(), password)
}

fn imports_exactly(file: &str, password: Option<&str>, format: &str, expected: &[Expected]) {
    let Some(imported) = import_fixture(FOLDER, file, password) else {
        return;
    };
    assert_eq!(imported.format, format, "{file} is recognised as {format}");
    assert_entries(file, &imported, expected, 0);
}

/// Fails unless `f` returns within `limit` (a refused cost must not be spent).
fn quick<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    out
}

// ---- Aegis ----

#[test]
fn aegis_plain_and_encrypted_vaults_hold_the_seven_vectors() {
    imports_exactly("aegis_plain.json", None, "aegis", &AEGIS_VECTORS[..7]);
    imports_exactly(
        "aegis_encrypted.json",
        Some("test"),
        "aegis",
        &AEGIS_VECTORS[..7],
    );
}

#[test]
fn aegis_encrypted_vault_needs_the_right_password() {
    let Some(bytes) = fixture("aegis_encrypted.json") else {
        return;
    };
    assert!(matches!(
        read(&bytes, None),
        Err(BackupError::PasswordNeeded)
    ));
    assert!(matches!(
        read(&bytes, Some("")),
        Err(BackupError::PasswordNeeded)
    ));
    assert!(matches!(
        read(&bytes, Some("Test")),
        Err(BackupError::WrongPassword)
    ));
}

#[test]
fn aegis_v2_group_names_and_v3_group_ids_become_the_group() {
    let Some(imported) =
        import_fixture(FOLDER, "aegis_vault_test/aegis_plain_grouped_v2.json", None)
    else {
        return;
    };
    let group_of = |issuer: &str| {
        imported
            .accounts()
            .find(|a| a.issuer == issuer)
            .unwrap_or_else(|| panic!("no {issuer} entry"))
            .group
            .clone()
    };
    assert_eq!(imported.accounts().count(), 7);
    assert_eq!(group_of("Deno").as_deref(), Some("group1"));
    assert_eq!(group_of("Airbnb").as_deref(), Some("group1"));
    assert_eq!(group_of("Issuu").as_deref(), Some("group2"));
    let ungrouped = imported.accounts().filter(|a| a.group.is_none()).count();
    assert_eq!(ungrouped, 4);

    // Version 3: ids point at the group list; unknown ids are dropped, and the
    // old per-entry name is ignored once `groups` is there (as in Aegis).
    let mut vault = fixture_json("aegis_plain.json").unwrap();
    vault["db"]["version"] = json!(3);
    vault["db"]["groups"] = json!([
        {"uuid": "0f4c5c5e-3d52-4b8e-9a57-5b4c1b0a8f11", "name": "Work"},
        {"uuid": "1d1a57a8-2f0e-4c1f-8f9e-6f8a3a2d7c22", "name": "Home"}
    ]);
    let entries = vault["db"]["entries"].as_array_mut().unwrap();
    entries[0]["groups"] = json!(["1d1a57a8-2f0e-4c1f-8f9e-6f8a3a2d7c22"]);
    entries[1]["groups"] = json!([
        "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
        "0f4c5c5e-3d52-4b8e-9a57-5b4c1b0a8f11"
    ]);
    entries[2]["groups"] = json!(["aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"]);
    entries[3]["groups"] = json!([]);
    entries[3]["group"] = json!("Old");
    entries[4]["favorite"] = json!(true);
    entries[4]["note"] = json!("backup codes in the drawer");
    let imported = read_json(&vault, None).unwrap();
    let accounts: Vec<&Account> = imported.accounts().collect();
    let groups: Vec<Option<&str>> = accounts.iter().map(|a| a.group.as_deref()).collect();
    assert_eq!(
        groups,
        [Some("Home"), Some("Work"), None, None, None, None, None]
    );
    assert!(accounts[4].favourite && !accounts[3].favourite);
    assert_eq!(accounts[4].notes, "backup codes in the drawer");
    assert_eq!(accounts[3].notes, "");
}

#[test]
fn aegis_entries_jeton_cannot_use_are_skipped_with_their_reason() {
    let Some(mut vault) = fixture_json("aegis_plain.json") else {
        return;
    };
    let entries = vault["db"]["entries"].as_array_mut().unwrap();
    entries[0]["type"] = json!("motp");
    entries[1]["type"] = json!("yandex");
    entries[2]["type"] = json!("hexagonal");
    entries[3]["info"]["algo"] = json!("MD5");
    entries[4]["info"]["digits"] = json!(0);
    entries[5]["info"]["secret"] = json!("NOT-BASE32-1890");
    entries[6]["issuer"] = json!(null);
    let imported = read_json(&vault, None).unwrap();
    let boeing = Expected {
        issuer: "",
        ..AEGIS_VECTORS[6]
    };
    assert_entries("edited aegis_plain.json", &imported, &[boeing], 6);
    let reasons: Vec<String> = imported
        .entries
        .iter()
        .filter_map(|e| e.outcome.as_ref().err())
        .map(|e| e.to_string())
        .collect();
    for (reason, want) in
        reasons
            .iter()
            .zip(["mOTP", "Yandex", "hexagonal", "MD5", "digits", "Base32"])
    {
        assert!(reason.contains(want), "{reason:?} should name {want}");
    }
    // Skipped entries keep their names for the report.
    assert_eq!(imported.entries[0].issuer, "Deno");
    assert_eq!(imported.entries[0].account, "Mason");
}

#[test]
fn aegis_damaged_vaults_fail_without_panicking() {
    let Some(bytes) = fixture("aegis_encrypted.json") else {
        return;
    };
    let vault: Value = serde_json::from_slice(&bytes).unwrap();

    // The slot opens, so a changed content is damage, not a wrong password.
    let mut flipped = vault.clone();
    let db = flipped["db"].as_str().unwrap().to_string();
    let mut chars: Vec<char> = db.chars().collect();
    chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
    flipped["db"] = json!(chars.into_iter().collect::<String>());
    assert!(matches!(
        read_json(&flipped, Some("test")),
        Err(BackupError::Damaged(_))
    ));
    let mut cut = vault.clone();
    cut["db"] = json!(&db[..db.len() / 2]);
    assert!(matches!(
        read_json(&cut, Some("test")),
        Err(BackupError::Damaged(_))
    ));
    let mut bad_tag = vault.clone();
    bad_tag["header"]["params"]["tag"] = json!("00112233445566778899aabbccddeeff");
    assert!(matches!(
        read_json(&bad_tag, Some("test")),
        Err(BackupError::Damaged(_))
    ));
    // A changed wrapped key cannot be told from a wrong password.
    let mut bad_key = vault.clone();
    let key = bad_key["header"]["slots"][0]["key"].as_str().unwrap();
    bad_key["header"]["slots"][0]["key"] = json!(format!("ff{}", &key[2..]));
    assert!(matches!(
        read_json(&bad_key, Some("test")),
        Err(BackupError::WrongPassword)
    ));
    let mut no_salt = vault.clone();
    no_salt["header"]["slots"][0]["salt"] = json!("not hex");
    assert!(matches!(
        read_json(&no_salt, Some("test")),
        Err(BackupError::Damaged(_))
    ));
    let mut odd_n = vault.clone();
    odd_n["header"]["slots"][0]["n"] = json!(32767);
    assert!(matches!(
        read_json(&odd_n, Some("test")),
        Err(BackupError::Damaged(_))
    ));
    // Truncated files, at every tenth of their length, and byte flips across it.
    for cut in (1..10).map(|tenth| bytes.len() * tenth / 10) {
        assert!(read(&bytes[..cut], Some("test")).is_err(), "cut at {cut}");
    }
    for at in (0..bytes.len()).step_by(151) {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        // An error or (for a change in whitespace or a name) a read; never a panic.
        let _ = read(&changed, Some("test"));
    }
    let Some(plain) = fixture("aegis_plain.json") else {
        return;
    };
    for cut in (1..10).map(|tenth| plain.len() * tenth / 10) {
        assert!(read(&plain[..cut], None).is_err(), "cut at {cut}");
    }
}

#[test]
fn aegis_slots_asking_too_much_are_refused_before_any_work() {
    let Some(vault) = fixture_json("aegis_encrypted.json") else {
        return;
    };
    for (field, value) in [
        ("n", json!(1u64 << 30)),
        ("r", json!(1_000_000)),
        ("p", json!(64)),
    ] {
        let mut costly = vault.clone();
        costly["header"]["slots"][0][field] = value;
        let result = quick(Duration::from_secs(2), || read_json(&costly, Some("test")));
        assert!(
            matches!(result, Err(BackupError::CostTooHigh(_))),
            "{field}: {result:?}"
        );
    }
    let mut many = vault.clone();
    let slot = many["header"]["slots"][0].clone();
    many["header"]["slots"] = Value::Array(vec![slot; 1000]);
    let result = quick(Duration::from_secs(2), || read_json(&many, Some("test")));
    assert!(matches!(result, Err(BackupError::CostTooHigh(_))));
    // A second slot is tried when the first does not open.
    let mut two = vault.clone();
    let mut other = two["header"]["slots"][0].clone();
    other["salt"] = json!("00".repeat(32));
    two["header"]["slots"] = json!([other, vault["header"]["slots"][0]]);
    assert_eq!(read_json(&two, Some("test")).unwrap().accounts().count(), 7);
}

#[test]
fn aegis_vault_locked_only_by_fingerprint_is_refused_with_what_to_do() {
    let Some(mut vault) = fixture_json("aegis_encrypted.json") else {
        return;
    };
    let slot = &mut vault["header"]["slots"][0];
    slot["type"] = json!(2);
    for key in ["n", "r", "p", "salt", "repaired"] {
        slot.as_object_mut().unwrap().remove(key);
    }
    for password in [None, Some("test")] {
        match read_json(&vault, password) {
            Err(BackupError::Unsupported(why)) => assert!(why.contains("password"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn aegis_vaults_from_a_newer_aegis_are_refused() {
    let Some(vault) = fixture_json("aegis_plain.json") else {
        return;
    };
    let mut newer_file = vault.clone();
    newer_file["version"] = json!(2);
    let mut newer_content = vault.clone();
    newer_content["db"]["version"] = json!(4);
    for newer in [newer_file, newer_content] {
        assert!(matches!(
            read_json(&newer, None),
            Err(BackupError::Unsupported(_))
        ));
    }
}

// ---- andOTP ----

#[test]
fn andotp_plain_and_encrypted_backups_hold_the_seven_vectors() {
    imports_exactly("andotp_plain.json", None, "andotp", &AEGIS_VECTORS[..7]);
    imports_exactly(
        "andotp_encrypted.bin",
        Some("test"),
        "andotp-encrypted",
        &AEGIS_VECTORS[..7],
    );
}

#[test]
fn andotp_old_format_keeps_the_unsplit_label_as_the_name() {
    // EXPECTED.md: vectors 1–6 with name := "<issuer>:<name>" (the old label
    // "Deno - Deno:Mason" splits at " - " only).
    let names: Vec<String> = AEGIS_VECTORS[..6]
        .iter()
        .map(|v| format!("{}:{}", v.issuer, v.account))
        .collect();
    let expected: Vec<Expected> = AEGIS_VECTORS[..6]
        .iter()
        .zip(&names)
        .map(|(v, name)| Expected {
            account: Box::leak(name.clone().into_boxed_str()),
            ..*v
        })
        .collect();
    imports_exactly(
        "andotp_encrypted_old.bin",
        Some("test"),
        "andotp-encrypted",
        &expected,
    );
}

#[test]
fn andotp_encrypted_backups_need_the_right_password() {
    for file in ["andotp_encrypted.bin", "andotp_encrypted_old.bin"] {
        let Some(bytes) = fixture(file) else {
            return;
        };
        assert!(matches!(
            read(&bytes, None),
            Err(BackupError::PasswordNeeded)
        ));
        assert!(
            matches!(read(&bytes, Some("tset")), Err(BackupError::WrongPassword)),
            "{file}"
        );
    }
}

#[test]
fn andotp_damaged_backups_fail_without_panicking() {
    for file in ["andotp_encrypted.bin", "andotp_encrypted_old.bin"] {
        let Some(bytes) = fixture(file) else {
            return;
        };
        for cut in [0, 3, 20, 27, 28, 40, 44, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                read(&bytes[..cut], Some("test")).is_err(),
                "{file} cut at {cut}"
            );
        }
        for at in [0, 5, 17, 30, bytes.len() / 2, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[at] ^= 0x40;
            let result = read(&changed, Some("test"));
            assert!(result.is_err(), "{file} flipped at {at}");
        }
    }
    let Some(plain) = fixture("andotp_plain.json") else {
        return;
    };
    for cut in (1..10).map(|tenth| plain.len() * tenth / 10) {
        assert!(read(&plain[..cut], None).is_err(), "cut at {cut}");
    }
}

#[test]
fn andotp_iteration_count_above_the_cap_is_refused_before_any_work() {
    let Some(bytes) = fixture("andotp_encrypted.bin") else {
        return;
    };
    let mut costly = bytes.clone();
    costly[..4].copy_from_slice(&5_000_000u32.to_be_bytes());
    let result = quick(Duration::from_secs(1), || read(&costly, Some("test")));
    assert!(
        matches!(result, Err(BackupError::CostTooHigh(_))),
        "{result:?}"
    );
    // Far beyond anything andOTP writes: only the old format is tried.
    costly[..4].copy_from_slice(&u32::MAX.to_be_bytes());
    let result = quick(Duration::from_secs(1), || read(&costly, Some("test")));
    assert!(
        matches!(result, Err(BackupError::WrongPassword)),
        "{result:?}"
    );
}

#[test]
fn andotp_entries_map_tags_labels_and_skip_motp() {
    let backup = json!([
        {"secret": "4SJHB4GSD43FZBAI7C2HLRJGPQ======", "issuer": "Deno", "label": "Mason",
         "digits": 6, "type": "TOTP", "algorithm": "SHA1", "period": 30, "tags": ["Work", "Home"]},
        {"secret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "issuer": "Boeing", "label": "Sophia",
         "digits": 5, "type": "STEAM", "algorithm": "SHA1", "period": 30, "tags": []},
        {"secret": "YOOMIXWS5GN6RTBPUFFWKTW5M4", "label": "Issuu - James",
         "digits": 6, "type": "HOTP", "algorithm": "SHA1", "counter": 1},
        {"secret": "KUVJJOM753IHTNDSZVCNKL7GII", "issuer": "", "label": "A - B",
         "digits": 7, "type": "HOTP", "algorithm": "SHA256", "counter": 50},
        {"secret": "e3152afee62599c8", "issuer": "Example", "label": "pin",
         "digits": 6, "type": "MOTP", "algorithm": "MD5", "period": 10, "pin": "1234"},
        {"secret": "5VAML3X35THCEBVRLV24CGBKOY", "issuer": "WWE", "label": "Mason",
         "digits": 8, "type": "TOTP", "algorithm": "SHA384", "period": 30}
    ]);
    let imported = read_json(&backup, None).unwrap();
    assert_eq!(imported.format, "andotp");
    let a_b = Expected {
        issuer: "",
        account: "A - B",
        ..AEGIS_VECTORS[4]
    };
    assert_entries(
        "andOTP list",
        &imported,
        &[AEGIS_VECTORS[0], AEGIS_VECTORS[6], AEGIS_VECTORS[3], a_b],
        2,
    );
    let accounts: Vec<&Account> = imported.accounts().collect();
    assert_eq!(accounts[0].group.as_deref(), Some("Work"));
    assert_eq!(accounts[1].group, None);
    let motp = &imported.entries[4];
    assert_eq!(
        (motp.issuer.as_str(), motp.account.as_str()),
        ("Example", "pin")
    );
    assert!(motp
        .outcome
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("mOTP"));
    let sha384 = imported.entries[5]
        .outcome
        .as_ref()
        .unwrap_err()
        .to_string();
    assert!(sha384.contains("SHA384"), "{sha384}");
}

#[test]
fn andotp_encrypted_detection_claims_only_binary_content() {
    for text in [
        &b"[1, 2, 3]"[..],
        b"just some text that is long enough to be checked",
    ] {
        assert!(matches!(
            read(text, Some("x")),
            Err(BackupError::UnknownFormat)
        ));
    }
    let mut sqlite = b"SQLite format 3\0".to_vec();
    sqlite.extend_from_slice(&[0xff; 100]);
    assert!(matches!(
        read(&sqlite, Some("x")),
        Err(BackupError::UnknownFormat)
    ));
    assert!(matches!(
        read(&[0xff; 20], Some("x")),
        Err(BackupError::UnknownFormat)
    ));
}

// ---- Aegis export ----

fn sample_accounts() -> Vec<Account> {
    let secret = |b32: &str| Secret::from_base32(b32).unwrap();
    let mut accounts = vec![
        Account::new(
            "Deno",
            "Mason",
            secret(AEGIS_VECTORS[0].secret),
            OtpParams::default(),
        )
        .unwrap(),
        Account::new(
            "Airbnb",
            "Elijah \"quoted\" / ünïcode",
            secret(AEGIS_VECTORS[2].secret),
            OtpParams {
                algorithm: Algorithm::Sha512,
                digits: 8,
                period: 50,
                ..OtpParams::default()
            },
        )
        .unwrap(),
        Account::new(
            "WWE",
            "Mason",
            secret(AEGIS_VECTORS[5].secret),
            OtpParams {
                kind: Kind::Hotp,
                algorithm: Algorithm::Sha256,
                digits: 7,
                counter: 10300,
                ..OtpParams::default()
            },
        )
        .unwrap(),
        Account::new(
            "Boeing",
            "Sophia",
            secret(AEGIS_VECTORS[6].secret),
            OtpParams::steam(),
        )
        .unwrap(),
        Account::new(
            "",
            "no issuer",
            secret("JBSWY3DPEHPK3PXP"),
            OtpParams::default(),
        )
        .unwrap(),
    ];
    accounts[0].group = Some("Work".into());
    accounts[1].group = Some("Home".into());
    accounts[2].group = Some("Work".into());
    accounts[1].favourite = true;
    accounts[3].notes = "line one\nline two".into();
    accounts
}

fn assert_same_accounts(what: &str, got: &[Account], want: &[Account]) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (got, want) in got.iter().zip(want) {
        let fields = |a: &Account| {
            (
                a.issuer.clone(),
                a.name.clone(),
                a.secret.to_base32().to_string(),
                a.params,
                a.group.clone(),
                a.favourite,
                a.notes.clone(),
            )
        };
        assert_eq!(fields(got), fields(want), "{what}");
    }
}

#[test]
fn aegis_plain_export_reads_back_the_same_accounts() {
    let accounts = sample_accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    let bytes = aegis::export_plain(&refs).unwrap();
    let file: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["header"], json!({"slots": null, "params": null}));
    assert_eq!(file["db"]["version"], 3);
    assert_eq!(file["db"]["groups"].as_array().unwrap().len(), 2);
    let entry = &file["db"]["entries"][2];
    assert_eq!(entry["type"], "hotp");
    assert_eq!(entry["uuid"], accounts[2].id.to_string());
    assert_eq!(entry["icon"], Value::Null);
    assert_eq!(entry["info"]["counter"], 10300);
    assert!(entry["info"].get("period").is_none());
    assert_eq!(file["db"]["entries"][3]["info"]["digits"], 5);

    let imported = read(&bytes, None).unwrap();
    assert_eq!(imported.format, "aegis");
    assert_same_accounts("plain export", &imported.into_accounts(), &accounts);
    let empty = aegis::export_plain(&[]).unwrap();
    assert!(read(&empty, None).unwrap().entries.is_empty());
}

#[test]
fn aegis_encrypted_export_reads_back_with_its_password_only() {
    let accounts = sample_accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    let bytes = aegis::export_encrypted(&refs, "correct horse ✓").unwrap();
    let file: Value = serde_json::from_slice(&bytes).unwrap();
    let slots = file["header"]["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 1);
    let slot = &slots[0];
    assert_eq!(
        (&slot["type"], &slot["n"], &slot["r"], &slot["p"]),
        (&json!(1), &json!(32768), &json!(8), &json!(1))
    );
    assert_eq!(slot["salt"].as_str().unwrap().len(), 64);
    assert_eq!(slot["key"].as_str().unwrap().len(), 64);
    assert!(file["db"].is_string());
    assert!(!String::from_utf8_lossy(&bytes).contains(AEGIS_VECTORS[0].secret));

    let imported = read(&bytes, Some("correct horse ✓")).unwrap();
    assert_same_accounts("encrypted export", &imported.into_accounts(), &accounts);
    assert!(matches!(
        read(&bytes, Some("correct horse")),
        Err(BackupError::WrongPassword)
    ));
    assert!(matches!(
        read(&bytes, None),
        Err(BackupError::PasswordNeeded)
    ));
    // Fresh salt, key and nonces each time.
    let again = aegis::export_encrypted(&refs, "correct horse ✓").unwrap();
    let again: Value = serde_json::from_slice(&again).unwrap();
    assert_ne!(again["header"]["slots"][0]["salt"], slot["salt"]);
    assert_ne!(again["db"], file["db"]);
    assert!(matches!(
        aegis::export_encrypted(&refs, ""),
        Err(BackupError::WeakPassword(_))
    ));
}

/// A Python with `cryptography`: a venv under the test's temp dir, seeded from the
/// system's packages when they have it, else with `pip install cryptography`.
fn python_with_cryptography() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("aegis-decrypt-venv");
    let python = venv.join("bin").join("python3");
    let has_cryptography = |python: &Path| {
        Command::new(python)
            .args(["-c", "import cryptography.hazmat.primitives.kdf.scrypt"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has_cryptography(&python) {
        return python;
    }
    let run = |what: &str, command: &mut Command| {
        let out = command.output().unwrap_or_else(|e| {
            panic!("cannot run {what}: {e} (install python3 and python3-venv)")
        });
        assert!(
            out.status.success(),
            "{what} failed: {}{}\nThis test needs python3 with venv and pip (PyPI) to install \
             `cryptography`.",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(
        "python3 -m venv",
        Command::new("python3")
            .args(["-m", "venv", "--clear", "--system-site-packages"])
            .arg(&venv),
    );
    if !has_cryptography(&python) {
        run(
            "pip install cryptography",
            Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "cryptography",
            ]),
        );
    }
    assert!(
        has_cryptography(&python),
        "`cryptography` does not import in {}",
        venv.display()
    );
    python
}

/// Runs the independent reader on `vault` with `password` on its stdin.
fn python_decrypt(python: &Path, vault: &[u8], password: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aegis-export.json");
    std::fs::write(&file, vault).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/aegis_decrypt.py");
    let mut child = Command::new(python)
        .arg(&script)
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn aegis_encrypted_export_opens_in_an_independent_reader() {
    let python = python_with_cryptography();
    let accounts = sample_accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    let bytes = aegis::export_encrypted(&refs, "pässword").unwrap();

    let out = python_decrypt(&python, &bytes, "pässword");
    assert!(
        out.status.success(),
        "the Python reader failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decrypted: Value = serde_json::from_slice(&out.stdout).expect("the reader prints JSON");
    assert_eq!(decrypted["version"], 3);
    let entries = decrypted["entries"].as_array().unwrap();
    assert_eq!(entries.len(), accounts.len());
    for (entry, account) in entries.iter().zip(&accounts) {
        let p = &account.params;
        let hotp = p.kind == Kind::Hotp;
        let want = json!({
            "type": p.kind.as_str(),
            "uuid": account.id.to_string(),
            "issuer": account.issuer,
            "name": account.name,
            "note": account.notes,
            "favorite": account.favourite,
            "icon": null,
            "secret": account.secret.to_base32().as_str(),
            "algo": p.algorithm.as_str(),
            "digits": p.digits,
            "period": if hotp { Value::Null } else { json!(p.period) },
            "counter": if hotp { json!(p.counter) } else { Value::Null },
            "groups": account.group.iter().collect::<Vec<_>>(),
        });
        assert_eq!(entry, &want);
    }
    let wrong = python_decrypt(&python, &bytes, "password");
    assert_eq!(
        wrong.status.code(),
        Some(2),
        "a wrong password opens no slot"
    );

    // And the reader agrees with the fixture Aegis wrote, so it is no echo of ours.
    if let Some(fixture) = fixture("aegis_encrypted.json") {
        let out = python_decrypt(&python, &fixture, "test");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let decrypted: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(decrypted["entries"].as_array().unwrap().len(), 7);
    }
}
