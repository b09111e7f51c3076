//! Jeton's own backup format and the vault's side of backups: round trips with
//! every field, tampering with each header field, a newer version, passwords,
//! costs a hostile file may ask for, exports, and the duplicate rule of `add_new`.
//! Pure tests need no keychain; the vault ones run in `scripts/with-session`.

mod support;

use jeton_core::backup::export::{self, ExportFormat};
use jeton_core::backup::jeton::{self, KdfParams, HEADER_LEN};
use jeton_core::backup::{self, BackupError};
use jeton_core::{uri, Account};

const PASSWORD: &str = "correct horse battery staple";

/// A cheap KDF for tests that are about the format, not the cost.
fn quick_kdf() -> KdfParams {
    KdfParams {
        memory_kib: 64,
        passes: 1,
        lanes: 1,
        salt: [7; 16],
    }
}

fn accounts() -> Vec<Account> {
    let mut list: Vec<Account> = [
        "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=CCOMTL",
        "otpauth://hotp/H%C3%B4pital:%C3%A9l%C3%A8ve?secret=GEZDGNBVGY3TQOJQ&counter=42&algorithm=SHA512&digits=8",
        "otpauth://steam/Steam:gamer?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
        "otpauth://totp/OneGov:jean?secret=MFRGGZDFMZTWQ2LKNNWG23TPOA&algorithm=SHA256&digits=8&period=60",
    ]
    .iter()
    .map(|l| uri::parse(l).unwrap())
    .collect();
    list[0].group = Some("Travail".into());
    list[0].favourite = true;
    list[1].notes = "clé de secours".into();
    list[3].deleted_at = Some(1_700_000_000);
    for (i, a) in list.iter_mut().enumerate() {
        a.position = i as u32;
    }
    list
}

fn write(accounts: &[Account], kdf: &KdfParams) -> Vec<u8> {
    let key = kdf.derive(PASSWORD).unwrap();
    jeton::write(&accounts.iter().collect::<Vec<_>>(), kdf, &key).unwrap()
}

#[test]
fn a_backup_round_trips_every_field_of_every_account_trash_included() {
    let original = accounts();
    let bytes = write(&original, &quick_kdf());
    let imported = backup::read(&bytes, None, Some(PASSWORD)).unwrap();
    assert_eq!(imported.format, "jeton");
    let back = imported.into_accounts();
    assert_eq!(back.len(), original.len());
    for (a, b) in original.iter().zip(&back) {
        assert_eq!(a.id, b.id);
        assert_eq!((&a.issuer, &a.name), (&b.issuer, &b.name));
        assert!(a.secret.ct_eq(&b.secret), "{}", a.label());
        assert_eq!(a.params, b.params);
        assert_eq!(
            (
                a.created,
                a.position,
                &a.group,
                a.favourite,
                &a.notes,
                a.deleted_at
            ),
            (
                b.created,
                b.position,
                &b.group,
                b.favourite,
                &b.notes,
                b.deleted_at
            )
        );
        assert_eq!(
            a.code_at(1_800_000_000).unwrap(),
            b.code_at(1_800_000_000).unwrap()
        );
    }
}

#[test]
fn the_default_cost_is_argon2id_64_mib_3_passes() {
    let kdf = KdfParams::new_random().unwrap();
    assert!(kdf.memory_kib >= 64 * 1024 && kdf.passes >= 3, "{kdf:?}");
    assert_ne!(kdf.salt, KdfParams::new_random().unwrap().salt);
    let bytes = jeton::write_with_password(&[], PASSWORD).unwrap();
    let header = jeton::read_header(&bytes).unwrap();
    assert_eq!((header.memory_kib, header.passes), (65536, 3));
}

#[test]
fn wrong_or_missing_password_and_short_new_passwords_are_refused() {
    let bytes = write(&accounts(), &quick_kdf());
    assert!(matches!(
        backup::read(&bytes, None, Some("not the password")),
        Err(BackupError::WrongPassword)
    ));
    assert!(matches!(
        backup::read(&bytes, None, None),
        Err(BackupError::PasswordNeeded)
    ));
    assert!(matches!(
        jeton::write_with_password(&[], "short"),
        Err(BackupError::WeakPassword(_))
    ));
}

#[test]
fn every_header_byte_is_authenticated() {
    let bytes = write(&accounts(), &quick_kdf());
    for at in 8..HEADER_LEN {
        let mut tampered = bytes.clone();
        tampered[at] ^= 0x01;
        let result = backup::read(&tampered, Some("jeton"), Some(PASSWORD));
        assert!(result.is_err(), "a flipped header byte {at} still opens");
    }
    // The last ciphertext byte (the tag) and a truncation too.
    let mut tag = bytes.clone();
    *tag.last_mut().unwrap() ^= 0x80;
    assert!(matches!(
        backup::read(&tag, None, Some(PASSWORD)),
        Err(BackupError::WrongPassword)
    ));
    for len in [0, 7, 8, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + 15] {
        assert!(backup::read(&bytes[..len], Some("jeton"), Some(PASSWORD)).is_err());
    }
}

#[test]
fn a_newer_version_says_so() {
    let mut bytes = write(&accounts(), &quick_kdf());
    bytes[8] = 2;
    assert!(matches!(
        backup::read(&bytes, None, Some(PASSWORD)),
        Err(BackupError::TooNew(2))
    ));
    bytes[8] = 0;
    assert!(matches!(
        backup::read(&bytes, None, Some(PASSWORD)),
        Err(BackupError::Damaged(_))
    ));
}

#[test]
fn a_hostile_cost_is_refused_before_any_work() {
    let mut bytes = write(&accounts(), &quick_kdf());
    // 4 GiB of memory.
    bytes[12..16].copy_from_slice(&(4u32 * 1024 * 1024).to_le_bytes());
    let started = std::time::Instant::now();
    assert!(matches!(
        backup::read(&bytes, None, Some(PASSWORD)),
        Err(BackupError::CostTooHigh(_))
    ));
    // u32::MAX passes.
    let mut bytes = write(&accounts(), &quick_kdf());
    bytes[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        backup::read(&bytes, None, Some(PASSWORD)),
        Err(BackupError::CostTooHigh(_))
    ));
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn two_backups_of_the_same_accounts_use_different_nonces() {
    let list = accounts();
    let (a, b) = (write(&list, &quick_kdf()), write(&list, &quick_kdf()));
    assert_ne!(a[42..HEADER_LEN], b[42..HEADER_LEN]);
    assert_ne!(a[HEADER_LEN..], b[HEADER_LEN..]);
}

#[test]
fn the_secret_is_nowhere_in_the_file() {
    let bytes = write(&accounts(), &quick_kdf());
    for account in accounts() {
        let base32 = account.secret.to_base32();
        assert!(!bytes.windows(base32.len()).any(|w| w == base32.as_bytes()));
        assert!(!bytes
            .windows(account.secret.as_bytes().len())
            .any(|w| w == account.secret.as_bytes()));
    }
}

#[test]
fn otpauth_export_reads_back_to_the_same_accounts() {
    let list = accounts();
    let refs: Vec<&Account> = list.iter().collect();
    let exported = export::export(ExportFormat::Otpauth, &refs, None).unwrap();
    let imported = backup::read(&exported.parts[0], None, None).unwrap();
    assert_eq!(imported.format, "otpauth");
    let back = imported.into_accounts();
    assert_eq!(back.len(), list.len());
    for (a, b) in list.iter().zip(&back) {
        assert_eq!(
            (&a.issuer, &a.name, a.params),
            (&b.issuer, &b.name, b.params)
        );
        assert!(a.secret.ct_eq(&b.secret));
    }
    assert!(ExportFormat::Otpauth.is_plain() && !ExportFormat::Jeton.is_plain());
    assert!(matches!(
        export::export(ExportFormat::Jeton, &refs, None),
        Err(BackupError::PasswordNeeded)
    ));
}

#[test]
fn google_export_reads_back_through_the_transfer_reader_in_batches() {
    let many: Vec<Account> = (0..23)
        .map(|i| {
            let secret =
                data_encoding::BASE32_NOPAD.encode(format!("secret number {i:04}").as_bytes());
            uri::parse(&format!("otpauth://totp/Bank{i}:me?secret={secret}")).unwrap()
        })
        .collect();
    let mut refs: Vec<&Account> = many.iter().collect();
    let odd = accounts();
    refs.push(&odd[3]); // 60-second period: cannot travel.
    let exported = export::export(ExportFormat::Google, &refs, None).unwrap();
    assert_eq!(exported.parts.len(), 3, "10 accounts per QR code");
    assert_eq!(exported.left_out.len(), 1);
    let text: String = exported
        .parts
        .iter()
        .map(|p| format!("{}\n", std::str::from_utf8(p).unwrap()))
        .collect();
    let back = backup::read(text.as_bytes(), None, None)
        .unwrap()
        .into_accounts();
    assert_eq!(back.len(), 23);
    for (a, b) in many.iter().zip(&back) {
        assert!(a.secret.ct_eq(&b.secret));
        assert_eq!((&a.issuer, &a.name), (&b.issuer, &b.name));
    }
}

#[test]
fn unknown_and_oversized_files_are_refused() {
    assert!(matches!(
        backup::read(b"hello, world", None, None),
        Err(BackupError::UnknownFormat)
    ));
    assert!(matches!(
        backup::read(b"{}", Some("no-such-format"), None),
        Err(BackupError::UnknownFormatName(_))
    ));
    let huge = vec![b' '; (backup::limits::MAX_IMPORT_BYTES + 1) as usize];
    assert!(matches!(
        backup::read(&huge, None, None),
        Err(BackupError::TooLarge { .. })
    ));
    // A list naming more entries than allowed.
    let line = "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ\n";
    let many = line.repeat(backup::limits::MAX_ENTRIES + 1);
    assert!(matches!(
        backup::read(many.as_bytes(), None, None),
        Err(BackupError::TooManyEntries { .. })
    ));
}

#[test]
fn a_link_list_reports_lines_it_cannot_read_and_imports_the_rest() {
    let text = "My accounts\n\
        otpauth://totp/Good:me?secret=GEZDGNBVGY3TQOJQ\n\
        motp://Old:me?secret=ABCDEF\n\
        otpauth://totp/Bad:me?secret=1234\n\
        otpauth://yaotp/Yandex:me?secret=GEZDGNBVGY3TQOJQ\n";
    let imported = backup::read(text.as_bytes(), None, None).unwrap();
    let summary: Vec<(String, bool)> = imported
        .entries
        .iter()
        .map(|e| (e.issuer.clone(), e.outcome.is_ok()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Good".to_string(), true),
            ("Old".to_string(), false),
            ("Bad".to_string(), false),
            ("Yandex".to_string(), false)
        ]
    );
}

#[test]
fn add_new_skips_duplicates_and_keeps_the_trash_and_the_extras_of_a_backup() {
    let temp = support::TempVault::new();
    let mut vault = temp.open();
    let list = accounts();
    vault.add(list[0].clone()).unwrap();
    let report = vault.add_new(list.clone()).unwrap();
    assert_eq!(report.added.len(), 3);
    assert_eq!(report.duplicates.len(), 1);
    assert_eq!(report.duplicates[0].0.issuer, "CCOMTL");
    assert_eq!(vault.accounts().len(), 3);
    let trash = vault.trash();
    assert_eq!(
        trash.len(),
        1,
        "the trashed account of the backup is in the trash"
    );
    assert_eq!(trash[0].issuer, "OneGov");
    let hopital = vault
        .accounts()
        .into_iter()
        .find(|a| a.issuer == "Hôpital")
        .unwrap();
    assert_eq!(hopital.notes, "clé de secours");
    // The same file again adds nothing.
    let again = vault.add_new(list).unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.duplicates.len(), 4);
}

#[test]
fn each_write_keeps_the_previous_vault_beside_it() {
    let temp = support::TempVault::new();
    let mut vault = temp.open();
    let list = accounts();
    vault.add(list[0].clone()).unwrap();
    let first = std::fs::read(vault.path()).unwrap();
    vault.add(list[1].clone()).unwrap();
    let previous = temp.dir.path().join(jeton_core::vault::PREVIOUS_FILE);
    assert_eq!(std::fs::read(&previous).unwrap(), first);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(temp.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn settings_keep_what_a_newer_jeton_wrote() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("settings.json"),
        r#"{"clipboard_seconds": 45, "theme": {"name": "dark"}}"#,
    )
    .unwrap();
    let settings = jeton_core::settings::Settings::load(dir.path()).unwrap();
    settings.save(dir.path()).unwrap();
    let back: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(back["clipboard_seconds"], 45);
    assert_eq!(back["theme"]["name"], "dark");
    std::fs::write(dir.path().join("settings.json"), "{not json").unwrap();
    assert!(jeton_core::settings::Settings::load(dir.path()).is_err());
}

#[test]
fn an_account_cannot_be_serialised_to_json_by_accident() {
    let account = accounts().remove(0);
    let json = serde_json::to_string(&account);
    assert!(json.is_err(), "the secret went to JSON: {json:?}");
    // The summary and the code view, which the app and the CLI print, can.
    assert!(serde_json::to_string(&account.summary()).is_ok());
    assert!(serde_json::to_string(&account.code_view(1_800_000_000).unwrap()).is_ok());
}

#[test]
fn names_are_cleaned_of_controls_and_direction_overrides_and_bounded() {
    // "\u{202E}" would show "moc.knab" as "bank.com"; a newline would break the row.
    let link = "otpauth://totp/%E2%80%AEmoc.knab:alice%0Abob?secret=GEZDGNBVGY3TQOJQ";
    let account = uri::parse(link).unwrap();
    assert_eq!(
        (account.issuer.as_str(), account.name.as_str()),
        ("moc.knab", "alice bob")
    );
    let long = format!(
        "otpauth://totp/Bank:{}?secret=GEZDGNBVGY3TQOJQ",
        "a".repeat(jeton_core::account::MAX_NAME_CHARS + 1)
    );
    let err = uri::parse(&long).unwrap_err();
    assert_eq!(err.code(), "account.name_too_long", "{err}");
    // In an import, such an entry is skipped with that reason; the rest imports.
    let text = format!("{long}\notpauth://totp/Good:me?secret=GEZDGNBVGY3TQOJQ\n");
    let imported = backup::read(text.as_bytes(), None, None).unwrap();
    assert_eq!(imported.accounts().count(), 1);
    assert_eq!(imported.entries.len(), 2);
}
