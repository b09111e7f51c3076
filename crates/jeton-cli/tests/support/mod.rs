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
    }
}
