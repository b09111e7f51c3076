//! Shared by the app's end-to-end tests, screenshots and performance runs: a
//! minimal WebDriver client that launches `jeton-app` through `tauri-driver`, and
//! helpers that prepare vaults with the core API (as the `jeton` CLI does).
//!
//! Plain std networking keeps the test dependencies small: WebDriver is JSON over
//! HTTP/1.1 on localhost.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jeton_core::keychain::SystemKeychain;
use jeton_core::{otp, uri, Account, Vault};
use serde_json::{json, Value};

/// A Keycloak-style enrolment link, as in the seeds (CCOMTL realm).
pub const KEYCLOAK_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
pub const KEYCLOAK_LINK: &str = "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&digits=6&algorithm=SHA1&issuer=CCOMTL&period=30";
pub const GITHUB_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
pub const ONEGOV_SECRET: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
pub const HOTP_SECRET: &str = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";

pub const EN: &str = "en_CA.UTF-8";
pub const FR: &str = "fr_CA.UTF-8";

// ---------------------------------------------------------------------------
// A minimal WebDriver client over tauri-driver.

/// One running app: tauri-driver, its WebDriver session, and the app's data dir.
pub struct App {
    driver: Child,
    /// The binary launched (Jeton, or the empty-window baseline of tests/perf.rs).
    program: String,
    port: u16,
    session: String,
    /// The app's `JETON_DATA_DIR`.
    pub data_dir: tempfile::TempDir,
    /// The app's `XDG_DATA_HOME`: the webview's storage (saved language, chosen
    /// camera) of one test never leaks into the next.
    web_data: tempfile::TempDir,
}

/// Two distinct free local ports (both held while choosing, so they differ).
pub fn free_ports() -> (u16, u16) {
    let first = TcpListener::bind("127.0.0.1:0").expect("a free local port");
    let second = TcpListener::bind("127.0.0.1:0").expect("a free local port");
    let port = |l: &TcpListener| l.local_addr().expect("local address").port();
    (port(&first), port(&second))
}

/// The app under test: `JETON_APP_BIN` if set (e.g. a release build), else the
/// debug binary Cargo built for these tests.
/// The `jeton` CLI built beside the app.
pub fn cli_binary() -> PathBuf {
    let app = PathBuf::from(app_binary());
    app.with_file_name(format!("jeton{}", std::env::consts::EXE_SUFFIX))
}

pub fn app_binary() -> String {
    std::env::var("JETON_APP_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_jeton-app").to_string())
}

/// Sends one HTTP/1.1 request and returns the JSON body.
///
/// The connection is kept alive from the server's point of view (no
/// `Connection: close`): tauri-driver forwards headers to WebKitWebDriver, and a
/// forwarded `close` made its connection pool fail now and then.
pub fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    try_http(port, method, path, body).unwrap_or_else(|e| panic!("{e}"))
}

/// Like [`http`], with the failure as an error.
pub fn try_http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to tauri-driver");
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("set timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send request");
    let payload = read_response(&mut stream)
        .map_err(|e| format!("no HTTP response to {method} {path}: {e}"))?;
    Ok(serde_json::from_str(&payload).unwrap_or_else(|_| json!({ "raw": payload })))
}

/// Reads one response (Content-Length or chunked body) without waiting for close.
fn read_response(stream: &mut TcpStream) -> Result<String, String> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let header_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!("closed after {:?}", String::from_utf8_lossy(&raw)));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..header_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &raw[header_end..];
        let complete = match length {
            Some(length) => body.len() >= length,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&raw[header_end..]).into_owned();
    Ok(if chunked { dechunk(&body) } else { body })
}

pub fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&tail[..size]);
        rest = &tail[size + 2..];
    }
    out
}

impl App {
    /// Launches the app on `data_dir` with `LANG=lang`, and waits for the page.
    pub fn launch(data_dir: tempfile::TempDir, lang: &str) -> App {
        App::launch_with(data_dir, lang, &[])
    }

    /// Like [`App::launch`], with extra environment variables for the app.
    ///
    /// WebKitWebDriver has once dropped the very first session of a fresh
    /// desktop session without an answer (CI: "closed after \"\"" on POST
    /// /session, while the desktop portals were still starting): a launch whose
    /// session could not be created is tried again (three tries in all), and says so.
    pub fn launch_with(data_dir: tempfile::TempDir, lang: &str, env: &[(&str, &str)]) -> App {
        let app = App::launch_program(&app_binary(), data_dir, lang, env);
        app.wait_for(
            "return document.readyState === 'complete' && !!document.body.dataset.view",
            "the page to load",
        );
        app
    }

    /// Launches `program` (a Tauri app) through tauri-driver, without waiting for
    /// any page in particular.
    pub fn launch_program(
        program: &str,
        data_dir: tempfile::TempDir,
        lang: &str,
        env: &[(&str, &str)],
    ) -> App {
        let web_data = tempfile::tempdir().expect("temp dir");
        let mut attempt = 1;
        let (driver, port, session) = loop {
            match Self::start_session(program, &data_dir, &web_data, lang, env) {
                Ok(started) => break started,
                Err(reason) if attempt < 3 => {
                    eprintln!("WebDriver session not created ({reason}); trying again");
                    attempt += 1;
                    std::thread::sleep(Duration::from_secs(1));
                }
                Err(reason) => panic!("no WebDriver session after {attempt} tries: {reason}"),
            }
        };
        App {
            driver,
            program: program.to_string(),
            port,
            session,
            data_dir,
            web_data,
        }
    }

    /// Starts tauri-driver and asks it for a session of the app; on failure,
    /// everything started is stopped again.
    fn start_session(
        program: &str,
        data_dir: &tempfile::TempDir,
        web_data: &tempfile::TempDir,
        lang: &str,
        env: &[(&str, &str)],
    ) -> Result<(Child, u16, String), String> {
        let (port, native_port) = free_ports();
        let mut driver = Command::new("tauri-driver");
        driver
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()]);
        let driver = app_environment(&mut driver, data_dir.path(), web_data.path(), lang)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("JETON_E2E_VERBOSE").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("tauri-driver in PATH (cargo install tauri-driver --locked)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let created = try_http(
            port,
            "POST",
            "/session",
            Some(
                &json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": program}}}}),
            ),
        );
        let session = match &created {
            Ok(reply) => reply["value"]["sessionId"].as_str().map(str::to_string),
            Err(_) => None,
        };
        match session {
            Some(session) => Ok((driver, port, session)),
            None => {
                stop_driver(driver);
                Err(match created {
                    Ok(reply) => reply.to_string(),
                    Err(error) => error,
                })
            }
        }
    }

    /// Process id of tauri-driver (the app runs below it).
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    pub fn path(&self, tail: &str) -> String {
        format!("/session/{}{}", self.session, tail)
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn js(&self, script: &str, args: Value) -> Value {
        let reply = http(
            self.port,
            "POST",
            &self.path("/execute/sync"),
            Some(&json!({ "script": script, "args": args })),
        );
        if reply["value"].get("error").is_some() {
            panic!("script failed: {script}\n{reply}");
        }
        reply["value"].clone()
    }

    /// Polls `script` until it returns something truthy, for up to 15 s.
    pub fn wait_for(&self, script: &str, what: &str) -> Value {
        self.wait_for_within(script, what, Duration::from_secs(15))
    }

    /// Polls `script` until it returns something truthy, for up to `limit`.
    pub fn wait_for_within(&self, script: &str, what: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.js(script, json!([]));
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The WebDriver id of the first element matching `css`.
    pub fn element(&self, css: &str) -> String {
        let reply = http(
            self.port,
            "POST",
            &self.path("/element"),
            Some(&json!({"using": "css selector", "value": css})),
        );
        reply["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {reply}"))
            .to_string()
    }

    /// A real (WebDriver) click on the element matching `css`.
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        let reply = http(
            self.port,
            "POST",
            &self.path(&format!("/element/{id}/click")),
            Some(&json!({})),
        );
        assert!(reply["value"].is_null(), "click on {css} failed: {reply}");
    }

    /// Types `text` into the element matching `css` (WebDriver key codes allowed).
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        let reply = http(
            self.port,
            "POST",
            &self.path(&format!("/element/{id}/value")),
            Some(&json!({ "text": text })),
        );
        assert!(
            reply["value"].is_null(),
            "typing into {css} failed: {reply}"
        );
    }

    /// Moves the mouse pointer to (x, y) in the window, e.g. off every button.
    pub fn move_pointer(&self, x: i64, y: i64) {
        let actions = json!({"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": "viewport", "x": x, "y": y}]
        }]});
        let reply = http(self.port, "POST", &self.path("/actions"), Some(&actions));
        assert!(reply["value"].is_null(), "pointer move failed: {reply}");
    }

    /// Sizes the window (as a phone's screen: 360×780, 412×915) and waits until
    /// the page has that many CSS pixels across.
    pub fn resize_window(&self, width: u32, height: u32) {
        let reply = http(
            self.port,
            "POST",
            &self.path("/window/rect"),
            Some(&json!({"x": 0, "y": 0, "width": width, "height": height})),
        );
        assert!(
            reply["value"].get("error").is_none(),
            "window resize failed: {reply}"
        );
        self.wait_for(
            &format!("return window.innerWidth === {width}"),
            &format!("a window {width} px wide"),
        );
    }

    /// A finger's tap (a WebDriver touch pointer: down and up, no hover before)
    /// on the middle of the element matching `css`, scrolled to the middle of the
    /// screen first (as a finger scrolls: clear of a toast at the bottom). Fails if
    /// something else is on top of it there.
    pub fn tap(&self, css: &str) {
        let centre = self.js(
            "const el = document.querySelector(arguments[0]);
             if (!el) return null;
             el.scrollIntoView({block: 'center'});
             const r = el.getBoundingClientRect();
             const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
             const top = document.elementFromPoint(x, y);
             if (!el.contains(top)) return `covered by ${top ? top.outerHTML.slice(0, 120) : 'nothing'} at ${x},${y}`;
             return [x, y];",
            json!([css]),
        );
        let (x, y) = match centre.as_array().map(Vec::as_slice) {
            Some([x, y]) => (x.as_i64().unwrap(), y.as_i64().unwrap()),
            _ => panic!("cannot tap {css}: {centre}"),
        };
        let actions = json!({"actions": [{
            "type": "pointer", "id": "finger", "parameters": {"pointerType": "touch"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": "viewport", "x": x, "y": y},
                {"type": "pointerDown", "button": 0},
                {"type": "pause", "duration": 60},
                {"type": "pointerUp", "button": 0}
            ]
        }]});
        let reply = http(self.port, "POST", &self.path("/actions"), Some(&actions));
        assert!(reply["value"].is_null(), "tap on {css} failed: {reply}");
        http(self.port, "DELETE", &self.path("/actions"), None);
    }

    /// Empties the input matching `css`.
    pub fn clear(&self, css: &str) {
        let id = self.element(css);
        http(
            self.port,
            "POST",
            &self.path(&format!("/element/{id}/clear")),
            Some(&json!({})),
        );
    }

    /// Visible text of the code row whose issuer is `issuer` ("" if none).
    pub fn row_text(&self, issuer: &str) -> String {
        self.js(
            "const row = [...document.querySelectorAll('.row')].find(r => r.querySelector('.issuer').textContent === arguments[0]);
             return row && !row.hidden ? row.querySelector('.row-main').innerText : '';",
            json!([issuer]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Takes the data folder out (a fresh empty one takes its place), to launch
    /// the app on it again after this one is gone.
    pub fn take_data_dir(&mut self) -> tempfile::TempDir {
        std::mem::replace(&mut self.data_dir, tempfile::tempdir().expect("temp dir"))
    }

    /// The vault as another process (the CLI) sees it now.
    pub fn vault(&self) -> Vault {
        open_vault(self.data_dir.path())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let spawned = descendants(self.driver.id());
        let _ = try_http(self.port, "DELETE", &self.path(""), None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Single instance: the app of this test must be gone before the next one
        // starts, or the next launch would only focus this window.
        for pid in &spawned {
            let _ = Command::new("kill")
                .arg(pid.to_string())
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while spawned
            .iter()
            .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Stops tauri-driver and everything below it.
fn stop_driver(mut driver: Child) {
    let spawned = descendants(driver.id());
    let _ = driver.kill();
    let _ = driver.wait();
    for pid in spawned {
        let _ = Command::new("kill")
            .arg(pid.to_string())
            .stderr(Stdio::null())
            .status();
    }
}

/// Every process below `root` (WebKitWebDriver, the app, its WebKit processes).
pub fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let after_name = &stat[stat.rfind(')')? + 2..];
            let ppid = after_name.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}

// ---------------------------------------------------------------------------
// Vault helpers (the core API, as the `jeton` CLI uses it).

/// The Jeton backups in `dir`, oldest first (their names carry the time).
pub fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("backup folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with("jeton-backup-") && name.ends_with(".jetonbackup")
        })
        .collect();
    found.sort();
    found
}

pub fn open_vault(dir: &Path) -> Vault {
    Vault::open(dir, Arc::new(SystemKeychain)).expect("open the vault")
}

pub fn totp(issuer: &str, name: &str, secret: &str) -> Account {
    Account::new(
        issuer,
        name,
        uri::parse_manual_secret(secret).expect("secret"),
        jeton_core::OtpParams::default(),
    )
    .expect("account")
}

pub fn grouped(code: &str) -> String {
    otp::group_digits(code)
}

/// Runs `check` until it passes, to step over a period boundary between reading the
/// page and computing the expected code.
pub fn retry_across_boundary(mut check: impl FnMut() -> Result<(), String>) {
    let mut last = String::new();
    for _ in 0..4 {
        match check() {
            Ok(()) => return,
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(400));
    }
    panic!("{last}");
}

pub fn code_now(vault: &Vault, issuer: &str) -> String {
    let account = vault
        .accounts()
        .into_iter()
        .find(|a| a.issuer == issuer)
        .unwrap_or_else(|| panic!("{issuer} in the vault"));
    account.code_at(otp::now()).expect("code")
}

pub fn data_dir_with(accounts: Vec<Account>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !accounts.is_empty() {
        open_vault(dir.path())
            .add_all(accounts)
            .expect("add accounts");
    }
    dir
}

pub fn three_accounts() -> Vec<Account> {
    let mut hotp = totp("Bank", "card", HOTP_SECRET);
    hotp.params.kind = jeton_core::Kind::Hotp;
    hotp.params.counter = 3;
    vec![
        totp("CCOMTL", "WXYZ2620", KEYCLOAK_SECRET),
        totp("GitHub", "alice@example.com", GITHUB_SECRET),
        totp("OneGov GED", "marie.tremblay", ONEGOV_SECRET),
        hotp,
    ]
}

/// Realistic accounts for screenshots and performance runs (names only matter).
pub fn sample_accounts() -> Vec<Account> {
    vec![
        totp("CCOMTL", "WXYZ2620", KEYCLOAK_SECRET),
        totp("OneGov GED", "marie.tremblay@gouv.qc.ca", ONEGOV_SECRET),
        totp("GitHub", "marie-tremblay", GITHUB_SECRET),
        totp(
            "Microsoft",
            "marie.tremblay@outlook.com",
            "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF",
        ),
        totp(
            "Proton",
            "marie@proton.me",
            "GAYTEMZUGU3DOOBZGAYTEMZUGU3DOOBZ",
        ),
    ]
}

/// `count` TOTP accounts with distinct secrets ("Service 1" … "Service N").
pub fn many_accounts(count: usize) -> Vec<Account> {
    (0..count)
        .map(|i| {
            let secret =
                jeton_core::Secret::from_bytes(format!("jeton-perf-secret-{i:08}").into_bytes());
            Account::new(
                &format!("Service {}", i + 1),
                &format!("user{}@example.com", i + 1),
                secret,
                jeton_core::OtpParams::default(),
            )
            .expect("account")
        })
        .collect()
}

/// What the app under test is given: its data folder, its web storage folder
/// (`XDG_DATA_HOME`), the language, and software rendering under Xvfb.
pub fn app_environment<'c>(
    command: &'c mut Command,
    data_dir: &Path,
    web_data: &Path,
    lang: &str,
) -> &'c mut Command {
    command
        .env("JETON_DATA_DIR", data_dir)
        .env("XDG_DATA_HOME", web_data)
        .env("LANG", lang)
        .env("LANGUAGE", lang.split('.').next().unwrap_or(lang))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
}

/// Proportional set size (kB) of `pid` and every process below it.
pub fn tree_pss_kb(pid: u32) -> u64 {
    tree_memory_kb(pid, "smaps_rollup", "Pss:")
}

/// A memory figure (kB) of `/proc/PID/<file>` ("status", "smaps_rollup"), the
/// line starting with `field` ("VmRSS:", "Pss:"), summed over `pid` and every
/// process below it (WebKit's processes).
pub fn tree_memory_kb(pid: u32, file: &str, field: &str) -> u64 {
    std::iter::once(pid)
        .chain(descendants(pid))
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/{file}")).ok())
        .filter_map(|text| {
            text.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .sum()
}

/// The pid of the app itself among the processes below tauri-driver.
pub fn app_pid(app: &App) -> Option<u32> {
    let binary = std::fs::canonicalize(&app.program).ok()?;
    descendants(app.driver_pid()).into_iter().find(|pid| {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .ok()
            .as_deref()
            == Some(binary.as_path())
    })
}

/// When process `pid` started, in milliseconds since the Unix epoch (10 ms steps).
pub fn process_start_epoch_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    // Field 22 of stat is starttime; after the name, state is field 3.
    let start_ticks: f64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    let boot_time: f64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    let ticks_per_second = 100.0; // USER_HZ on Linux
    Some((boot_time + start_ticks / ticks_per_second) * 1000.0)
}

/// Waits for the enrolment helper, then checks it shows the core's current code
/// for `issuer` (retrying once if a period ended in between).
pub fn assert_enrol_code(app: &App, issuer: &str) {
    app.wait_for(
        "return !document.getElementById('view-enrol').hidden && document.getElementById('enrol-code').textContent.trim()",
        "the enrolment helper",
    );
    retry_across_boundary(|| {
        let shown = app.js(
            "return document.getElementById('enrol-code').textContent",
            json!([]),
        );
        let expected = grouped(&code_now(&app.vault(), issuer));
        (shown.as_str() == Some(expected.as_str()))
            .then_some(())
            .ok_or_else(|| format!("helper shows {shown}, core says {expected}"))
    });
}

/// The names of the app's threads now (Linux `comm`, at most 15 characters).
pub fn app_thread_names(app: &App) -> Vec<String> {
    let pid = app_pid(app).expect("the app's process below tauri-driver");
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("the app's threads in /proc")
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .collect()
}

/// Waits up to 20 s for `condition`, then fails with `what`.
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
