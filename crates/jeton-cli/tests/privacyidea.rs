//! End-to-end oracle: a real MFA server, privacyIDEA, enrols TOTP and HOTP tokens;
//! `jeton` adds the otpauth link privacyIDEA hands out (its Google Authenticator
//! URL, the QR contents) and privacyIDEA's own `check_serial_pass` must accept the
//! codes Jeton shows, and reject a wrong one.
//!
//! privacyIDEA runs in-process in `tests/privacyidea/enrol.py`, from a virtualenv made
//! once in `target/privacyidea-venv` (`pip install privacyidea`: needs PyPI). Run inside
//! `scripts/with-session` (a real Secret Service):
//!
//! ```text
//! scripts/with-session -- cargo test -p jeton-cli --test privacyidea
//! ```

mod support;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::Data;

/// The privacyIDEA release line the oracle was written against.
const PRIVACYIDEA: &str = "privacyidea>=3.14,<4";

/// The Python of the virtualenv holding privacyIDEA.
fn privacyidea_python() -> PathBuf {
    support::python_venv("privacyidea-venv", &[PRIVACYIDEA], "import privacyidea.app")
}

/// `enrol.py serve`: one privacyIDEA (SQLite database in a temporary folder) answering
/// `init …` / `check SERIAL CODE` lines with one JSON line each.
struct PrivacyIdea {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    state: tempfile::TempDir,
}

impl PrivacyIdea {
    fn start(python: &Path) -> Self {
        let state = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/privacyidea/enrol.py");
        let stderr = File::create(state.path().join("serve.stderr")).unwrap();
        let mut child = Command::new(python)
            .arg(script)
            .arg("--state")
            .arg(state.path().join("pi"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start enrol.py serve");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        PrivacyIdea {
            child,
            stdin,
            stdout,
            state,
        }
    }

    fn ask(&mut self, line: &str) -> Value {
        let mut answer = String::new();
        let read = writeln!(self.stdin, "{line}")
            .and_then(|()| self.stdin.flush())
            .and_then(|()| self.stdout.read_line(&mut answer));
        let stderr =
            std::fs::read_to_string(self.state.path().join("serve.stderr")).unwrap_or_default();
        match read {
            Ok(n) if n > 0 => {}
            other => panic!("privacyIDEA gave no answer to {line:?} ({other:?}):\n{stderr}"),
        }
        let value: Value = serde_json::from_str(&answer)
            .unwrap_or_else(|e| panic!("privacyIDEA answered {answer:?} ({e}):\n{stderr}"));
        assert!(
            value.get("error").is_none(),
            "privacyIDEA: {line:?}: {value}\n{stderr}"
        );
        value
    }

    /// Enrols a token; returns (serial, otpauth URI).
    fn init(&mut self, kind: &str, hashlib: &str, digits: u8) -> (String, String) {
        let token = self.ask(&format!(
            "init --type {kind} --hashlib {hashlib} --digits {digits}"
        ));
        (
            token["serial"].as_str().unwrap().to_string(),
            token["uri"].as_str().unwrap().to_string(),
        )
    }

    /// Does privacyIDEA accept `code` for `serial`? Returns (ok, message).
    fn check(&mut self, serial: &str, code: &str) -> (bool, String) {
        let answer = self.ask(&format!("check {serial} {code}"));
        (
            answer["ok"].as_bool().unwrap(),
            answer["message"].as_str().unwrap_or_default().to_string(),
        )
    }
}

impl Drop for PrivacyIdea {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The same code with its last digit changed: a code privacyIDEA must refuse.
fn wrong(code: &str) -> String {
    let (head, last) = code.split_at(code.len() - 1);
    let digit = last.parse::<u8>().unwrap();
    format!("{head}{}", (digit + 1) % 10)
}

/// Jeton's view of the one account whose name is `serial` (privacyIDEA labels its
/// tokens with their serial, issuer "privacyIDEA").
fn view(data: &Data, serial: &str) -> Value {
    let views = data.json(&["code", "--json", serial]);
    let views = views.as_array().unwrap();
    assert_eq!(views.len(), 1, "one account matches {serial}: {views:?}");
    assert_eq!(views[0]["account"], serial);
    assert_eq!(views[0]["issuer"], "privacyIDEA");
    views[0].clone()
}

/// The current TOTP view, re-read after the period boundary when fewer than 3 seconds
/// are left, so the code is not about to expire while privacyIDEA checks it.
fn fresh_totp_view(data: &Data, serial: &str) -> Value {
    let view = view(data, serial);
    let left = view["seconds_left"].as_u64().unwrap();
    if left >= 3 {
        return view;
    }
    std::thread::sleep(Duration::from_millis(left * 1000 + 200));
    self::view(data, serial)
}

fn assert_accepted(pi: &mut PrivacyIdea, serial: &str, code: &str, what: &str) {
    let (ok, message) = pi.check(serial, code);
    assert!(
        ok,
        "{what}: privacyIDEA rejects Jeton's code {code}: {message}"
    );
}

fn assert_rejected(pi: &mut PrivacyIdea, serial: &str, code: &str, what: &str) {
    let (ok, message) = pi.check(serial, code);
    assert!(!ok, "{what}: privacyIDEA accepts {code} ({message})");
}

#[test]
fn privacyidea_accepts_the_codes_jeton_shows_for_the_tokens_it_enrols() {
    let started = Instant::now();
    let python = privacyidea_python();
    let mut pi = PrivacyIdea::start(&python);
    let data = Data::new();

    for (hashlib, digits) in [("sha1", 6), ("sha256", 8), ("sha512", 6)] {
        let what = format!("TOTP {hashlib}/{digits}");
        let (serial, uri) = pi.init("totp", hashlib, digits);
        if hashlib != "sha1" {
            let algorithm = format!("algorithm={}", hashlib.to_uppercase());
            assert!(uri.contains(&algorithm), "{what}: {uri}");
        }
        assert!(data.ok(&["add", &uri]).starts_with("Added "), "{what}");

        let view = fresh_totp_view(&data, &serial);
        assert_eq!(view["kind"], "totp", "{what}");
        assert_eq!(view["period"], 30, "{what}");
        assert_eq!(view["digits"], digits, "{what}");
        let code = view["code"].as_str().unwrap();
        assert_eq!(code.len(), usize::from(digits), "{what}");
        assert_rejected(
            &mut pi,
            &serial,
            &wrong(code),
            &format!("{what}, wrong code"),
        );
        assert_accepted(&mut pi, &serial, code, &what);
        assert_rejected(&mut pi, &serial, code, &format!("{what}, replayed code"));
    }

    // HOTP: privacyIDEA's link says counter=1 (its own counter starts at 0 and it looks
    // ahead a window of codes): Jeton shows the code of the link's counter, then `next`.
    let what = "HOTP sha1/6";
    let (serial, uri) = pi.init("hotp", "sha1", 6);
    assert!(data.ok(&["add", &uri]).starts_with("Added "), "{what}");
    let view = view(&data, &serial);
    assert_eq!(view["kind"], "hotp", "{what}");
    let counter = view["counter"].as_u64().unwrap();
    assert_eq!(counter, 1, "{what}: the link's counter");
    let code = view["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6, "{what}");
    assert_rejected(
        &mut pi,
        &serial,
        &wrong(&code),
        &format!("{what}, wrong code"),
    );
    assert_accepted(
        &mut pi,
        &serial,
        &code,
        &format!("{what}, counter {counter}"),
    );
    assert_rejected(&mut pi, &serial, &code, &format!("{what}, replayed code"));

    let id = view["id"].as_str().unwrap();
    let next = data.ok(&["next", id]).trim().to_string();
    assert_ne!(next, code, "{what}: next gives a new code");
    let after = self::view(&data, &serial);
    assert_eq!(after["counter"].as_u64(), Some(counter + 1), "{what}");
    assert_eq!(after["code"].as_str(), Some(next.as_str()), "{what}");
    assert_rejected(
        &mut pi,
        &serial,
        &wrong(&next),
        &format!("{what}, wrong next code"),
    );
    assert_accepted(
        &mut pi,
        &serial,
        &next,
        &format!("{what}, counter {}", counter + 1),
    );

    assert_eq!(data.json(&["list", "--json"]).as_array().unwrap().len(), 4);
    eprintln!(
        "privacyIDEA oracle: 4 tokens checked in {:.1}s",
        started.elapsed().as_secs_f64()
    );
}
