//! End-to-end tests of backups, import, export, recovery and "Show key" in the
//! real `jeton-app` (Xvfb, tauri-driver, WebKitWebDriver, a real Secret Service),
//! like `tests/e2e.rs`.
//!
//! Native dialogs cannot be driven through WebDriver: these tests use the debug
//! build's `JETON_TEST_DIALOG_PATHS` (src-tauri/src/dialogs.rs), which gives the
//! answers of the next dialogs in turn. Release builds do not contain it, so run
//! these against the debug binary (the default). Run:
//! `scripts/with-session --display --fresh-home -- <e2e_backup binary> --ignored --test-threads=1`.

mod support;

use std::path::{Path, PathBuf};

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::Account;
use serde_json::json;
use support::*;

const BACKUP_PASSWORD: &str = "correct horse battery";
const ONE_DAY: u64 = 86_400;

fn conformance(path: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance")
        .join(path);
    path.exists().then_some(path)
}

fn dialog_paths(paths: &[&Path]) -> String {
    std::env::join_paths(paths)
        .expect("paths")
        .into_string()
        .expect("UTF-8 paths")
}

/// Removes the toasts, which may cover a button at the bottom of the window.
fn clear_toasts(app: &App) {
    app.js(
        "document.getElementById('toasts').replaceChildren()",
        json!([]),
    );
}

fn open_settings(app: &App) {
    app.click("#settings-button");
    app.wait_for(
        "return !document.getElementById('view-settings').hidden && document.getElementById('backup-summary').textContent",
        "the Settings view",
    );
}

fn set_value(app: &App, css: &str, text: &str) {
    app.clear(css);
    app.type_into(css, text);
}

/// Each account's code at fixed moments, keyed by "issuer/name".
fn codes_of(accounts: &[&Account]) -> Vec<(String, Vec<String>)> {
    let mut codes: Vec<(String, Vec<String>)> = accounts
        .iter()
        .map(|a| {
            let times = [0, ONE_DAY, 1_900_000_000];
            let codes = times.iter().map(|t| a.code_at(*t).expect("code")).collect();
            (format!("{}/{}", a.issuer, a.name), codes)
        })
        .collect();
    codes.sort();
    codes
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; debug build (dialog override)"]
fn automatic_backups_follow_every_change_and_restore_a_lost_key() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut app = App::launch_with(
        data_dir_with(three_accounts()),
        EN,
        &[("JETON_TEST_DIALOG_PATHS", &dialog_paths(&[folder.path()]))],
    );
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    // Accounts and no backups: the calm reminder shows.
    app.wait_for(
        "return !document.getElementById('backup-reminder').hidden",
        "the backup reminder",
    );

    open_settings(&app);
    let off = app.js(
        "return document.getElementById('backup-summary').textContent",
        json!([]),
    );
    assert_eq!(off, "Automatic backups are off.");
    app.click("#backup-setup");
    app.click("#backup-choose");
    let shown = folder.path().display().to_string();
    app.wait_for(
        &format!("return document.getElementById('backup-folder').textContent === {shown:?}"),
        "the chosen folder",
    );
    app.type_into("#backup-form input[name=password]", BACKUP_PASSWORD);
    app.type_into(
        "#backup-form input[name=again]",
        &format!("{BACKUP_PASSWORD}\u{E007}"),
    );
    let summary = app.wait_for(
        "const s = document.getElementById('backup-summary').textContent; return s.startsWith('On:') && s",
        "backups on",
    );
    assert!(
        summary.as_str().unwrap_or_default().contains(&shown),
        "{summary}"
    );
    // The password fields were wiped, and the first backup is there.
    let fields = app.js(
        "return [...document.querySelectorAll('input[type=password]')].map(i => i.value).join('')",
        json!([]),
    );
    assert_eq!(fields, "");
    assert_eq!(backups_in(folder.path()).len(), 1);
    let last = app.wait_for(
        "return document.getElementById('backup-last').textContent",
        "the last backup",
    );
    assert!(
        last.as_str().unwrap_or_default().contains("4 accounts"),
        "{last}"
    );

    // Back home (Escape), no reminder any more; add an account: a new backup.
    app.type_into("#settings-back", "\u{E00C}");
    app.wait_for(
        "return !document.getElementById('view-codes').hidden",
        "the codes view",
    );
    assert_eq!(
        app.js(
            "return document.getElementById('backup-reminder').hidden",
            json!([])
        ),
        true
    );
    app.click("#add-button");
    app.type_into(
        "#link-input",
        "otpauth://totp/Intranet:marie?secret=NBSWY3DPO5XXE3DE&issuer=Intranet",
    );
    app.click("#link-form button[type=submit]");
    app.wait_for(
        "return !document.getElementById('view-enrol').hidden",
        "the helper",
    );
    wait_until("a second backup", || backups_in(folder.path()).len() == 2);
    // The set-up toast may still cover the button.
    app.js(
        "document.getElementById('toasts').replaceChildren()",
        json!([]),
    );
    app.click("#enrol-done");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 5",
        "5 rows",
    );

    // Rename: a third backup.
    app.type_into(".row:nth-child(2) .row-main", "\u{E032}");
    app.wait_for(
        "return document.querySelector('.rename-form')",
        "the rename form",
    );
    set_value(&app, ".rename-form input[name=issuer]", "GitHub Enterprise");
    app.type_into(".rename-form input[name=account]", "\u{E007}");
    app.wait_for(
        "return !document.querySelector('.rename-form')",
        "the rename",
    );
    wait_until("a third backup", || backups_in(folder.path()).len() == 3);
    assert_eq!(
        app.js(
            "return document.getElementById('backup-banner').hidden",
            json!([])
        ),
        true
    );

    // The keychain loses the vault's key.
    let vault = app.vault();
    let original = codes_of(&vault.all_accounts());
    assert_eq!(original.len(), 5);
    let vault_id = vault.id().expect("vault id").to_string();
    drop(vault);
    let data_dir = std::mem::replace(&mut app.data_dir, tempfile::tempdir().expect("temp dir"));
    drop(app);
    SystemKeychain.delete(&vault_id).expect("delete the key");
    assert!(SystemKeychain.load(&vault_id).expect("keychain").is_none());

    let newest = backups_in(folder.path()).pop().expect("a backup");
    let app = App::launch_with(
        data_dir,
        EN,
        &[("JETON_TEST_DIALOG_PATHS", &dialog_paths(&[&newest]))],
    );
    app.wait_for(
        "return !document.getElementById('error-banner').hidden && !document.getElementById('error-recover').hidden",
        "the error banner with its restore button",
    );
    app.click("#error-recover");
    app.wait_for(
        "return document.getElementById('password-dialog').open",
        "the password prompt",
    );
    app.type_into("#password-input", BACKUP_PASSWORD);
    app.click("#password-ok");
    app.wait_for_within(
        "return document.querySelectorAll('.row').length === 5",
        "the restored rows",
        std::time::Duration::from_secs(30),
    );
    let toast = app.wait_for(
        "return document.getElementById('toasts').innerText",
        "the restore toast",
    );
    let toast = toast.as_str().unwrap_or_default();
    assert!(toast.contains("5 accounts restored"), "{toast}");
    assert!(toast.contains("vault.jeton.unreadable-"), "{toast}");
    let restored = app.vault();
    assert_eq!(codes_of(&restored.all_accounts()), original);
    assert!(app
        .row_text("GitHub Enterprise")
        .contains("alice@example.com"));
    let aside = std::fs::read_dir(app.data_dir.path())
        .expect("data dir")
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("vault.jeton.unreadable-")
        });
    assert!(aside, "the unreadable vault was kept aside");
}

/// Opens the import flow; `password` is typed when the file asks for one.
fn import(app: &App, password: Option<&str>) {
    clear_toasts(app);
    app.click("#import-choose");
    if let Some(password) = password {
        app.wait_for(
            "return document.getElementById('password-dialog').open",
            "the password prompt",
        );
        app.type_into("#password-input", password);
        app.click("#password-ok");
    }
}

fn preview_statuses(app: &App) -> Vec<String> {
    app.wait_for_within(
        "return !document.getElementById('import-preview').hidden",
        "the preview",
        std::time::Duration::from_secs(30),
    );
    let statuses = app.js(
        "return [...document.querySelectorAll('#import-list li')].map(li => li.dataset.status)",
        json!([]),
    );
    serde_json::from_value(statuses).expect("statuses")
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; debug build (dialog override)"]
fn importing_real_exports_previews_them_and_adds_the_new_accounts() {
    let (Some(aegis), Some(twofas), Some(bitwarden)) = (
        conformance("importers/aegis_encrypted.json"),
        conformance("importers/2fas_authenticator_encrypted_v4.2fas"),
        conformance("importers-more/bitwarden_encrypted_pbkdf2.json"),
    ) else {
        eprintln!("../shared/conformance is absent: skipped");
        return;
    };
    // Encrypted Aegis files are read by the core from its aegis.rs merge on; at an
    // earlier core the test says so and goes on with the others.
    let aegis_bytes = std::fs::read(&aegis).expect("fixture");
    let aegis_readable = jeton_core::backup::read(&aegis_bytes, None, Some("test")).is_ok();
    let mut files = vec![(twofas.as_path(), "test"), (bitwarden.as_path(), "a")];
    if aegis_readable {
        files.insert(0, (aegis.as_path(), "test"));
    } else {
        eprintln!("NOTE: this core cannot read encrypted Aegis files yet: Aegis import skipped");
    }
    let mut answers: Vec<&Path> = files.iter().map(|(f, _)| *f).collect();
    answers.extend([files[0].0, files[0].0]);
    let answers = dialog_paths(&answers);
    let app = App::launch_with(
        data_dir_with(vec![totp("Seed", "one", GITHUB_SECRET)]),
        EN,
        &[("JETON_TEST_DIALOG_PATHS", &answers)],
    );
    app.wait_for(
        "return document.querySelectorAll('.row').length === 1",
        "1 row",
    );
    open_settings(&app);
    for &(file, password) in &files {
        let bytes = std::fs::read(file).expect("fixture");
        let imported = jeton_core::backup::read(&bytes, None, Some(password))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let before = app.vault().accounts().len();
        let duplicates = app.vault().duplicates_among(imported.accounts());
        let fresh = duplicates.iter().filter(|d| d.is_none()).count();
        let skipped = imported.entries.len() - duplicates.len();

        import(&app, Some(password));
        let statuses = preview_statuses(&app);
        assert_eq!(statuses.len(), imported.entries.len(), "{}", file.display());
        let count = |s: &str| statuses.iter().filter(|x| *x == s).count();
        assert_eq!(count("new"), fresh, "{}", file.display());
        assert_eq!(count("duplicate"), duplicates.len() - fresh);
        assert_eq!(count("skipped"), skipped);
        if fresh == 0 {
            // Another app's export of the same accounts: nothing new to add.
            clear_toasts(&app);
            app.click("#import-cancel");
            continue;
        }
        app.js(
            "document.getElementById('toasts').replaceChildren()",
            json!([]),
        );
        app.click("#import-confirm");
        let toast = app.wait_for(
            "return document.getElementById('import-preview').hidden && document.getElementById('toasts').innerText",
            "the import toast",
        );
        assert!(
            toast
                .as_str()
                .unwrap_or_default()
                .starts_with(&format!("{fresh} account")),
            "{toast}"
        );
        assert_eq!(app.vault().accounts().len(), before + fresh);
    }

    // The first file again: everything is already in Jeton.
    import(&app, Some(files[0].1));
    let statuses = preview_statuses(&app);
    assert!(statuses.iter().all(|s| s != "new"), "{statuses:?}");
    assert!(statuses.iter().any(|s| s == "duplicate"));
    let button = app.js(
        "const b = document.getElementById('import-confirm'); return [b.disabled, b.textContent]",
        json!([]),
    );
    assert_eq!(button, json!([true, "Nothing new to add"]));
    clear_toasts(&app);
    app.click("#import-cancel");

    // A wrong password: the translated error, and the vault is byte for byte the same.
    let vault_file = app.data_dir.path().join("vault.jeton");
    let before = std::fs::read(&vault_file).expect("vault");
    import(&app, Some("not the password"));
    let error = app.wait_for(
        "const e = document.getElementById('password-error'); return !e.hidden && e.textContent",
        "the wrong-password error",
    );
    assert_eq!(
        error,
        "Wrong password: the file could not be opened with it. Nothing was changed."
    );
    app.click("#password-cancel");
    assert_eq!(std::fs::read(&vault_file).expect("vault"), before);
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; debug build (dialog override)"]
fn exports_are_written_where_chosen_and_read_back() {
    let out = tempfile::tempdir().expect("temp dir");
    let jeton_file = out.path().join("mine.jetonbackup");
    let aegis_file = out.path().join("aegis.json");
    let app = App::launch_with(
        data_dir_with(three_accounts()),
        EN,
        &[(
            "JETON_TEST_DIALOG_PATHS",
            &dialog_paths(&[&jeton_file, &aegis_file]),
        )],
    );
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    // One account in the trash: a Jeton backup carries it too.
    app.type_into(".row:nth-child(3) .row-main", "\u{E017}");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 3",
        "3 rows",
    );
    open_settings(&app);

    // Encrypted Aegis exports come with the core's aegis.rs merge; an earlier core
    // refuses them, and the test says so.
    let aegis_writable = jeton_core::backup::export::export(
        jeton_core::backup::export::ExportFormat::Aegis,
        &[],
        Some(BACKUP_PASSWORD),
    )
    .is_ok();
    for (format, file, expected) in [("jeton", &jeton_file, 4), ("aegis", &aegis_file, 3)] {
        if format == "aegis" && !aegis_writable {
            eprintln!("NOTE: this core cannot write encrypted Aegis files yet: skipped");
            continue;
        }
        app.click(&format!("#export-form input[value={format}]"));
        // Two different passwords are refused before any dialog.
        app.type_into("#export-form input[name=password]", BACKUP_PASSWORD);
        // Enter in the last field submits (as a WebDriver click on the button at the
        // bottom of the scrolled view did not, under Xvfb).
        app.type_into("#export-form input[name=again]", "something else\u{E007}");
        let error = app.wait_for(
            "const e = document.getElementById('export-error'); return !e.hidden && e.textContent",
            "the mismatch error",
        );
        assert_eq!(error, "The two passwords differ.");
        app.js(
            "document.getElementById('toasts').replaceChildren()",
            json!([]),
        );
        app.type_into("#export-form input[name=password]", BACKUP_PASSWORD);
        app.type_into(
            "#export-form input[name=again]",
            &format!("{BACKUP_PASSWORD}\u{E007}"),
        );
        let said = app.wait_for_within(
            "const e = document.getElementById('export-error'); return (!e.hidden && e.textContent !== 'The two passwords differ.' && e.textContent) || document.getElementById('toasts').innerText",
            "the export's outcome",
            std::time::Duration::from_secs(30),
        );
        assert!(file.exists(), "no {format} export; the page says {said}");
        assert!(
            said.as_str().unwrap_or_default().contains("exported"),
            "{said}"
        );
        let bytes = std::fs::read(file).expect("export");
        let imported = match jeton_core::backup::read(&bytes, None, Some(BACKUP_PASSWORD)) {
            Err(jeton_core::backup::BackupError::UnknownFormat) if format == "aegis" => {
                eprintln!("NOTE: this core cannot read encrypted Aegis files yet: not read back");
                continue;
            }
            other => other.expect("read back"),
        };
        assert_eq!(imported.entries.len(), expected, "{format}");
        assert_eq!(
            imported.format,
            if format == "jeton" { "jeton" } else { "aegis" }
        );
        let original = app.vault();
        let accounts = if format == "jeton" {
            original.all_accounts()
        } else {
            original.accounts()
        };
        let read_back: Vec<Account> = imported.into_accounts();
        assert_eq!(
            codes_of(&read_back.iter().collect::<Vec<_>>()),
            codes_of(&accounts)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{format}");
        }
    }

    // Plain formats say the keys are unprotected; no password is asked.
    app.click("#export-form input[value=otpauth]");
    let plain = app.js(
        "return [document.getElementById('export-plain-warning').hidden, document.getElementById('export-passwords').hidden, document.getElementById('export-plain-text').textContent]",
        json!([]),
    );
    assert_eq!(plain[0], false);
    assert_eq!(plain[1], true);
    assert!(plain[2]
        .as_str()
        .unwrap_or_default()
        .contains("unprotected"));

    // "Move to a phone": the transfer code is drawn, "1 of 1", and hidden on leaving.
    app.click("#export-form input[value=google]");
    app.type_into("#export-form input[value=google]", "\u{E007}");
    let count = app.wait_for(
        "return !document.getElementById('transfer-show').hidden && document.getElementById('transfer-count').textContent",
        "the transfer codes",
    );
    assert_eq!(count, "1 of 1");
    app.click("#settings-back");
    app.wait_for(
        "return document.getElementById('transfer-show').hidden && document.getElementById('transfer-canvas').width === 264",
        "the transfer codes hidden",
    );
}

/// Wraps the page's IPC so every reply is recorded in `window.__ipcLog`.
const RECORD_IPC: &str = r#"
    // window.__TAURI__.core and __TAURI_INTERNALS__ are frozen, but Tauri's IPC
    // (custom protocol) calls the global fetch at every invoke: every reply of
    // every command passes through here, before the page gets it.
    window.__ipcLog = [];
    const original = window.fetch;
    window.fetch = function (resource, init) {
      const url = String(resource instanceof Request ? resource.url : resource);
      const promise = original.call(this, resource, init);
      if (!url.startsWith("ipc:") && !url.startsWith("http://ipc.localhost")) return promise;
      const cmd = decodeURIComponent(url.split("/").pop());
      return promise.then((response) => {
        response.clone().text().then((reply) => window.__ipcLog.push({ cmd, reply }));
        return response;
      });
    };
    return window.fetch !== original;
"#;

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
    }
    out
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; debug build (dialog override)"]
fn a_secret_reaches_the_page_only_in_the_reveal_reply() {
    const SECRET: &str = "KZXW6IDTMVRXEZLUEBXW4ZJAONUG65ZB";
    let out = tempfile::tempdir().expect("temp dir");
    let export = out.path().join("export.jetonbackup");
    let app = App::launch_with(
        data_dir_with(three_accounts()),
        EN,
        &[("JETON_TEST_DIALOG_PATHS", &dialog_paths(&[&export]))],
    );
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    assert_eq!(
        app.js(RECORD_IPC, json!([])),
        true,
        "IPC recorder installed"
    );

    // Add, list, rename, export, then reveal.
    app.click("#add-button");
    app.type_into(
        "#link-input",
        &format!("otpauth://totp/Vault:me?secret={SECRET}&issuer=Vault"),
    );
    app.click("#link-form button[type=submit]");
    app.wait_for(
        "return !document.getElementById('view-enrol').hidden",
        "the helper",
    );
    app.click("#enrol-done");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 5",
        "5 rows",
    );
    app.type_into(".row:nth-child(5) .row-main", "\u{E032}");
    app.wait_for(
        "return document.querySelector('.rename-form')",
        "the rename form",
    );
    set_value(&app, ".rename-form input[name=issuer]", "Vault Co");
    app.type_into(".rename-form input[name=account]", "\u{E007}");
    app.wait_for(
        "return !document.querySelector('.rename-form')",
        "the rename",
    );
    open_settings(&app);
    app.type_into("#export-form input[name=password]", BACKUP_PASSWORD);
    app.js(
        "document.getElementById('toasts').replaceChildren()",
        json!([]),
    );
    app.type_into(
        "#export-form input[name=again]",
        &format!("{BACKUP_PASSWORD}\u{E007}"),
    );
    let said = app.wait_for_within(
        "return document.getElementById('export-error').textContent || document.getElementById('toasts').innerText",
        "the export's outcome",
        std::time::Duration::from_secs(30),
    );
    assert!(export.exists(), "no export file; the page says {said}");
    app.click("#settings-back");
    app.wait_for(
        "return !document.getElementById('view-codes').hidden && document.querySelectorAll('.row').length === 5",
        "the codes view",
    );

    // Show key: confirm first, then the grouped key.
    app.type_into(".row:nth-child(5) .row-main", "k");
    app.wait_for(
        "return document.getElementById('reveal-dialog').open && !document.getElementById('reveal-ask').hidden",
        "the confirmation",
    );
    app.click("#reveal-show-key");
    let shown = app.wait_for(
        "return document.getElementById('reveal-key').textContent",
        "the key",
    );
    assert_eq!(shown, "KZXW 6IDT MVRX EZLU EBXW 4ZJA ONUG 65ZB");
    app.click("#reveal-hide");
    app.wait_for(
        "return !document.getElementById('reveal-dialog').open",
        "the dialog to close",
    );

    let bytes = jeton_core::Secret::from_base32(SECRET)
        .expect("secret")
        .as_bytes()
        .to_vec();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let forms = [
        SECRET.to_string(),
        "KZXW 6IDT".to_string(),
        hex.clone(),
        hex.to_uppercase(),
        base64(&bytes).trim_end_matches('=').to_string(),
    ];
    let log = app.js("return window.__ipcLog", json!([]));
    let log = log.as_array().expect("IPC log");
    let commands: Vec<&str> = log.iter().filter_map(|e| e["cmd"].as_str()).collect();
    for expected in [
        "list_codes",
        "add_link",
        "rename_account",
        "export_file",
        "backup_status",
        "reveal_account",
    ] {
        assert!(
            commands.contains(&expected),
            "{expected} not recorded: {commands:?}"
        );
    }
    for entry in log {
        let reply = entry["reply"].as_str().unwrap_or_default();
        let holds = forms.iter().any(|f| reply.contains(f.as_str()));
        if entry["cmd"] == "reveal_account" {
            assert!(
                reply.contains("KZXW 6IDT"),
                "the reveal reply holds the key"
            );
        } else {
            assert!(!holds, "{} replied with the secret: {reply}", entry["cmd"]);
        }
    }
    let page = app.js(
        "return document.documentElement.outerHTML + [...document.querySelectorAll('input')].map(i => i.value).join('|') + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)",
        json!([]),
    );
    let page = page.as_str().unwrap_or_default();
    for form in &forms {
        assert!(!page.contains(form.as_str()), "the page still holds {form}");
    }
    // The reveal dialog's canvas was wiped too (all pixels transparent).
    let blank = app.js(
        "const c = document.getElementById('reveal-canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; return d.every(v => v === 0)",
        json!([]),
    );
    assert_eq!(blank, true);
}
