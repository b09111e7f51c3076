//! Screenshots of the main screens (codes, add, enrolment helper, trash, empty) in
//! light, dark and French, for `docs/screenshots/`. Run by `scripts/screenshots`,
//! which sizes the Xvfb screen to the window so the root window is the app.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::*;

fn out_dir() -> PathBuf {
    let dir = std::env::var("JETON_SCREENSHOTS_DIR").unwrap_or_else(|_| "docs/screenshots".into());
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    PathBuf::from(dir)
}

/// Captures the whole (app-sized) X screen.
fn shoot(app: &App, name: &str) {
    shoot_part(app, name, None);
}

/// Like [`shoot`], for a window of `size` in the screen's top-left corner.
fn shoot_part(app: &App, name: &str, size: Option<(u32, u32)>) {
    // Let transitions and the ring settle; stay clear of the last seconds so the
    // shot shows the calm state.
    app.wait_for(
        "return (30 - Math.floor(Date.now() / 1000) % 30) > 6 && (30 - Math.floor(Date.now() / 1000) % 30) < 29",
        "a calm moment",
    );
    // The pointer rests in a corner, off every button.
    let height = size.map_or(720, |(_, height)| height);
    app.move_pointer(2, i64::from(height) - 2);
    std::thread::sleep(Duration::from_millis(400));
    capture_part(name, size);
}

fn capture(name: &str) {
    capture_part(name, None);
}

/// Captures the screen, or its top-left `width`×`height` (a phone-sized window on
/// a larger screen).
fn capture_part(name: &str, size: Option<(u32, u32)>) {
    let path = out_dir().join(name);
    let mut import = Command::new("import");
    import.args(["-window", "root"]);
    if let Some((width, height)) = size {
        import.args(["-crop", &format!("{width}x{height}+0+0"), "+repage"]);
    }
    let status = import.arg(&path).status().expect("ImageMagick import");
    assert!(status.success(), "import failed for {name}");
    eprintln!("wrote {}", path.display());
}

fn tour(lang: &str, suffix: &str, env: &[(&str, &str)]) {
    let app = App::launch_with(data_dir_with(sample_accounts()), lang, env);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 5",
        "5 rows",
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, &format!("codes-{suffix}.png"));
    if suffix == "light" {
        // The last seconds of a period: red ring, next code shown.
        app.wait_for_within(
            "return (30 - Math.floor(Date.now() / 1000) % 30) <= 4",
            "the last seconds",
            Duration::from_secs(35),
        );
        app.move_pointer(2, 718);
        std::thread::sleep(Duration::from_millis(300));
        capture("codes-ending-light.png");
    }

    // Clicked from script so the pointer does not rest (hovering) on the header.
    app.js("document.getElementById('add-button').click()", json!([]));
    app.wait_for(
        "return !document.getElementById('view-add').hidden",
        "the Add view",
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, &format!("add-{suffix}.png"));

    let link = "otpauth://totp/Intranet:marie.tremblay?secret=NBSWY3DPO5XXE3DE&issuer=Intranet";
    app.type_into("#link-input", link);
    app.click("#link-form button[type=submit]");
    app.wait_for("return !document.getElementById('view-enrol').hidden && document.getElementById('enrol-code').textContent", "the helper");
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, &format!("enrol-{suffix}.png"));

    app.click("#enrol-done");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 6",
        "6 rows",
    );
    app.type_into(".row:nth-child(5) .row-main", "\u{E017}");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 5",
        "5 rows",
    );
    app.type_into(".row:nth-child(4) .row-main", "\u{E017}");
    app.wait_for(
        "return document.querySelectorAll('.row').length === 4",
        "4 rows",
    );
    app.js(
        "document.getElementById('toasts').replaceChildren()",
        json!([]),
    );
    app.js("document.getElementById('trash-button').click()", json!([]));
    app.wait_for(
        "return document.querySelectorAll('.trash-row').length === 2",
        "2 trashed",
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, &format!("trash-{suffix}.png"));
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/screenshots"]
fn screenshots() {
    tour(EN, "light", &[("GTK_THEME", "Adwaita")]);
    tour(EN, "dark", &[("GTK_THEME", "Adwaita:dark")]);
    tour(FR, "fr", &[("GTK_THEME", "Adwaita")]);

    let app = App::launch_with(data_dir_with(vec![]), EN, &[("GTK_THEME", "Adwaita")]);
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, "empty-light.png");
    drop(app);
    camera_screenshot();
}

/// The Add view with the camera running: the debug build's replay camera shows a
/// photo of a code held too far and out of focus, so the preview keeps running.
fn camera_screenshot() {
    let frames = tempfile::tempdir().expect("temp dir");
    let photo = image::open(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/jeton-scan/tests/fixtures/keycloak-photo.jpg"),
    )
    .expect("keycloak-photo.jpg")
    .to_luma8();
    let mut scene = image::GrayImage::from_pixel(1280, 720, image::Luma([96]));
    image::imageops::overlay(&mut scene, &photo, 460, 180);
    let blurred = image::imageops::blur(&scene, 5.0);
    let path = frames.path().join("scene.png");
    blurred.save(&path).expect("write scene.png");
    let app = App::launch_with(
        data_dir_with(vec![]),
        EN,
        &[
            ("GTK_THEME", "Adwaita"),
            ("JETON_CAMERA_REPLAY", path.to_str().expect("UTF-8 path")),
        ],
    );
    app.wait_for(
        "return !document.getElementById('empty').hidden",
        "the empty state",
    );
    app.js("document.getElementById('empty-add').click()", json!([]));
    app.js("document.getElementById('scan-camera').click()", json!([]));
    app.wait_for(
        "return Number(document.getElementById('camera-preview').dataset.frames) > 3",
        "the preview",
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, "camera-light.png");
}

/// The Settings view with automatic backups on, in light, dark and French, and
/// its import preview and export section (light).
fn settings_tour(lang: &str, suffix: &str, env: &[(&str, &str)]) {
    let data_dir = data_dir_with(sample_accounts());
    let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
    let folder = std::path::Path::new(&home).join("Nextcloud/Jeton");
    std::fs::create_dir_all(&folder).expect("backup folder");
    jeton_core::backup::auto::configure(
        data_dir.path(),
        &jeton_core::keychain::SystemKeychain,
        &folder,
        20,
        "screenshot password",
    )
    .expect("configure backups");
    open_vault(data_dir.path())
        .backup_now()
        .expect("first backup");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/importers/2fas_authenticator_plain_v4.2fas");
    let answers = fixture.display().to_string();
    let mut env = env.to_vec();
    env.push(("JETON_TEST_DIALOG_PATHS", &answers));
    let app = App::launch_with(data_dir, lang, &env);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 5",
        "5 rows",
    );
    app.js(
        "document.getElementById('settings-button').click()",
        json!([]),
    );
    app.wait_for(
        "return document.getElementById('backup-last').textContent",
        "the backup status",
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, &format!("settings-{suffix}.png"));
    if suffix != "light" || !fixture.exists() {
        return;
    }
    app.js(
        "document.getElementById('import-choose').click()",
        json!([]),
    );
    app.wait_for(
        "return !document.getElementById('import-preview').hidden",
        "the import preview",
    );
    app.js(
        "document.getElementById('import-heading').scrollIntoView()",
        json!([]),
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, "import-light.png");
    app.js(
        "document.getElementById('import-cancel').click()",
        json!([]),
    );
    app.js(
        "document.querySelector('#export-form input[value=aegis-plain]').click(); document.getElementById('export-heading').scrollIntoView()",
        json!([]),
    );
    app.js("document.activeElement.blur()", json!([]));
    shoot(&app, "export-light.png");
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/screenshots"]
fn settings_screenshots() {
    settings_tour(EN, "light", &[("GTK_THEME", "Adwaita")]);
    settings_tour(EN, "dark", &[("GTK_THEME", "Adwaita:dark")]);
    settings_tour(FR, "fr", &[("GTK_THEME", "Adwaita")]);
}

/// The codes, a row's actions, Add and Settings in a phone-sized window (360×780
/// light, 412×915 dark and French). `scripts/screenshots` gives this test a
/// 412×915 screen; the smaller phone is its top-left corner.
fn phone_tour(lang: &str, suffix: &str, (width, height): (u32, u32), env: &[(&str, &str)]) {
    let app = App::launch_with(data_dir_with(sample_accounts()), lang, env);
    app.resize_window(width, height);
    app.wait_for(
        "return document.querySelectorAll('.row').length === 5",
        "5 rows",
    );
    let phone_shot = |name: &str| {
        app.js("document.activeElement.blur()", json!([]));
        shoot_part(
            &app,
            &format!("{name}-phone-{suffix}.png"),
            Some((width, height)),
        );
    };
    phone_shot("codes");
    if suffix == "light" {
        app.js(
            "document.querySelector('.row:nth-child(2) .row-more').click()",
            json!([]),
        );
        phone_shot("actions");
    }
    app.js("document.getElementById('add-button').click()", json!([]));
    app.wait_for(
        "return !document.getElementById('view-add').hidden",
        "the Add view",
    );
    phone_shot("add");
    if suffix == "light" {
        app.js(
            "document.querySelector('#view-add .back').click()",
            json!([]),
        );
        app.js(
            "document.getElementById('settings-button').click()",
            json!([]),
        );
        app.wait_for(
            "return document.getElementById('backup-summary').textContent",
            "the Settings view",
        );
        phone_shot("settings");
    }
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service; run by scripts/screenshots"]
fn phone_screenshots() {
    phone_tour(EN, "light", (360, 780), &[("GTK_THEME", "Adwaita")]);
    phone_tour(EN, "dark", (412, 915), &[("GTK_THEME", "Adwaita:dark")]);
    phone_tour(FR, "fr", (412, 915), &[("GTK_THEME", "Adwaita")]);
}
