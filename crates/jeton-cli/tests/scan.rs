//! `jeton scan` and `jeton add --image` as users and scripts run them: real
//! photos next to zbarimg, screens under Xvfb, Keycloak and Google Authenticator
//! QR images into a real vault (run inside `scripts/with-session --display`).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{shared, Data};

/// The payload of jeton-scan's `keycloak-photo.jpg` fixture.
const FIXTURE_KEYCLOAK: &str = "otpauth://totp/CCOMTL:WXYZ2620?secret=GVLUGQ2TIVXFS4LYGNZFQTCFOVQW2RKM&digits=6&algorithm=HmacSHA1&issuer=CCOMTL&period=30";

fn jeton() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jeton"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An image of a Keycloak enrolment QR code and its text: drawn by the
/// `qrencode` CLI when installed, else jeton-scan's photo-like fixture.
fn keycloak_qr(dir: &Path) -> (PathBuf, String) {
    let link = "otpauth://totp/Keycloak:alice%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&digits=6&algorithm=SHA1&issuer=Keycloak&period=30";
    let png = dir.join("keycloak-qr.png");
    let drawn = Command::new("qrencode")
        .args(["-s", "4", "-o"])
        .arg(&png)
        .arg(link)
        .status()
        .is_ok_and(|status| status.success());
    if drawn {
        (png, link.to_owned())
    } else {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../jeton-scan/tests/fixtures/keycloak-photo.jpg");
        (fixture, FIXTURE_KEYCLOAK.to_owned())
    }
}

/// An image viewer this test started, killed however the test ends.
struct Viewer(Child);

impl Drop for Viewer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn window_mapped(title_part: &str) -> bool {
    Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains(title_part))
        .unwrap_or(false)
}

#[test]
fn scan_screen_without_a_display_says_to_use_a_screenshot_file() {
    let out = jeton()
        .args(["scan", "--screen", "--json"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run jeton");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let line: Value = serde_json::from_str(stdout(&out).trim()).expect("one JSON line");
    assert_eq!(line["file"], "screen");
    assert_eq!(line["texts"], serde_json::json!([]));
    let error = line["error"].as_str().expect("error");
    assert!(error.contains("screenshot"), "{error}");
    let err = stderr(&out);
    assert!(
        err.starts_with("jeton: ") && err.contains("screenshot"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let out = jeton()
        .args(["scan", "--screen", "x.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--screen takes no image");
    let out = jeton().args(["scan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "scan needs images or --screen");
}

#[test]
fn scan_screen_reads_a_code_shown_by_an_image_viewer() {
    if std::env::var_os("DISPLAY").is_none() {
        println!("no DISPLAY: skipped (run under scripts/with-session --display)");
        return;
    }
    if Command::new("display").arg("-version").output().is_err() {
        println!("ImageMagick `display` not installed: skipped (scripts/install-deps --test)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // A payload and window title of this run only: another test session sharing
    // the X server may show a code too, and must neither satisfy nor break this test.
    let file_name = format!("jeton-cli-screen-qr-{}.png", std::process::id());
    let shown = dir.path().join(&file_name);
    let expected = format!(
        "otpauth://totp/Keycloak:screen-{}-{}?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Keycloak",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    write_qr_png(&expected, &shown);
    let log = dir.path().join("display.log");
    let mut viewer = Viewer(
        Command::new("display")
            .args(["-geometry", "+300+200"])
            .arg(&shown)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("viewer log"))
            .spawn()
            .expect("start ImageMagick display"),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !window_mapped(&file_name) {
        let exited = viewer.0.try_wait().expect("viewer status");
        if exited.is_some() || Instant::now() > deadline {
            panic!(
                "the viewer window never mapped (viewer exit: {exited:?}; its stderr: {:?})",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let texts = loop {
        let out = jeton()
            .args(["scan", "--screen", "--json"])
            .output()
            .unwrap();
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        let line: Value = serde_json::from_str(stdout(&out).trim()).expect("one JSON line");
        assert_eq!(line["file"], "screen");
        let texts: Vec<String> = serde_json::from_value(line["texts"].clone()).expect("texts");
        if texts.contains(&expected) || Instant::now() > deadline {
            assert_eq!(out.status.code(), Some(i32::from(texts.is_empty())));
            if !texts.is_empty() {
                assert_eq!(line["capture"], "direct", "X11 is read directly");
            }
            break texts;
        }
        // Mapped, maybe not drawn yet.
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(viewer);
    assert!(texts.contains(&expected), "read {texts:?} on screen");
}

/// Processes of the Wayland test, killed (last started first) however it ends.
#[derive(Default)]
struct Session(Vec<Child>);

impl Drop for Session {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// On Wayland, `jeton scan --screen` goes through the desktop portal's Screenshot
/// interface and says so. A real headless sway (wlroots, as root refuses to
/// run, so as `nobody` when the test is root) shows the QR code as its wallpaper;
/// xdg-desktop-portal and its wlroots backend, D-Bus-activated on a private bus,
/// take the screenshot (with grim) and hand Jeton a file, which Jeton deletes
/// once read: it shows the secret.
#[test]
fn scan_screen_on_wayland_goes_through_the_screenshot_portal() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    for (program, package) in [
        ("sway", "sway"),
        ("swaybg", "swaybg"),
        ("grim", "grim"),
        ("pipewire", "pipewire"),
        ("dbus-daemon", "dbus-daemon"),
        ("/usr/libexec/xdg-desktop-portal", "xdg-desktop-portal"),
        (
            "/usr/libexec/xdg-desktop-portal-wlr",
            "xdg-desktop-portal-wlr",
        ),
    ] {
        assert!(
            Command::new(program).arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok(),
            "{program} is needed (Debian package {package}; scripts/install-deps --test installs it)"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::metadata("/proc/self").expect("/proc/self").uid() == 0;
    let (uid, gid) = if root {
        (65534, 65534) // nobody, nogroup
    } else {
        let me = std::fs::metadata("/proc/self").unwrap();
        (me.uid(), me.gid())
    };
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = dir.path().join("home");
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    for path in [&home, &runtime] {
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    }
    let expected = format!(
        "otpauth://totp/Portal:wayland-{}?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Portal",
        std::process::id()
    );
    let qr = dir.path().join("qr.png");
    write_qr_png(&expected, &qr);
    std::fs::set_permissions(&qr, std::fs::Permissions::from_mode(0o644)).unwrap();
    let config = dir.path().join("sway.conf");
    std::fs::write(
        &config,
        format!(
            "output HEADLESS-1 resolution 1280x800\nexec swaybg -c '#ffffff' -m center -i {}\n",
            qr.display()
        ),
    )
    .unwrap();
    let log = |name: &str| {
        let file = std::fs::File::create(dir.path().join(name)).expect("log file");
        Stdio::from(file)
    };
    let user = |program: &str| {
        let mut command = Command::new(program);
        command
            .uid(uid)
            .gid(gid)
            .env_clear()
            .env("HOME", &home)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        command
    };
    let mut session = Session::default();
    let mut bus = user("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(log("dbus.log"))
        .spawn()
        .expect("start dbus-daemon");
    let mut address = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(bus.stdout.take().unwrap()),
        &mut address,
    )
    .expect("the bus address");
    session.0.push(bus);
    let address = address.trim().to_owned();
    let on_bus = |program: &str| {
        let mut command = user(program);
        command.env("DBUS_SESSION_BUS_ADDRESS", &address);
        command
    };
    session.0.push(
        on_bus("pipewire")
            .stdout(Stdio::null())
            .stderr(log("pipewire.log"))
            .spawn()
            .expect("start pipewire"),
    );
    session.0.push(
        on_bus("sway")
            .arg("-c")
            .arg(&config)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_RENDERER", "pixman")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .stdout(Stdio::null())
            .stderr(log("sway.log"))
            .spawn()
            .expect("start sway"),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let socket = loop {
        let socket = std::fs::read_dir(&runtime)
            .unwrap()
            .flatten()
            .find_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                (name.starts_with("wayland-") && !name.ends_with(".lock")).then_some(name)
            });
        if let Some(socket) = socket {
            break socket;
        }
        assert!(
            Instant::now() < deadline,
            "sway made no Wayland socket; its log: {}",
            std::fs::read_to_string(dir.path().join("sway.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // The portal services are started by D-Bus on the first call, in this environment.
    let status = on_bus("dbus-update-activation-environment")
        .arg(format!("WAYLAND_DISPLAY={socket}"))
        .arg("XDG_CURRENT_DESKTOP=sway")
        .arg(format!("XDG_RUNTIME_DIR={}", runtime.display()))
        .status()
        .expect("dbus-update-activation-environment");
    assert!(status.success());
    // xdg-desktop-portal-wlr's grim writes its screenshots to /tmp/out.png.
    let screenshot = Path::new("/tmp/out.png");
    let (out, line) = loop {
        let out = on_bus(env!("CARGO_BIN_EXE_jeton"))
            .args(["scan", "--screen", "--json"])
            .env("WAYLAND_DISPLAY", &socket)
            .env("XDG_CURRENT_DESKTOP", "sway")
            .output()
            .expect("run jeton");
        let line: Value = serde_json::from_str(stdout(&out).trim())
            .unwrap_or_else(|_| panic!("one JSON line: {out:?}"));
        // The wallpaper may not be drawn yet at the first try.
        if out.status.success() || Instant::now() > deadline {
            break (out, line);
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    let logs = ["dbus.log", "sway.log"]
        .map(|name| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default());
    assert!(out.status.success(), "{line}\n{}\n{logs:?}", stderr(&out));
    assert_eq!(line["texts"], serde_json::json!([expected]));
    assert_eq!(line["capture"], "portal", "{line}");
    assert!(
        !screenshot.exists(),
        "the portal's screenshot was left behind"
    );
    drop(session);
}

/// `text` as a PNG QR code (4 px modules, 4-module quiet zone), as a web page shows it.
fn write_qr_png(text: &str, path: &Path) {
    let code = qrcode::QrCode::new(text).expect("encodable");
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let (module_px, quiet) = (4, 4);
    let side = (modules + 2 * quiet) * module_px;
    let image = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module_px, y / module_px);
        let inside =
            (quiet..quiet + modules).contains(&mx) && (quiet..quiet + modules).contains(&my);
        let dark = inside
            && colors[((my - quiet) * modules + (mx - quiet)) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    image.save(path).expect("write the QR image");
}

/// The "double QR" photo (zxing qrcode-2/16) shows a small code inside a large
/// one; its ground truth names only the outer one, but both are real codes in
/// the image, so a decoder printing either (or both) is right.
const NESTED_CODES: [&str; 2] = [
    "[外側QRコード]\r\n \r\n*ﾀﾞﾌﾞﾙQR*\r\nhttp://d-qr.net/ex/",
    "[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/",
];

/// The texts of `png`: `<name>.txt` (exact bytes, UTF-8) or, for the
/// multi-code image, `<name>.expected.json`'s `expected_set`.
fn ground_truth(png: &Path) -> Vec<String> {
    let txt = png.with_extension("txt");
    let mut texts = if txt.is_file() {
        vec![std::fs::read_to_string(&txt).expect("UTF-8 ground truth")]
    } else {
        let json = png.with_extension("expected.json");
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("ground truth"))
                .expect("JSON");
        json["expected_set"]
            .as_array()
            .expect("expected_set")
            .iter()
            .map(|t| t.as_str().expect("text").to_owned())
            .collect()
    };
    if texts.iter().any(|t| NESTED_CODES.contains(&t.as_str())) {
        texts = NESTED_CODES.iter().map(|t| (*t).to_owned()).collect();
    }
    texts
}

fn pngs_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "png") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// What zbarimg makes of `png`: (decoded anything, decoded a ground-truth text).
fn zbarimg(png: &Path, truth: &[String]) -> (bool, bool) {
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(png)
        .output()
        .expect("run zbarimg");
    // --raw prints each symbol's text followed by a newline; texts may hold
    // newlines themselves, so look for each whole expected text.
    let printed = String::from_utf8_lossy(&out.stdout);
    let decoded = out.status.success() && !printed.is_empty();
    let correct = decoded && truth.iter().any(|t| printed.contains(&format!("{t}\n")));
    (decoded, correct)
}

/// The bar: `jeton scan --json` reads at least as many of the zxing
/// photos as zbarimg in the same run, prints only correct texts, never panics.
#[test]
fn scan_json_reads_the_zxing_photos_at_least_as_well_as_zbarimg() {
    let Some(dir) = shared("qr-photos/zxing") else {
        return;
    };
    let pngs = pngs_under(&dir);
    assert!(
        pngs.len() >= 179,
        "{} PNGs in {}",
        pngs.len(),
        dir.display()
    );

    let start = Instant::now();
    let out = jeton()
        .args(["scan", "--json"])
        .args(&pngs)
        .output()
        .unwrap();
    let jeton_time = start.elapsed();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "a panic reached stderr:\n{err}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "some photos read: exit 0\n{err}"
    );
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), pngs.len(), "one line per image");

    let zbar_present = Command::new("zbarimg").arg("--version").output().is_ok();
    let (mut jeton_read, mut zbar_decoded, mut zbar_correct) = (0, 0, 0);
    let mut missed_by_jeton = Vec::new();
    let zbar_start = Instant::now();
    for (png, line) in pngs.iter().zip(&lines) {
        let name = png.strip_prefix(&dir).unwrap().display().to_string();
        assert_eq!(line["file"], png.display().to_string());
        let truth = ground_truth(png);
        let texts: Vec<&str> = line["texts"]
            .as_array()
            .expect("texts")
            .iter()
            .map(|t| t.as_str().expect("text"))
            .collect();
        for text in &texts {
            assert!(
                truth.iter().any(|t| t == text),
                "{name}: Jeton printed {text:?}, the ground truth is {truth:?}"
            );
        }
        assert_eq!(
            texts.is_empty(),
            line.get("error").is_some(),
            "{name}: {line}"
        );
        let read = !texts.is_empty();
        jeton_read += usize::from(read);
        if zbar_present {
            let (decoded, correct) = zbarimg(png, &truth);
            zbar_decoded += usize::from(decoded);
            zbar_correct += usize::from(correct);
            if correct && !read {
                missed_by_jeton.push(name);
            }
        }
    }
    let zbar_time = zbar_start.elapsed();
    println!(
        "shared/qr-photos/zxing, {} PNGs: jeton scan --json read {jeton_read} (every text \
         correct) in {jeton_time:?}",
        pngs.len()
    );
    if !zbar_present {
        println!("zbarimg not installed: comparison skipped (scripts/install-deps --test)");
        return;
    }
    println!(
        "zbarimg --raw -q: decoded {zbar_decoded}, of which {zbar_correct} with the ground-truth \
         text, in {zbar_time:?}; read by zbarimg only: {missed_by_jeton:?}"
    );
    assert!(
        jeton_read >= zbar_decoded,
        "Jeton read {jeton_read} photos, zbarimg decoded {zbar_decoded}"
    );
}

#[test]
fn scan_exit_statuses_are_sane() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../jeton-scan/tests/fixtures");
    let readable = fixtures.join("dark-mode.png");
    let dir = tempfile::tempdir().unwrap();
    let not_an_image = dir.path().join("notes.png");
    std::fs::write(&not_an_image, "not a PNG").unwrap();

    // Nothing read: exit 1, one JSON line per image, each with its error.
    let out = jeton()
        .args(["scan", "--json"])
        .arg(&not_an_image)
        .arg(dir.path().join("missing.png"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines
        .iter()
        .all(|l| l["error"].is_string() && l["texts"] == serde_json::json!([])));
    assert!(stderr(&out).contains("no QR code read in 2 image(s)"));

    // One read out of two: exit 0.
    let out = jeton()
        .args(["scan"])
        .arg(&readable)
        .arg(&not_an_image)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("otpauth://totp/OneGov%20GED:"));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn add_image_of_a_keycloak_qr_lands_in_the_vault() {
    let data = Data::new();
    let dir = tempfile::tempdir().unwrap();
    let (image, link) = keycloak_qr(dir.path());
    let expected = jeton_core::uri::parse(&link).expect("the link parses");
    let out = data.run(&["add", "--image", image.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with(&format!("Added {} (", expected.label())));
    let list = data.list();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["issuer"], expected.issuer);
    assert_eq!(list[0]["account"], expected.name);
    assert_eq!(list[0]["kind"], "totp");
    assert_eq!(list[0]["digits"], 6);
}

#[test]
fn add_image_of_a_google_authenticator_transfer_adds_its_three_accounts() {
    let Some(png) = shared("conformance/migration_data/test_googleauth_export.png") else {
        return;
    };
    let data = Data::new();
    let out = data.run(&["add", "--image", png.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = data.list();
    let names: Vec<(String, String)> = list
        .iter()
        .map(|a| {
            assert_eq!(a["kind"], "totp");
            assert_eq!(a["algorithm"], "SHA1");
            assert_eq!(a["digits"], 6);
            (
                a["issuer"].as_str().unwrap().to_owned(),
                a["account"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = (1..=3)
        .map(|n| (format!("Test{n}"), format!("test{n}@example{n}.com")))
        .collect();
    assert_eq!(names, expected);

    // The secrets came through: the vault's codes are those of the stated secrets.
    for (issuer, secret) in [
        ("Test1", "JBSWY3DPEHPK3PXP"),
        ("Test2", "JBSWY3DPEHPK3PXQ"),
        ("Test3", "JBSWY3DPEHPK3PXR"),
    ] {
        let stated = format!("otpauth://totp/{issuer}:x?secret={secret}");
        let code_of = |args: &[&str]| -> (String, String) {
            let out = data.run(args);
            assert!(out.status.success(), "{}", stderr(&out));
            let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
            let view = if json.is_array() { &json[0] } else { &json };
            (view["code"].to_string(), view["next_code"].to_string())
        };
        let from_vault = code_of(&["code", "--json", issuer]);
        let from_link = code_of(&["code", "--json", "--uri", &stated]);
        // A period boundary between the two calls shifts one code by one step.
        assert!(
            from_vault == from_link || from_vault.1 == from_link.0,
            "{issuer}: {from_vault:?} vs {from_link:?}"
        );
    }
}

/// A minimal protobuf `MigrationPayload` link (field numbers of migration.proto)
/// holding one TOTP account, part `index` (0-based) of `size`.
fn transfer_part(index: u8, size: u8, batch_id: u8, name: &str) -> String {
    fn field(tag: u8, bytes: &[u8]) -> Vec<u8> {
        assert!(bytes.len() < 128);
        [&[tag << 3 | 2, bytes.len() as u8][..], bytes].concat()
    }
    let secret = [
        0x48u8,
        0x65,
        0x6c,
        0x6c,
        0x6f,
        0x21,
        0xde,
        0xad,
        0xbe,
        0xe0 + index,
    ];
    let entry = [
        field(1, &secret),
        field(2, name.as_bytes()),
        field(3, b"Transfer"),
        vec![4 << 3, 1, 5 << 3, 1, 6 << 3, 2],
    ]
    .concat();
    let payload = [
        field(1, &entry),
        vec![2 << 3, 1, 3 << 3, size, 4 << 3, index, 5 << 3, batch_id],
    ]
    .concat();
    let data = data_encoding::BASE64.encode(&payload);
    format!(
        "otpauth-migration://offline?data={}",
        data.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    )
}

fn add_from_stdin(data: &Data, links: &[String]) -> Output {
    let mut child = jeton()
        .args(["add", "-"])
        .env("JETON_DATA_DIR", data.0.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(links.join("\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn an_incomplete_transfer_is_refused_naming_the_missing_parts() {
    let data = Data::new();
    let parts: Vec<String> = (0..3)
        .map(|i| transfer_part(i, 3, 7, &format!("Transfer:user{i}")))
        .collect();

    let out = add_from_stdin(&data, &parts[..1]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("Google Authenticator transfer incomplete"),
        "{err}"
    );
    assert!(
        err.contains("1 of 3") && err.contains("missing part(s) 2 and 3"),
        "{err}"
    );
    assert!(data.list().is_empty(), "nothing is added");

    let out = add_from_stdin(&data, &[parts[2].clone(), parts[0].clone()]);
    assert!(
        stderr(&out).contains("missing part(s) 2;"),
        "{}",
        stderr(&out)
    );
    assert!(data.list().is_empty());

    let other_transfer = transfer_part(1, 3, 8, "Transfer:someone");
    let out = add_from_stdin(&data, &[parts[0].clone(), other_transfer]);
    assert!(
        stderr(&out).contains("another transfer"),
        "{}",
        stderr(&out)
    );
    assert!(data.list().is_empty());

    // Every part, in any order (and a part twice): all three accounts, in export order.
    let out = add_from_stdin(
        &data,
        &[
            parts[1].clone(),
            parts[2].clone(),
            parts[0].clone(),
            parts[1].clone(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let accounts: Vec<Value> = data.list().iter().map(|a| a["account"].clone()).collect();
    assert_eq!(accounts, ["user0", "user1", "user2"]);
}
