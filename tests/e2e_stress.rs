//! The real app under load and under SIGKILL (Xvfb, tauri-driver, WebKitWebDriver,
//! a real Secret Service, like `tests/e2e.rs`): the page calls the app's own
//! commands in a loop, as fast as they answer.
//!
//! - The app and the `jeton` CLI adding accounts at the same time: every change
//!   of both lands.
//! - The app killed (SIGKILL) at random moments while it writes, then launched
//!   again on the same folder: the vault always opens, and every change the page
//!   was told had succeeded is there. `JETON_APP_KILLS` rounds (default 5; the
//!   stress run in docs/fuzzing.md uses 100).
//!
//! Run: `scripts/with-session --display --fresh-home -- <e2e_stress binary> --ignored --test-threads=1`.

mod support;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::*;

/// A distinct Base32 secret for the `i`th account of `who`.
fn secret(who: &str, i: usize) -> String {
    let bytes = format!("{who}-stress-{i:06}-padding");
    data_encoding_base32(bytes.as_bytes())
}

/// RFC 4648 Base32 without padding (enough for test secrets).
fn data_encoding_base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Starts, in the page, adding `names` one after the other through the app's
/// `add_manual` command; each name whose add succeeded goes into
/// `window.__stress.acked`, each failure into `window.__stress.errors`.
fn start_adding(app: &App, who: &str, names: &[String]) {
    let entries: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"issuer": "App", "account": name, "secret": secret(who, i), "kind": "totp",
                   "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0})
        })
        .collect();
    app.js(
        "const entries = arguments[0];
         window.__stress = {acked: [], errors: [], finished: false};
         (async () => {
           for (const entry of entries) {
             try {
               await window.__TAURI_INTERNALS__.invoke('add_manual', {entry});
               window.__stress.acked.push(entry.account);
             } catch (error) {
               window.__stress.errors.push(JSON.stringify(error));
             }
           }
           window.__stress.finished = true;
         })();
         return true;",
        json!([entries]),
    );
}

fn account_names(app_dir: &std::path::Path) -> BTreeSet<String> {
    open_vault(app_dir)
        .accounts()
        .iter()
        .map(|a| a.name.clone())
        .collect()
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service"]
fn the_app_and_the_cli_writing_at_once_lose_no_change() {
    const EACH: usize = 1000;
    let app = App::launch(data_dir_with(Vec::new()), "en_CA.UTF-8");
    let app_names: Vec<String> = (0..EACH).map(|i| format!("app-{i}")).collect();
    let started = Instant::now();
    start_adding(&app, "app", &app_names);

    // Meanwhile the CLI adds as many, one process per account.
    for i in 0..EACH {
        let mut cli = Command::new(cli_binary())
            .args(["add", "-"])
            .env("JETON_DATA_DIR", app.data_dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run jeton");
        let link = format!(
            "otpauth://totp/CLI:cli-{i}?secret={}&issuer=CLI\n",
            secret("cli", i)
        );
        cli.stdin
            .take()
            .unwrap()
            .write_all(link.as_bytes())
            .unwrap();
        let out = cli.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "jeton add {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let cli_done = started.elapsed();
    app.wait_for_within(
        "return window.__stress.finished",
        "the page's adds to finish",
        Duration::from_secs(600),
    );
    let stress = app.js("return window.__stress", json!([]));
    assert_eq!(stress["errors"], json!([]), "the app's adds failed");
    assert_eq!(stress["acked"].as_array().unwrap().len(), EACH);
    println!(
        "{EACH} adds by the CLI in {cli_done:?}, {EACH} by the app in {:?}, interleaved",
        started.elapsed()
    );

    let names = account_names(app.data_dir.path());
    assert_eq!(names.len(), 2 * EACH, "every change of both landed");
    for i in 0..EACH {
        assert!(names.contains(&format!("app-{i}")), "app-{i} lost");
        assert!(names.contains(&format!("cli-{i}")), "cli-{i} lost");
    }
    // And the app sees the CLI's accounts too.
    let listed = app.js(
        "return window.__TAURI_INTERNALS__.invoke('list_codes', {query: ''})
           .then(list => list.codes.length)",
        json!([]),
    );
    assert_eq!(listed, json!(2 * EACH));
}

/// True once process `pid` has ended (a zombie waiting to be reaped counts).
fn gone(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| stat.contains(") Z "))
}

/// A small, seeded random number source (no extra dependency for one test).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

#[test]
#[ignore = "needs Xvfb, tauri-driver and a Secret Service"]
fn killing_the_app_while_it_writes_never_loses_an_acknowledged_change() {
    let kills: usize = std::env::var("JETON_APP_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("{kills} kills, seed {seed}");
    let mut random = XorShift(seed);
    let mut data_dir = data_dir_with(three_accounts());
    let mut acknowledged = BTreeSet::new();
    let (mut killed_mid_write, mut total_acked) = (0, 0);
    for round in 0..kills {
        let mut app = App::launch(data_dir, "en_CA.UTF-8");
        let names: Vec<String> = (0..400).map(|i| format!("r{round}-{i}")).collect();
        start_adding(&app, &format!("r{round}"), &names);
        // At least 300 ms: the first add also fetches the key over D-Bus.
        std::thread::sleep(Duration::from_millis(300 + random.below(900)));
        let stress = app.js(
            "return {acked: window.__stress.acked.slice(), errors: window.__stress.errors}",
            json!([]),
        );
        assert_eq!(stress["errors"], json!([]), "round {round}: adds failed");
        let acked: Vec<String> = serde_json::from_value(stress["acked"].clone()).unwrap();
        assert!(
            !acked.is_empty(),
            "round {round}: no add was answered before the kill"
        );
        let pid = app_pid(&app).expect("the app's pid");
        // Its web processes, which end by themselves once their app is gone.
        let web_processes = descendants(pid);
        let status = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        wait_until("the killed app and its web processes to end", || {
            std::iter::once(&pid)
                .chain(&web_processes)
                .all(|&pid| gone(pid))
        });
        data_dir = app.take_data_dir();
        drop(app);

        // The vault opens (never unreadable) and holds every acknowledged add.
        let names = account_names(data_dir.path());
        total_acked += acked.len();
        acknowledged.extend(acked);
        let missing: Vec<_> = acknowledged.difference(&names).collect();
        assert!(
            missing.is_empty(),
            "round {round}: acknowledged adds lost: {missing:?}"
        );
        let beyond = names
            .iter()
            .filter(|n| n.starts_with(&format!("r{round}-")) && !acknowledged.contains(*n))
            .count();
        killed_mid_write += usize::from(beyond > 0);
        let landed = names
            .iter()
            .filter(|n| n.starts_with(&format!("r{round}-")))
            .count();
        assert!(
            landed < 400,
            "round {round}: every add had finished before the kill, which proves nothing"
        );
        for original in ["WXYZ2620", "alice@example.com", "marie.tremblay", "card"] {
            assert!(names.contains(original), "round {round}: {original} lost");
        }
    }
    println!(
        "{kills} kills: the vault opened every time; {total_acked} acknowledged adds all kept; \
         {killed_mid_write} rounds had a change landing after the last answer the page saw"
    );
}

/// Runs `program` as the unprivileged user `nobody` (uid 65534).
fn as_nobody(program: &str) -> Command {
    let mut command = Command::new("setpriv");
    command
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            program,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

#[test]
#[ignore = "needs Xvfb; runs the app as the user nobody (setpriv, as root)"]
fn another_program_of_the_same_user_cannot_read_the_app_s_memory() {
    // The app and the control (`sleep`) both run as `nobody`, in a folder of
    // theirs; the reader is a third process of the same user.
    let home = tempfile::tempdir().unwrap();
    for sub in ["", "data", "config", "cache", "share"] {
        let path = home.path().join(sub);
        std::fs::create_dir_all(&path).unwrap();
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    }
    let mut app = as_nobody(&app_binary())
        .env("HOME", home.path())
        .env("JETON_DATA_DIR", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_DATA_HOME", home.path().join("share"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .spawn()
        .expect("run the app as nobody");
    let mut control = as_nobody("sleep").arg("30").spawn().unwrap();
    // The app is up: its window exists (it protects itself first thing in `run`).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("Jeton"))
    {
        assert!(app.try_wait().unwrap().is_none(), "the app exited early");
        assert!(Instant::now() < deadline, "the app's window never appeared");
        std::thread::sleep(Duration::from_millis(200));
    }
    let read = |pid: u32| {
        as_nobody("cat")
            .arg(format!("/proc/{pid}/environ"))
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    let ordinary = read(control.id());
    let protected = read(app.id());
    let _ = (control.kill(), app.kill());
    let _ = (control.wait(), app.wait());
    assert!(ordinary.status.success(), "the control must be readable");
    assert!(
        !protected.status.success(),
        "the app's process could be read"
    );
    assert!(
        String::from_utf8_lossy(&protected.stderr).contains("Permission denied"),
        "{}",
        String::from_utf8_lossy(&protected.stderr)
    );
}
