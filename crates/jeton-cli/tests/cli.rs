//! The `jeton` binary as a user and as scripts use it, against a real Secret Service
//! (run inside `scripts/with-session`). Each test has its own JETON_DATA_DIR.

mod support;

use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::Vault;
use support::Data;

const KEYCLOAK: &str = "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&digits=6&algorithm=HmacSHA1&issuer=CCOMTL&period=30";
const GITHUB_80_BIT: &str = "otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const SHA256_8: &str = "otpauth://totp/OneGov%20GED:marie.tremblay%40gouv.qc.ca?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=OneGov%20GED&algorithm=SHA256&digits=8";

fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("jeton: "), "{stderr}");
    stderr
}

#[test]
fn a_new_user_adds_the_seed_accounts_and_manages_them() {
    let data = Data::new();
    assert!(data
        .ok(&["add", KEYCLOAK])
        .starts_with("Added CCOMTL: WXYZ2620 ("));
    let out = data.run(&["add", GITHUB_80_BIT]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("only 80 bits"),
        "short secret warns"
    );
    let mut stdin_add = data
        .cmd(&["add", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    stdin_add
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{SHA256_8}\n").as_bytes())
        .unwrap();
    assert!(stdin_add.wait_with_output().unwrap().status.success());

    let list = data.json(&["list", "--json"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for (row, (issuer, account)) in rows.iter().zip([
        ("CCOMTL", "WXYZ2620"),
        ("GitHub", "octocat"),
        ("OneGov GED", "marie.tremblay@gouv.qc.ca"),
    ]) {
        assert_eq!(
            (
                row["issuer"].as_str().unwrap(),
                row["account"].as_str().unwrap()
            ),
            (issuer, account)
        );
        assert_eq!(row["kind"], "totp");
        assert_eq!(row["id"].as_str().unwrap().len(), 36);
        assert!(row.get("secret").is_none(), "list never shows secrets");
    }

    // Codes equal the stateless computation for each link at the same moment.
    let codes = data.json(&["code", "--json"]);
    for (view, link) in codes
        .as_array()
        .unwrap()
        .iter()
        .zip([KEYCLOAK, GITHUB_80_BIT, SHA256_8])
    {
        let left = view["seconds_left"].as_u64().unwrap();
        assert!((1..=30).contains(&left));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let at = (now + left - 1) / 30 * 30; // inside the period the code belongs to
        let expected = data.ok(&["code", "--uri", link, "--at", &at.to_string()]);
        assert_eq!(view["code"].as_str().unwrap(), expected.trim(), "{link}");
    }
    assert_eq!(codes[2]["code"].as_str().unwrap().len(), 8);
    let text = data.ok(&["code", "onegov"]);
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains("OneGov GED: marie.tremblay@gouv.qc.ca"));

    let github = rows[1]["id"].as_str().unwrap();
    data.ok(&[
        "rename",
        github,
        "--issuer",
        "GitHub (perso)",
        "--account",
        "octo",
    ]);
    data.ok(&["delete", &github[..8]]);
    assert_eq!(data.json(&["list", "--json"]).as_array().unwrap().len(), 2);
    let trash = data.json(&["trash", "--json"]);
    assert_eq!(trash[0]["issuer"], "GitHub (perso)");
    data.ok(&["restore", github]);
    let list = data.json(&["list", "--json"]);
    assert_eq!(list[1]["account"], "octo", "restored to its place");
    data.ok(&["delete", github]);
    data.ok(&["purge", github]);
    assert!(data
        .json(&["trash", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn stateless_codes_match_the_rfc() {
    let data = Data::new();
    let rfc = "otpauth://totp/RFC:6238?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8";
    for (at, code) in [
        ("59", "94287082"),
        ("1111111109", "07081804"),
        ("20000000000", "65353130"),
    ] {
        assert_eq!(
            data.ok(&["code", "--uri", rfc, "--at", at]).lines().next(),
            Some(code)
        );
    }
    assert!(!data.vault_file().exists(), "--uri never touches the vault");
}

#[test]
fn bad_input_is_one_clear_line_and_changes_nothing() {
    let data = Data::new();
    data.ok(&["add", KEYCLOAK]);
    let before = std::fs::read(data.vault_file()).unwrap();
    for (args, needle) in [
        (vec!["add", "https://example.com/?secret=AAAA"], "otpauth"),
        (vec!["add", "otpauth://totp/x?secret=NOT-BASE32!"], "Base32"),
        (
            vec!["add", "otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5"],
            "algorithm",
        ),
        (
            vec!["add", "otpauth://totp/x?secret=GEZDGNBV&digits=12"],
            "digits",
        ),
        (
            vec!["add", "otpauth://totp/x?secret=GEZDGNBV&period=0"],
            "period",
        ),
        (vec!["add", KEYCLOAK], "already in Jeton"),
        (vec!["rename", "no-such-id", "--issuer", "x"], "no account"),
        (vec!["code", "--uri", "otpauth://hotp/x"], "secret"),
    ] {
        let stderr = one_line_error(&data.run(&args));
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read(data.vault_file()).unwrap(), before);
}

#[test]
fn without_its_keychain_entry_every_command_fails_and_the_vault_is_untouched() {
    let data = Data::new();
    data.ok(&["add", KEYCLOAK]);
    let id = data.json(&["list", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    data.ok(&[
        "add",
        "otpauth://hotp/Lab:me?secret=GEZDGNBVGY3TQOJQ&counter=3",
    ]);
    let hotp = data.json(&["list", "--json"])[1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let vault = Vault::open(data.0.path(), Arc::new(SystemKeychain)).unwrap();
    let vault_id = vault.id().unwrap().to_string();
    let key = SystemKeychain.load(&vault_id).unwrap().unwrap();
    // Removed with libsecret's own tool, as a user (or a keyring cleaner) would.
    let cleared = Command::new("secret-tool")
        .args([
            "clear",
            "service",
            "Jeton",
            "username",
            &format!("vault-{vault_id}"),
        ])
        .status()
        .expect("secret-tool (Debian package libsecret-tools; scripts/test installs it)");
    assert!(cleared.success());
    assert!(SystemKeychain.load(&vault_id).unwrap().is_none());
    let before = std::fs::read(data.vault_file()).unwrap();

    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["code"],
        vec!["add", GITHUB_80_BIT],
        vec!["rename", &id, "--issuer", "X"],
        vec!["delete", &id],
        vec!["trash"],
        vec!["restore", &id],
        vec!["purge", &id],
        vec!["next", &hotp],
    ] {
        let stderr = one_line_error(&data.run(&args));
        assert!(
            stderr.contains("missing from the OS keychain"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read(data.vault_file()).unwrap(),
        before,
        "byte for byte the same"
    );
    assert!(
        SystemKeychain.load(&vault_id).unwrap().is_none(),
        "no new key was made"
    );
    SystemKeychain.store(&vault_id, &key).unwrap();
    assert_eq!(data.json(&["list", "--json"]).as_array().unwrap().len(), 2);
}

/// `jeton add` killed with SIGKILL at random moments, many times: the vault always
/// opens, and every add that reported success is there.
#[test]
fn sigkill_during_add_never_loses_an_acknowledged_account() {
    let data = Data::new();
    // How long one add takes here, left alone: the kills land anywhere within it
    // (a fixed window would miss the adds on a fast machine).
    let started = std::time::Instant::now();
    data.ok(&["add", KEYCLOAK]);
    let window = (started.elapsed().as_micros() as u64 * 6 / 5).max(1);
    let mut acknowledged = vec!["WXYZ2620".to_string()];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut killed = 0;
    for i in 0..60 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let name = format!("user{i}");
        let secret =
            data_encoding::BASE32_NOPAD.encode(format!("kill-test-secret-{i:04}").as_bytes());
        let link = format!("otpauth://totp/Kill:{name}?secret={secret}");
        let mut child = data
            .cmd(&["add", &link])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(seed % window));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        if out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("Added") {
            acknowledged.push(name);
        } else {
            killed += 1;
        }
        let names: Vec<String> = data
            .json(&["list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["account"].as_str().unwrap().to_string())
            .collect();
        for name in &acknowledged {
            assert!(
                names.contains(name),
                "round {i}: {name} was acknowledged but is gone"
            );
        }
    }
    eprintln!(
        "{killed} of 60 adds killed before acknowledging; {} acknowledged",
        acknowledged.len()
    );
    assert!(
        killed >= 5,
        "the kills must land during adds (only {killed} did)"
    );
    // Nothing but the vault, its previous copy and its lock under a visible name: a
    // killed write leaves at most a hidden temporary file, never a second vault.
    for entry in std::fs::read_dir(data.0.path()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            ["vault.jeton", "vault.jeton.prev", "vault.lock"].contains(&name.as_str())
                || (name.starts_with(".vault.jeton.") && name.ends_with(".tmp")),
            "unexpected file {name}"
        );
    }
}

/// A locked keychain (the login keyring locked, no one to answer the unlock prompt):
/// every command fails with a clear message and the vault is untouched. Runs in its
/// own D-Bus session and keyring so locking cannot disturb the other tests.
#[test]
fn a_locked_keychain_is_a_clear_error_and_the_vault_is_untouched() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let script = r#"
        set -eu
        mkdir -p "$HOME/.cache" "$HOME/.local/share/keyrings"
        printf locked-test | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null
        sleep 0.5
        "$JETON" add "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=CCOMTL" >/dev/null
        before=$(sha256sum "$JETON_DATA_DIR/vault.jeton")
        gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
            --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null
        for args in "list" "code" "add otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQGEZDGNBV"; do
            if timeout 30 "$JETON" $args 2>"$HOME/err"; then echo "UNEXPECTED SUCCESS: $args"; exit 1; fi
            grep -q "locked or refused access" "$HOME/err" || { echo "UNCLEAR: $(cat "$HOME/err")"; exit 1; }
        done
        [ "$before" = "$(sha256sum "$JETON_DATA_DIR/vault.jeton")" ] || { echo "VAULT CHANGED"; exit 1; }
        echo LOCKED-OK
    "#;
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", script])
        .env("HOME", home.path())
        .env_remove("XDG_DATA_HOME")
        // No display: the keyring's unlock prompt must fail at once, not wait on a screen.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_RUNTIME_DIR")
        .env("JETON", env!("CARGO_BIN_EXE_jeton"))
        .env("JETON_DATA_DIR", &data)
        .output()
        .expect("dbus-run-session (Debian package dbus) must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("LOCKED-OK"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Raw UTF-8 right after `otpauth://totp/` (as some generators write it) is read,
/// not a crash; and `--steam` refuses a period Steam does not use.
#[test]
fn raw_utf8_labels_and_steam_periods() {
    let data = Data::new();
    let added = data.ok(&[
        "add",
        "otpauth://totp/Hôpital:élise?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ]);
    assert!(added.starts_with("Added Hôpital: élise ("), "{added}");
    let out = data.run(&[
        "add",
        "--steam",
        "--secret",
        "63BEDWCQZKTQWPESARIERL5DTTQFCJTK",
        "--period",
        "60",
    ]);
    assert!(!out.status.success());
    let secret_echo = data.run(&["add", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"]);
    let stderr = one_line_error(&secret_echo);
    assert!(
        !stderr.contains("JBSWY3DP"),
        "a pasted key is never echoed: {stderr}"
    );
}

/// Reads `/proc/<pid>/environ` as the unprivileged user `nobody`, as another
/// program of the same user would.
fn read_environ_as_nobody(pid: u32) -> std::process::Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .args(["cat", &format!("/proc/{pid}/environ")])
        .output()
        .expect("run setpriv (util-linux)")
}

#[test]
fn another_program_of_the_same_user_cannot_read_jeton_s_memory() {
    // Both run as `nobody`: Jeton waiting for a link on stdin, and `sleep` as the
    // control that the same reader does read an ordinary process.
    let as_nobody = |program: &str, args: &[&str]| {
        Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                program,
            ])
            .args(args)
            .env("JETON_DATA_DIR", "/nonexistent")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run setpriv (util-linux)")
    };
    let mut jeton = as_nobody(env!("CARGO_BIN_EXE_jeton"), &["add", "-"]);
    let mut control = as_nobody("sleep", &["30"]);
    std::thread::sleep(Duration::from_millis(300));
    let ordinary = read_environ_as_nobody(control.id());
    let protected = read_environ_as_nobody(jeton.id());
    let _ = (control.kill(), jeton.kill());
    let _ = (control.wait(), jeton.wait());
    assert!(
        ordinary.status.success(),
        "the control must be readable: {}",
        String::from_utf8_lossy(&ordinary.stderr)
    );
    assert!(!protected.status.success(), "Jeton's process could be read");
    assert!(
        String::from_utf8_lossy(&protected.stderr).contains("Permission denied"),
        "{}",
        String::from_utf8_lossy(&protected.stderr)
    );
}
