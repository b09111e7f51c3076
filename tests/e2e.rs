//! End-to-end tests of the real `jeton-app`: the built binary under Xvfb, driven
//! through `tauri-driver` and WebKitWebDriver, against a vault whose key is in a
//! real Secret Service. They check what a user sees and what ends up in the vault.
//!
//! They need a display, `tauri-driver` in PATH and an unlocked Secret Service, so
//! each is `#[ignore]`d; `scripts/e2e-run` (and CI) set that up and run:
//! `cargo test --test e2e -- --ignored --test-threads=1`.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::*;

// ---------------------------------------------------------------------------
// The tests.

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn a_prepared_vault_opens_with_every_issuer_and_the_core_code() {
    let app = App::launch(data_dir_with(three_accounts()), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    let vault = app.vault();
    for issuer in ["CCOMTL", "GitHub", "OneGov GED", "Bank"] {
        retry_across_boundary(|| {
            let text = app.row_text(issuer);
            let expected = grouped(&code_now(&vault, issuer));
            if text.contains(issuer) && text.contains(&expected) {
                Ok(())
            } else {
                Err(format!(
                    "row of {issuer} shows {text:?}, expected code {expected}"
                ))
            }
        });
    }
    // The account name is shown next to the issuer.
    assert!(app.row_text("GitHub").contains("alice@example.com"));
    // HOTP: "next code" advances the counter in the vault.
    let before = code_now(&vault, "Bank");
    app.js(
        "document.querySelector('.row:last-child .hotp-next').click()",
        json!([]),
    );
    app.wait_for(
        &format!(
            "return !document.querySelector('.row:last-child .code').textContent.includes({:?})",
            grouped(&before)
        ),
        "the next HOTP code",
    );
    let after = code_now(&app.vault(), "Bank");
    assert_ne!(before, after);
    assert!(app.row_text("Bank").contains(&grouped(&after)));
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn adding_by_link_shows_the_enrolment_helper_then_the_list() {
    let app = App::launch(data_dir_with(vec![]), EN);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    let empty = app.js(
        "return document.getElementById('empty').innerText",
        json!([]),
    );
    assert!(empty
        .as_str()
        .unwrap_or_default()
        .contains("Add your first account"));

    app.click("#empty-add");
    app.wait_for(
        "return !document.getElementById('view-add').hidden",
        "the Add view",
    );
    app.type_into("#link-input", KEYCLOAK_LINK);
    app.click("#link-form button[type=submit]");
    app.wait_for(
        "return !document.getElementById('view-enrol').hidden && document.getElementById('enrol-code').textContent.trim()",
        "the enrolment helper",
    );
    let helper = app.js(
        "return document.getElementById('view-enrol').innerText",
        json!([]),
    );
    let helper = helper.as_str().unwrap_or_default();
    assert!(helper.contains("Type this code now"), "{helper}");
    assert!(helper.contains("CCOMTL (WXYZ2620)"), "{helper}");
    assert!(helper.contains("Jeton – "), "device name missing: {helper}");
    assert_enrol_code(&app, "CCOMTL");

    app.click("#enrol-done");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 1",
        "the new row",
    );
    assert!(app.row_text("CCOMTL").contains("WXYZ2620"));
    assert_eq!(app.vault().accounts().len(), 1);

    // The same link again is refused as a duplicate, with a readable message.
    app.click("#add-button");
    app.type_into("#link-input", KEYCLOAK_LINK);
    app.click("#link-form button[type=submit]");
    let error = app.wait_for(
        "return document.getElementById('add-error').innerText",
        "the error",
    );
    assert_eq!(error, "This account is already in Jeton.");
    assert_eq!(app.vault().accounts().len(), 1);
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn clicking_a_row_copies_its_code() {
    let app = App::launch(data_dir_with(three_accounts()), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    let mut clipboard = arboard::Clipboard::new().expect("X11 clipboard");
    retry_across_boundary(|| {
        app.click(".row:nth-child(2) .row-main");
        app.wait_for(
            "return document.getElementById('toasts').innerText",
            "the copy toast",
        );
        let copied = clipboard.get_text().map_err(|e| e.to_string())?;
        let expected = code_now(&app.vault(), "GitHub");
        (copied == expected)
            .then_some(())
            .ok_or_else(|| format!("clipboard holds {copied:?}, core says {expected}"))
    });
    let toast = app.js(
        "return document.getElementById('toasts').innerText",
        json!([]),
    );
    assert!(toast.as_str().unwrap_or_default().contains("GitHub"));
    // Enter on the focused row copies too.
    app.type_into(".row:nth-child(1) .row-main", "\u{E007}");
    retry_across_boundary(|| {
        let copied = clipboard.get_text().map_err(|e| e.to_string())?;
        let expected = code_now(&app.vault(), "CCOMTL");
        (copied == expected)
            .then_some(())
            .ok_or_else(|| format!("clipboard holds {copied:?}, core says {expected}"))
    });
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn f2_renames_in_place() {
    let app = App::launch(data_dir_with(three_accounts()), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    app.type_into(".row:nth-child(2) .row-main", "\u{E032}"); // F2
    app.wait_for(
        "return document.querySelector('.rename-form')",
        "the rename form",
    );
    app.clear(".rename-form input[name=issuer]");
    app.type_into(".rename-form input[name=issuer]", "GitHub Enterprise");
    app.clear(".rename-form input[name=account]");
    app.type_into(".rename-form input[name=account]", "alice\u{E007}");
    app.wait_for(
        "return !document.querySelector('.rename-form') && [...document.querySelectorAll('.issuer')].some(e => e.textContent === 'GitHub Enterprise')",
        "the renamed row",
    );
    assert!(app.row_text("GitHub Enterprise").contains("alice"));
    let vault = app.vault();
    let renamed = vault.accounts()[1];
    assert_eq!(
        (renamed.issuer.as_str(), renamed.name.as_str()),
        ("GitHub Enterprise", "alice")
    );
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn delete_moves_to_trash_and_undo_brings_it_back() {
    let app = App::launch(data_dir_with(three_accounts()), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    app.type_into(".row:nth-child(3) .row-main", "\u{E017}"); // Delete
    app.wait_for(
        "return document.querySelectorAll('.row').length === 3",
        "the row to go",
    );
    assert_eq!(app.row_text("OneGov GED"), "");
    assert_eq!(app.vault().trash().len(), 1);
    let toast = app.wait_for(
        "return document.getElementById('toasts').innerText",
        "the Undo toast",
    );
    assert!(
        toast
            .as_str()
            .unwrap_or_default()
            .contains("moved to the trash"),
        "{toast}"
    );

    app.click(".toast-action");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "the row to return",
    );
    assert!(app.row_text("OneGov GED").contains("marie.tremblay"));
    let vault = app.vault();
    assert_eq!(vault.trash().len(), 0);
    assert_eq!(vault.accounts().len(), 4);
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn trash_restores_and_deletes_for_good_after_confirmation() {
    let dir = data_dir_with(three_accounts());
    {
        let mut vault = open_vault(dir.path());
        let ids: Vec<_> = vault.accounts().iter().map(|a| a.id).collect();
        vault.delete(ids[0]).expect("delete CCOMTL");
        vault.delete(ids[1]).expect("delete GitHub");
    }
    let app = App::launch(dir, EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 2",
        "2 rows",
    );
    app.click("#trash-button");
    app.wait_for(
        "return document.querySelectorAll('.trash-row').length === 2",
        "2 trashed",
    );

    let vault = app.vault();
    let ccomtl = vault
        .trash()
        .into_iter()
        .find(|a| a.issuer == "CCOMTL")
        .map(|a| a.id);
    let github = vault
        .trash()
        .into_iter()
        .find(|a| a.issuer == "GitHub")
        .map(|a| a.id);
    let (ccomtl, github) = (
        ccomtl.expect("CCOMTL trashed"),
        github.expect("GitHub trashed"),
    );

    app.click(&format!(".trash-row[data-id='{ccomtl}'] .restore"));
    app.wait_for(
        "return document.querySelectorAll('.trash-row').length === 1",
        "1 trashed",
    );

    // Delete forever asks first; Cancel keeps it.
    app.click(&format!(".trash-row[data-id='{github}'] .purge"));
    app.wait_for(
        "return document.getElementById('confirm-dialog').open",
        "the confirmation",
    );
    app.click("#confirm-cancel");
    assert_eq!(app.vault().trash().len(), 1);
    app.click(&format!(".trash-row[data-id='{github}'] .purge"));
    app.wait_for(
        "return document.getElementById('confirm-dialog').open",
        "the confirmation",
    );
    app.click("#confirm-ok");
    app.wait_for(
        "return !document.getElementById('trash-empty').hidden",
        "an empty trash",
    );

    app.click("#trash-back");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 3",
        "3 rows",
    );
    assert!(app.row_text("CCOMTL").contains("WXYZ2620"));
    let vault = app.vault();
    assert!(vault.trash().is_empty());
    assert!(vault.find(&github.to_string()).is_err(), "purged for good");
    assert!(vault.accounts().iter().any(|a| a.id == ccomtl));
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn french_locale_gives_a_french_ui_and_the_switch_goes_back_to_english() {
    let app = App::launch(data_dir_with(vec![]), FR);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    assert_eq!(
        app.js("return document.documentElement.lang", json!([])),
        "fr-CA"
    );
    let page = app.js("return document.body.innerText", json!([]));
    let page = page.as_str().unwrap_or_default();
    assert!(page.contains("Ajouter votre premier compte"), "{page}");
    assert!(page.contains("English"), "no language switch: {page}");

    app.click("#empty-add");
    let add = app.wait_for(
        "return !document.getElementById('view-add').hidden && document.getElementById('view-add').innerText",
        "the Add view",
    );
    assert!(
        add.as_str().unwrap_or_default().contains("Coller un lien"),
        "{add}"
    );
    // A bad link gives a French error message.
    app.type_into("#link-input", "https://example.com/");
    app.click("#link-form button[type=submit]");
    let error = app.wait_for(
        "return document.getElementById('add-error').innerText",
        "the error",
    );
    assert!(
        error
            .as_str()
            .unwrap_or_default()
            .starts_with("Ce n’est pas un lien"),
        "{error}"
    );

    app.click("#lang-button");
    assert_eq!(
        app.js("return document.documentElement.lang", json!([])),
        "en-CA"
    );
    let add = app.js(
        "return document.getElementById('view-add').innerText",
        json!([]),
    );
    assert!(
        add.as_str().unwrap_or_default().contains("Paste a link"),
        "{add}"
    );
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn no_secret_reaches_the_page_or_its_storage() {
    let app = App::launch(data_dir_with(three_accounts()), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    // Add one more by link and one by hand (with spaces, as Keycloak shows keys).
    let link = "otpauth://totp/Portal:paul?secret=NBSWY3DPO5XXE3DEMFRGGZDFMZTWQ2LK&issuer=Portal";
    app.click("#add-button");
    app.type_into("#link-input", link);
    app.click("#link-form button[type=submit]");
    app.wait_for(
        "return !document.getElementById('view-enrol').hidden",
        "the helper",
    );
    app.click("#enrol-done");
    app.click("#add-button");
    app.type_into("#manual-form input[name=issuer]", "Intranet");
    app.type_into("#manual-form input[name=account]", "paul");
    app.type_into(
        "#manual-form input[name=secret]",
        "onsw y3dp o5xx e3de mfrg gzdf mztw q2lk",
    );
    app.click("#manual-form button[type=submit]");
    app.wait_for(
        "return !document.getElementById('view-enrol').hidden",
        "the helper",
    );
    app.click("#enrol-done");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 6",
        "6 rows",
    );
    app.click("#trash-button");
    app.wait_for(
        "return !document.getElementById('view-trash').hidden",
        "the trash",
    );
    app.click("#trash-back");

    let everything = app.js(
        "const values = [...document.querySelectorAll('input, textarea, output')].map(e => e.value);
         const storage = s => [...Array(s.length).keys()].map(i => s.key(i) + '=' + s.getItem(s.key(i)));
         return [document.documentElement.outerHTML, document.body.innerText, ...values,
                 ...storage(localStorage), ...storage(sessionStorage)].join('\\n');",
        json!([]),
    );
    let everything = everything
        .as_str()
        .unwrap_or_default()
        .to_uppercase()
        .replace(' ', "");
    for secret in [
        KEYCLOAK_SECRET,
        GITHUB_SECRET,
        ONEGOV_SECRET,
        HOTP_SECRET,
        "NBSWY3DPO5XXE3DEMFRGGZDFMZTWQ2LK",
        "ONSWY3DPO5XXE3DEMFRGGZDFMZTWQ2LK",
    ] {
        assert!(
            !everything.contains(&secret[..16]),
            "a secret ({}…) is in the page",
            &secret[..4]
        );
    }
    assert_eq!(app.vault().accounts().len(), 6);

    // The strict CSP is in force: no eval-like code, no inline script.
    let csp = app.js(
        "try { new Function('return 1')(); return 'eval allowed'; } catch (e) { return 'blocked'; }",
        json!([]),
    );
    assert_eq!(csp, "blocked");
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn search_filters_as_you_type_and_arrows_move_between_rows() {
    let app = App::launch(data_dir_with(three_accounts()), EN);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    // "/" focuses the search field from anywhere in the list.
    app.type_into(".row:nth-child(1) .row-main", "/");
    app.wait_for(
        "return document.activeElement.id === 'search'",
        "focus in search",
    );
    app.type_into("#search", "gov");
    let visible = app.js("return [...document.querySelectorAll('.row:not([hidden]) .issuer')].map(e => e.textContent)", json!([]));
    assert_eq!(visible, json!(["OneGov GED"]));
    app.type_into("#search", "\u{E00C}"); // Escape clears it
    app.wait_for(
        "return document.querySelectorAll('.row:not([hidden])').length === 4",
        "all rows",
    );
    app.type_into(".row:nth-child(1) .row-main", "\u{E015}"); // Arrow down
    let focused = app.js(
        "return document.activeElement.closest('.row')?.querySelector('.issuer').textContent",
        json!([]),
    );
    assert_eq!(focused, "GitHub");
}

/// A Google Authenticator export of four accounts in one QR code (from the
/// extract_otp_secrets test suite, via ../shared/conformance/migration_cases.json).
const TRANSFER_LINK: &str = "otpauth-migration://offline?data=ClEKFAciUeGF4aS6IDCvMv99ySZ1ekKsEiVTZXJlbml0eUxhYnM6dGVzdDFAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIKUQoUkIY8/fbrHZWTb4CBln18lvqt0HcSJVNlcmVuaXR5TGFiczp0ZXN0MkBzZXJlbml0eWxhYnMuY28udWsaDFNlcmVuaXR5TGFicyABKAEwAgpRChScf+1/Ua4d4gCY0W/7fj9VBkM9PBIlU2VyZW5pdHlMYWJzOnRlc3QzQHNlcmVuaXR5bGFicy5jby51axoMU2VyZW5pdHlMYWJzIAEoATACClEKFG6Qu0ryTSFA/l5rmvTIXtNeb5LtEiVTZXJlbml0eUxhYnM6dGVzdDRAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIQARgBIAAogtTa1vz/////AQ==";

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn a_google_authenticator_transfer_link_adds_every_account() {
    let app = App::launch(data_dir_with(vec![]), EN);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    app.click("#empty-add");
    app.type_into("#link-input", TRANSFER_LINK);
    app.click("#link-form button[type=submit]");
    // A preview first: nothing is written until the user confirms.
    app.wait_for(
        "return !document.getElementById('transfer-preview').hidden && document.querySelectorAll('#transfer-list li').length === 4",
        "the transfer preview",
    );
    assert!(
        app.vault().accounts().is_empty(),
        "nothing added before confirming"
    );
    assert_eq!(
        app.js(
            "return document.getElementById('transfer-confirm').textContent",
            json!([])
        ),
        "Add 4 accounts"
    );
    app.click("#transfer-confirm");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    let toast = app.wait_for(
        "return document.getElementById('toasts').innerText",
        "the toast",
    );
    assert_eq!(toast, "4 accounts added.");
    assert_eq!(app.vault().accounts().len(), 4);
    assert!(app
        .row_text("SerenityLabs")
        .contains("test1@serenitylabs.co.uk"));

    // The same transfer again: every account is marked as already in Jeton.
    app.click("#add-button");
    app.type_into("#link-input", TRANSFER_LINK);
    app.click("#link-form button[type=submit]");
    app.wait_for(
        "return document.querySelectorAll('#transfer-list li.duplicate').length === 4",
        "4 duplicates marked",
    );
    assert_eq!(
        app.js(
            "return document.getElementById('transfer-confirm').disabled",
            json!([])
        ),
        true
    );
    assert_eq!(app.vault().accounts().len(), 4);
}

/// An RGBA image of a QR code for `text`, 8 pixels per module with a quiet zone.
fn qr_image(text: &str) -> arboard::ImageData<'static> {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("QR code");
    let modules = code.width();
    let (scale, quiet) = (8, 4);
    let size = (modules + 2 * quiet) * scale;
    let mut rgba = vec![255u8; size * size * 4];
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + quiet, i / modules + quiet);
        for y in my * scale..(my + 1) * scale {
            for x in mx * scale..(mx + 1) * scale {
                rgba[(y * size + x) * 4..(y * size + x) * 4 + 3].fill(0);
            }
        }
    }
    arboard::ImageData {
        width: size,
        height: size,
        bytes: rgba.into(),
    }
}

/// Writes [`qr_image`] of `text` to the PNG file `path`.
fn save_qr_png(path: &std::path::Path, text: &str) {
    let qr = qr_image(text);
    image::save_buffer(
        path,
        &qr.bytes,
        qr.width as u32,
        qr.height as u32,
        image::ColorType::Rgba8,
    )
    .expect("write the QR image");
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn a_screenshot_of_a_qr_code_on_the_clipboard_adds_the_account() {
    let app = App::launch(data_dir_with(vec![]), EN);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    // Nothing useful on the clipboard yet: a clear message.
    let mut clipboard = arboard::Clipboard::new().expect("X11 clipboard");
    clipboard.set_text("hello").expect("set text");
    app.click("#empty-add");
    app.click("#scan-paste");
    let error = app.wait_for(
        "return document.getElementById('add-error').innerText",
        "the error",
    );
    assert!(
        error.as_str().unwrap_or_default().contains("no image"),
        "{error}"
    );

    clipboard
        .set_image(qr_image(KEYCLOAK_LINK))
        .expect("set image");
    app.click("#scan-paste");
    assert_enrol_code(&app, "CCOMTL");
}

/// The enrolment page's QR code open on the same screen (here: an image viewer on
/// the Xvfb display): "Scan from screen" finds it and adds the account.
#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn scan_from_screen_finds_the_qr_code_shown_beside_the_app() {
    let app = App::launch(data_dir_with(vec![]), EN);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    let image = tempfile::Builder::new()
        .suffix(".png")
        .tempfile()
        .expect("temp file");
    save_qr_png(
        image.path(),
        "otpauth://totp/OneGov%20GED:marie?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=OneGov%20GED",
    );
    let mut viewer = Command::new("display")
        .args(["-title", "enrolment-page", "-geometry", "+40+40"])
        .arg(image.path())
        .spawn()
        .expect("ImageMagick `display` (Debian package imagemagick)");
    std::thread::sleep(Duration::from_secs(2));
    app.click("#empty-add");
    app.click("#scan-screen");
    assert_enrol_code(&app, "OneGov GED");
    let _ = viewer.kill();
    let _ = viewer.wait();
    let accounts = app
        .vault()
        .accounts()
        .iter()
        .map(|a| a.label())
        .collect::<Vec<_>>();
    assert_eq!(accounts, ["OneGov GED: marie"]);
}

// ---------------------------------------------------------------------------
// The camera. No camera exists on the test machines, so the "no camera" case is
// real; the others use the debug build's replay camera, which plays image files
// through the same frame-source path a camera's frames take.

/// The camera threads of the running app.
fn camera_threads(app: &App) -> usize {
    app_thread_names(app)
        .iter()
        .filter(|name| name.as_str() == "jeton-camera" || name.as_str() == "jeton-decode")
        .count()
}

/// A 1280x720 PNG of an empty desk (a grey gradient), `copies` times in a
/// replay list, followed by `then`.
fn replay_list(dir: &std::path::Path, copies: usize, then: &[std::path::PathBuf]) -> String {
    let desk = dir.join("desk.png");
    let pixels: Vec<u8> = (0..1280u32 * 720)
        .map(|i| (80 + (i % 1280) / 16 + (i / 1280) / 24) as u8)
        .collect();
    image::save_buffer(&desk, &pixels, 1280, 720, image::ColorType::L8).expect("write desk.png");
    let paths = std::iter::repeat_n(desk, copies).chain(then.iter().cloned());
    std::env::join_paths(paths)
        .expect("plain paths")
        .to_string_lossy()
        .into_owned()
}

/// A new user's app whose replay camera plays `replay`, with the Camera of the
/// Add view pressed.
fn camera_opened_on(replay: &str) -> App {
    let app = App::launch_with(
        data_dir_with(vec![]),
        EN,
        &[("JETON_CAMERA_REPLAY", replay)],
    );
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    app.click("#empty-add");
    app.click("#scan-camera");
    app
}

fn scan_fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/jeton-scan/tests/fixtures")
        .join(name)
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn without_a_camera_the_camera_button_says_so_and_the_other_ways_remain() {
    if std::fs::read_dir("/dev").is_ok_and(|mut dev| {
        dev.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("video")))
    }) {
        println!("this machine has a camera: the no-camera case was not checked");
        return;
    }
    let app = App::launch(data_dir_with(vec![]), FR);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    app.click("#empty-add");
    app.click("#scan-camera");
    let error = app.wait_for(
        "return document.getElementById('add-error').innerText",
        "the error",
    );
    assert_eq!(
        error,
        "Aucune caméra n’a été trouvée. Lisez plutôt le code à l’écran, ouvrez ou collez une image, ou collez le lien."
    );
    let state = app.js(
        "return [document.getElementById('camera-panel').hidden,
                 ...['scan-screen', 'scan-paste', 'scan-file', 'scan-camera']
                   .map((id) => document.getElementById(id).disabled)]",
        json!([]),
    );
    assert_eq!(state, json!([true, false, false, false, false]));
    assert_eq!(camera_threads(&app), 0);
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn the_camera_previews_reads_a_photo_of_the_code_and_adds_the_account() {
    let frames = tempfile::tempdir().expect("temp dir");
    let replay = replay_list(frames.path(), 60, &[scan_fixture("keycloak-photo.jpg")]);
    let app = camera_opened_on(&replay);
    // The preview runs while the camera shows the empty desk (about 4 s).
    app.wait_for(
        "const c = document.getElementById('camera-preview');
         return !document.getElementById('camera-panel').hidden && Number(c.dataset.frames) >= 5
           && c.width === 240 && c.height === 135",
        "preview frames drawn",
    );
    assert_eq!(
        app.js(
            "return document.getElementById('camera-status').innerText",
            json!([])
        ),
        "Hold the QR code inside the frame. It is read as soon as it is sharp."
    );
    // Then the photo of the code: the account is added and the helper shows its code.
    // The replay loops (the photo every ~4 s); a loaded machine may drop the
    // photo's frame while the decoder is busy, so it may take a loop or two.
    app.wait_for_within(
        "return !document.getElementById('view-enrol').hidden",
        "the enrolment helper after the photo",
        Duration::from_secs(40),
    );
    assert_enrol_code(&app, "CCOMTL");
    let labels: Vec<String> = app.vault().accounts().iter().map(|a| a.label()).collect();
    assert_eq!(labels, ["CCOMTL: WXYZ2620"]);
    wait_until("the camera to stop after adding", || {
        camera_threads(&app) == 0
    });
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn a_code_that_is_no_account_keeps_the_camera_looking_until_stopped_or_left() {
    // A real photo of a bookmark QR code (zxing's test set) when present, else a
    // rendered one: either way, not an authenticator code.
    let frames = tempfile::tempdir().expect("temp dir");
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/qr-photos/zxing/qrcode-1/1.png");
    let photo = if photo.is_file() {
        photo
    } else {
        println!("qr-photos absent: using a rendered bookmark code instead of a photo");
        let path = frames.path().join("bookmark.png");
        save_qr_png(
            &path,
            "MEBKM:URL:http\\://en.wikipedia.org/wiki/Main_Page;;",
        );
        path
    };
    let replay = replay_list(frames.path(), 3, &[photo]);
    let app = camera_opened_on(&replay);
    app.wait_for(
        "return document.getElementById('camera-status').innerText.startsWith('This QR code is not')",
        "the not-an-authenticator-code hint",
    );
    let frames_before: u64 = app
        .js(
            "return Number(document.getElementById('camera-preview').dataset.frames)",
            json!([]),
        )
        .as_u64()
        .expect("a frame count");
    app.wait_for(
        &format!(
            "return Number(document.getElementById('camera-preview').dataset.frames) > {frames_before} + 5"
        ),
        "the preview to keep running",
    );
    assert!(app.vault().accounts().is_empty());
    assert_eq!(camera_threads(&app), 2, "camera and decoder threads");

    // "Stop camera" stops it.
    app.click("#camera-stop");
    wait_until("the camera to stop", || camera_threads(&app) == 0);
    assert_eq!(
        app.js(
            "return document.getElementById('camera-panel').hidden",
            json!([])
        ),
        true
    );

    // Started again, then another way of scanning is chosen: stopped.
    app.click("#scan-camera");
    wait_until("the camera to start again", || camera_threads(&app) == 2);
    app.click("#scan-screen");
    wait_until("the camera to stop for the screen scan", || {
        camera_threads(&app) == 0
    });
    app.wait_for(
        "return document.getElementById('camera-panel').hidden && !document.getElementById('scan-screen').disabled",
        "the screen scan to finish",
    );

    // Started again, then the page is told the window is hidden. Xvfb has no
    // window manager to minimise to, so the page's own signal is sent instead.
    app.click("#scan-camera");
    wait_until("the camera to start again", || camera_threads(&app) == 2);
    app.js(
        "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
         document.dispatchEvent(new Event('visibilitychange'));
         delete document.hidden;",
        json!([]),
    );
    wait_until("the camera to stop when the window is hidden", || {
        camera_threads(&app) == 0
    });

    // Started again, then the view is left with Escape: stopped as well.
    app.click("#scan-camera");
    wait_until("the camera to start again", || camera_threads(&app) == 2);
    app.type_into("#link-input", "\u{E00C}"); // Escape
    app.wait_for(
        "return document.body.dataset.view === 'codes'",
        "the codes view",
    );
    wait_until("the camera to stop on leaving the view", || {
        camera_threads(&app) == 0
    });
}

/// A Google Authenticator "Transfer accounts" screen (a real export, from
/// scito/extract_otp_secrets' tests) held up to the camera: the transfer is
/// previewed, the camera turns off, and nothing is added before the user confirms.
#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn a_google_authenticator_transfer_shown_to_the_camera_is_previewed_then_added() {
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/migration_data/test_googleauth_export.png");
    if !export.is_file() {
        println!("shared/conformance absent: the camera transfer test was skipped");
        return;
    }
    let frames = tempfile::tempdir().expect("temp dir");
    let replay = replay_list(frames.path(), 10, &[export]);
    let app = camera_opened_on(&replay);
    let names = app.wait_for(
        "return !document.getElementById('transfer-preview').hidden
           && [...document.querySelectorAll('#transfer-list li')].map((li) => li.innerText.trim())",
        "the transfer preview",
    );
    assert_eq!(
        names,
        json!([
            "Test1 – test1@example1.com",
            "Test2 – test2@example2.com",
            "Test3 – test3@example3.com"
        ])
    );
    wait_until("the camera to stop once the transfer is read", || {
        camera_threads(&app) == 0
    });
    assert!(app.vault().accounts().is_empty(), "nothing added yet");
    app.click("#transfer-confirm");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 3",
        "3 rows",
    );
    assert_eq!(app.vault().accounts().len(), 3);
}
