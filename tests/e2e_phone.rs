//! The main flows again in phone-sized windows of the real app (360×780 and
//! 412×915, the common small and large Android screens), driven by touch: add by
//! link, read and copy a code, rename and delete + undo through a row's ⋮ button
//! (phones have no hover and no F2 key), and turn on automatic backups. In every
//! view nothing runs off the side and every target is at least 48 px.
//!
//! This is the desktop build in a narrow window: the phone build's own parts (the
//! OS camera scanner, no screen capture) cannot run on these machines
//! (docs/platforms.md). Taps are WebDriver touch pointers, which WebKitGTK's
//! WebDriver delivers as presses of a mouse (see below).

mod support;

use serde_json::json;
use support::*;

const BACKUP_PASSWORD: &str = "correct horse battery";

/// The phone screens the layout is checked on: CSS pixels across and down.
const PHONES: [(u32, u32); 2] = [(360, 780), (412, 915)];

/// Asserts the view fits a phone: nothing wider than the window, and every
/// visible control a finger can use at least 48×48 px (checkboxes and radio
/// buttons through their whole label). Names the offenders otherwise.
fn assert_fits(app: &App, view: &str) {
    let report = app.js(
        "const small = [];
         for (const el of document.querySelectorAll('button, input, select, summary, label.choice')) {
           if (el.type === 'checkbox' || el.type === 'radio' || el.type === 'file') continue;
           const style = getComputedStyle(el);
           if (!el.getClientRects().length || style.visibility === 'hidden' || style.pointerEvents === 'none') continue;
           let shown = true;
           for (let up = el; up; up = up.parentElement) if (getComputedStyle(up).opacity === '0') shown = false;
           if (!shown) continue;
           const r = el.getBoundingClientRect();
           if (r.width < 47.5 || r.height < 47.5)
             small.push(`${el.id || el.className || el.tagName} ${Math.round(r.width)}×${Math.round(r.height)}`);
         }
         const wide = document.documentElement.scrollWidth > window.innerWidth
           || document.getElementById('main').scrollWidth > document.getElementById('main').clientWidth;
         return {small, wide, width: document.documentElement.scrollWidth};",
        json!([]),
    );
    assert_eq!(
        report["small"],
        json!([]),
        "{view}: targets under 48 px: {report}"
    );
    assert_eq!(
        report["wide"],
        json!(false),
        "{view}: wider than the window: {report}"
    );
}

fn issuers(app: &App) -> Vec<String> {
    app.vault()
        .accounts()
        .iter()
        .map(|a| a.issuer.clone())
        .collect()
}

fn phone_run(width: u32, height: u32) {
    let folder = tempfile::tempdir().expect("temp dir");
    let app = App::launch_with(
        data_dir_with(vec![]),
        EN,
        &[(
            "JETON_TEST_DIALOG_PATHS",
            folder.path().to_str().expect("UTF-8 path"),
        )],
    );
    app.resize_window(width, height);
    let size = format!("{width}×{height}");
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    assert_fits(&app, &format!("{size}, no accounts"));
    // What kind of pointer the page saw last: the taps must arrive as touches.
    app.js(
        "document.addEventListener('pointerdown', (e) => (window.lastPointer = e.pointerType), true)",
        json!([]),
    );

    // Add by link; the Add view leads with the camera.
    app.tap("#empty-add");
    app.wait_for(
        "return !document.getElementById('view-add').hidden",
        "the Add view",
    );
    // WebKitGTK's WebDriver takes the touch pointer but delivers it as a mouse
    // (pointerType "mouse"; touch input is simulated on iOS and WPE builds only),
    // so what is proven is a press where the finger lands, with no hover first
    // that would show anything: the row's actions below wait for their ⋮ tap.
    let pointer = app.js("return window.lastPointer", json!([]));
    assert!(pointer.is_string(), "the tap was no pointer press");
    eprintln!("taps arrive as pointerType {pointer}");
    assert_fits(&app, &format!("{size}, Add"));
    let first = app.js(
        "const shown = [...document.querySelectorAll('.scan-buttons button')].filter(b => b.getClientRects().length);
         shown.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
         return shown[0].id;",
        json!([]),
    );
    assert_eq!(first, "scan-camera", "{size}: the camera does not lead");
    app.type_into("#link-input", KEYCLOAK_LINK);
    app.tap("#link-form button[type=submit]");
    assert_enrol_code(&app, "CCOMTL");
    assert_fits(&app, &format!("{size}, enrolment helper"));
    app.tap("#enrol-done");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 1",
        "the new row",
    );
    assert_fits(&app, &format!("{size}, one account"));

    // Read the code: large, the core's code, copied by a tap.
    let digits = app.js(
        "return parseFloat(getComputedStyle(document.querySelector('.row .code')).fontSize)",
        json!([]),
    );
    assert!(
        digits.as_f64().unwrap_or_default() >= 32.0,
        "{size}: digits of {digits} px"
    );
    retry_across_boundary(|| {
        let shown = app.row_text("CCOMTL");
        let expected = grouped(&code_now(&app.vault(), "CCOMTL"));
        shown
            .contains(&expected)
            .then_some(())
            .ok_or_else(|| format!("row shows {shown:?}, core says {expected}"))
    });
    app.tap(".row .row-main");
    app.wait_for(
        "return document.querySelector('.row').classList.contains('copied')",
        "the Copied chip",
    );

    // The pointer rests on the row: on a phone that shows nothing (there is no
    // hover there); its actions are behind the ⋮ button, hidden from screen
    // readers too until it is tapped.
    assert_eq!(
        app.js(
            "const style = getComputedStyle(document.querySelector('.row .row-actions'));
             return `${style.opacity} ${style.visibility}`",
            json!([])
        ),
        "0 hidden",
        "{size}: the actions show without a tap"
    );

    // Rename through the row's ⋮ button.
    app.tap(".row .row-more");
    app.wait_for(
        "return document.querySelector('.row').classList.contains('actions-open')
            && document.querySelector('.row .row-more').getAttribute('aria-expanded') === 'true'",
        "the row's actions",
    );
    assert_fits(&app, &format!("{size}, a row's actions"));
    assert_eq!(
        app.js(
            "return document.activeElement === document.querySelector('.row .row-actions button')",
            json!([])
        ),
        true,
        "{size}: opening the actions does not take the focus to them"
    );
    app.tap(".row .row-actions button:nth-child(2)");
    app.wait_for(
        "return document.querySelector('.rename-form input[name=issuer]')",
        "the rename form",
    );
    assert_fits(&app, &format!("{size}, renaming"));
    app.clear(".rename-form input[name=issuer]");
    app.type_into(".rename-form input[name=issuer]", "CCOMTL Paie");
    app.tap(".rename-form button[type=submit]");
    app.wait_for(
        "return !document.querySelector('.rename-form') && document.querySelector('.row .issuer').textContent === 'CCOMTL Paie'",
        "the new name",
    );
    assert_eq!(issuers(&app), ["CCOMTL Paie"]);

    // Delete, then Undo from the toast.
    app.tap(".row .row-more");
    app.wait_for(
        "return document.querySelector('.row').classList.contains('actions-open')",
        "the row's actions",
    );
    app.tap(".row .row-actions button:nth-child(3)");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 0",
        "the row to go",
    );
    assert_eq!(app.vault().trash().len(), 1);
    app.wait_for(
        "return document.querySelector('.toast-action')",
        "the Undo toast",
    );
    assert_fits(&app, &format!("{size}, the Undo toast"));
    app.tap(".toast-action");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 1",
        "the row to return",
    );
    assert_eq!(issuers(&app), ["CCOMTL Paie"]);
    assert_eq!(app.vault().trash().len(), 0);

    // Automatic backups, set up by touch.
    app.tap("#settings-button");
    app.wait_for(
        "return !document.getElementById('view-settings').hidden && document.getElementById('backup-summary').textContent",
        "the Settings view",
    );
    assert_fits(&app, &format!("{size}, Settings"));
    app.tap("#backup-setup");
    app.tap("#backup-choose");
    app.wait_for(
        "return document.getElementById('backup-folder').textContent",
        "the chosen folder",
    );
    assert_fits(&app, &format!("{size}, setting up backups"));
    app.type_into("#backup-form input[name=password]", BACKUP_PASSWORD);
    app.type_into("#backup-form input[name=again]", BACKUP_PASSWORD);
    app.tap("#backup-form button[type=submit]");
    let on = app.wait_for_within(
        "const summary = document.getElementById('backup-summary').textContent;
         const error = document.getElementById('backup-form-error');
         return summary.startsWith('On:') ? 'on' : (!error.hidden && error.textContent);",
        "backups on, or an error",
        std::time::Duration::from_secs(20),
    );
    assert_eq!(on, "on", "{size}: backups not turned on");
    assert_eq!(
        backups_in(folder.path()).len(),
        1,
        "{size}: no first backup"
    );
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/test"]
fn on_phone_sized_screens_the_main_flows_work_by_touch() {
    for (width, height) in PHONES {
        phone_run(width, height);
    }
}
