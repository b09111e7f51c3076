//! Shared by the CLI's integration tests: a data folder of its own for each test,
//! and the `jeton` binary run against it as a user would.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::Vault;
use serde_json::Value;

/// A `JETON_DATA_DIR` of its own, whose keychain entry is removed at the end.
pub struct Data(pub tempfile::TempDir);

impl Data {
    /// A new, empty data folder.
    pub fn new() -> Self {
        Data(tempfile::tempdir().expect("temp dir"))
    }

    /// `jeton ARGS` on this data folder, not yet run.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jeton"));
        cmd.args(args).env("JETON_DATA_DIR", self.0.path());
        cmd
    }

    /// Runs `jeton ARGS` and returns what it did.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run jeton")
    }

    /// Runs `jeton ARGS`, which must succeed, and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "jeton {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Runs `jeton ARGS`, which must succeed and print JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("JSON output")
    }

    /// The accounts in use, as `jeton list --json` prints them.
    pub fn list(&self) -> Vec<Value> {
        self.json(&["list", "--json"])
            .as_array()
            .expect("a JSON array")
            .clone()
    }

    /// The vault file.
    pub fn vault_file(&self) -> PathBuf {
        self.0.path().join("vault.jeton")
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        if let Ok(vault) = Vault::open(self.0.path(), Arc::new(SystemKeychain)) {
            if let Some(id) = vault.id() {
                let _ = SystemKeychain.delete(&id.to_string());
            }
        }
        if let Ok(Some(backup)) =
            jeton_core::settings::Settings::load(self.0.path()).map(|s| s.backup)
        {
            let _ = SystemKeychain.delete(&jeton_core::keychain::backup_key_id(
                &backup.key_id.to_string(),
            ));
        }
    }
}

#[path = "../../../jeton-core/tests/support/shared.rs"]
mod shared;
#[allow(unused_imports)] // Not every test binary reads ../shared.
pub use shared::shared;

/// A file holding `password` on its first line, as `--password-file` reads it.
pub fn password_file(dir: &std::path::Path, password: &str) -> PathBuf {
    let path = dir.join(format!("password-{}", password.len()));
    std::fs::write(&path, format!("{password}\n")).expect("write the password file");
    path
}

/// The target folder the `jeton` binary was built in.
pub fn target_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_BIN_EXE_jeton"))
        .parent()
        .and_then(std::path::Path::parent)
        .expect("jeton binary inside the target folder")
        .to_path_buf()
}

/// The Python of a virtualenv `target/NAME` holding `packages` (from PyPI, made
/// once). It is built under a temporary name and renamed when complete, so a
/// half-made one (interrupted run, concurrent test process) is never used.
pub fn python_venv(name: &str, packages: &[&str], check: &str) -> PathBuf {
    let python = |venv: &std::path::Path| venv.join("bin").join("python");
    let venv = target_dir().join(name);
    if python(&venv).exists() {
        return python(&venv);
    }
    let building = target_dir().join(format!("{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let run_step = |what: &str, cmd: &mut Command| {
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("{name}: cannot run {what}: {e}"));
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&building);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
            panic!(
                "{name}: {what} failed ({}). This test needs `python3 -m venv` and PyPI to \
                 install {packages:?} once into {}.\n{}",
                out.status,
                venv.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
    };
    eprintln!(
        "{name}: creating {} (pip install {packages:?}, once)",
        venv.display()
    );
    run_step(
        "python3 -m venv",
        Command::new("python3").args(["-m", "venv"]).arg(&building),
    );
    run_step(
        "pip install",
        Command::new(python(&building))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(packages),
    );
    run_step(
        "the import check",
        Command::new(python(&building)).args(["-c", check]),
    );
    if std::fs::rename(&building, &venv).is_err() {
        // Another test process finished first: use its virtualenv.
        let _ = std::fs::remove_dir_all(&building);
    }
    assert!(python(&venv).exists(), "{} is complete", venv.display());
    python(&venv)
}
