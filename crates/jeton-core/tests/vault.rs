//! The vault against a real Secret Service (run inside `scripts/with-session`):
//! every operation, what is on disk, and what happens when the key or file is bad.

mod support;

use std::sync::Arc;

use jeton_core::keychain::{KeyStore, SystemKeychain};
use jeton_core::{uri, Error, Kind, Vault};
use support::TempVault;

const KEYCLOAK: &str = "otpauth://totp/CCOMTL:WXYZ2620?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&digits=6&algorithm=HmacSHA1&issuer=CCOMTL&period=30";
const GITHUB_80_BIT: &str = "otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const SHA256_8: &str = "otpauth://totp/OneGov%20GED:marie.tremblay%40gouv.qc.ca?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=OneGov%20GED&algorithm=SHA256&digits=8";

#[test]
fn add_list_rename_reorder_delete_restore_purge() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    assert!(vault.accounts().is_empty());
    assert!(!temp.file().exists(), "opening must not create anything");

    let keycloak = vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let github = vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap();
    let gov = vault.add(uri::parse(SHA256_8).unwrap()).unwrap();
    let names: Vec<_> = vault.accounts().iter().map(|a| a.label()).collect();
    assert_eq!(
        names,
        [
            "CCOMTL: WXYZ2620",
            "GitHub: octocat",
            "OneGov GED: marie.tremblay@gouv.qc.ca"
        ]
    );

    vault.rename(github, "GitHub (work)", "octo").unwrap();
    vault.reorder(&[gov, keycloak]).unwrap();
    vault.delete(keycloak).unwrap();

    // A second handle (as another process would) sees it all.
    let other = temp.open();
    let names: Vec<_> = other.accounts().iter().map(|a| a.label()).collect();
    assert_eq!(
        names,
        [
            "OneGov GED: marie.tremblay@gouv.qc.ca",
            "GitHub (work): octo"
        ]
    );
    assert_eq!(other.trash().len(), 1);

    vault.restore(keycloak).unwrap();
    let order: Vec<_> = vault.accounts().iter().map(|a| a.id).collect();
    assert_eq!(order, [gov, keycloak, github], "restored to its place");
    assert!(
        matches!(vault.purge(keycloak), Err(Error::NotFound(_))),
        "purge only from trash"
    );
    vault.delete(keycloak).unwrap();
    vault.purge(keycloak).unwrap();
    let mut reread = temp.open();
    reread.refresh().unwrap();
    assert_eq!(reread.accounts().len(), 2);
    assert!(reread.trash().is_empty());
}

#[test]
fn duplicates_are_reported_and_nothing_is_written() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    let first = vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let before = std::fs::read(temp.file()).unwrap();
    let again = uri::parse(&KEYCLOAK.replace("WXYZ2620", "someone-else")).unwrap();
    match vault.add(again) {
        Err(Error::Duplicate { id, issuer_account }) => {
            assert_eq!(id, first);
            assert_eq!(issuer_account, "CCOMTL: WXYZ2620");
        }
        other => panic!("expected a duplicate, got {other:?}"),
    }
    assert_eq!(std::fs::read(temp.file()).unwrap(), before);
    assert_eq!(vault.accounts().len(), 1);
}

#[test]
fn hotp_next_advances_and_persists_the_counter() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    let id = vault
        .add(
            uri::parse("otpauth://hotp/Lab:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0")
                .unwrap(),
        )
        .unwrap();
    assert_eq!(vault.code_views("", 0).unwrap()[0].code, "755224");
    assert_eq!(vault.hotp_next(id).unwrap().code, "287082");
    assert_eq!(vault.hotp_next(id).unwrap().code, "359152");
    let reopened = temp.open();
    let view = &reopened.code_views("lab", 0).unwrap()[0];
    assert_eq!((view.code.as_str(), view.counter), ("359152", Some(2)));
    let totp = vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    assert!(matches!(vault.hotp_next(totp), Err(Error::NotHotp)));
}

#[test]
fn the_file_holds_no_secret_in_any_encoding_and_is_private() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    for link in [KEYCLOAK, GITHUB_80_BIT, SHA256_8] {
        vault.add(uri::parse(link).unwrap()).unwrap();
    }
    let bytes = std::fs::read(temp.file()).unwrap();
    for account in vault.accounts() {
        let raw = account.secret.as_bytes();
        let encodings = [
            raw.to_vec(),
            account.secret.to_base32().as_bytes().to_vec(),
            account.secret.to_base32().to_lowercase().into_bytes(),
            data_encoding::HEXLOWER.encode(raw).into_bytes(),
            data_encoding::HEXUPPER.encode(raw).into_bytes(),
            data_encoding::BASE64.encode(raw).into_bytes(),
            data_encoding::BASE64_NOPAD.encode(raw).into_bytes(),
        ];
        for needle in encodings {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{}",
                account.label()
            );
        }
        for name in [&account.issuer, &account.name] {
            assert!(
                !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
                "names are encrypted too"
            );
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(temp.file()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn a_missing_key_is_a_clear_error_and_nothing_changes() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let vault_id = vault.id().unwrap().to_string();
    let before = std::fs::read(temp.file()).unwrap();
    let key = SystemKeychain.load(&vault_id).unwrap().unwrap();
    SystemKeychain.delete(&vault_id).unwrap();

    let err = Vault::open(temp.dir.path(), Arc::new(SystemKeychain)).unwrap_err();
    assert_eq!(err.code(), "keychain.key_missing");
    assert!(
        err.to_string().contains("missing from the OS keychain"),
        "{err}"
    );
    // The already-open handle still holds the key in memory: it must not write
    // with it (nobody could open that vault after this process), nor make a new one.
    let err = vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap_err();
    assert_eq!(err.code(), "keychain.key_missing", "{err}");
    assert_eq!(std::fs::read(temp.file()).unwrap(), before);
    assert_eq!(vault.id().map(|id| id.to_string()), Some(vault_id.clone()));
    assert!(
        SystemKeychain.load(&vault_id).unwrap().is_none(),
        "no new key was made"
    );

    // Putting the key back brings everything back, the open handle included.
    SystemKeychain.store(&vault_id, &key).unwrap();
    assert_eq!(temp.open().accounts().len(), 1);
    vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap();
    assert_eq!(temp.open().accounts().len(), 2);
}

#[test]
fn a_damaged_or_foreign_file_is_never_overwritten() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let mut bytes = std::fs::read(temp.file()).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(temp.file(), &bytes).unwrap();

    let err = Vault::open(temp.dir.path(), Arc::new(SystemKeychain)).unwrap_err();
    assert_eq!(err.code(), "vault.corrupt");
    let err = vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap_err();
    assert_eq!(err.code(), "vault.corrupt");
    assert_eq!(std::fs::read(temp.file()).unwrap(), bytes);

    std::fs::write(temp.file(), b"not a vault at all").unwrap();
    assert_eq!(
        Vault::open(temp.dir.path(), Arc::new(SystemKeychain))
            .unwrap_err()
            .code(),
        "vault.corrupt"
    );
    assert_eq!(std::fs::read(temp.file()).unwrap(), b"not a vault at all");
}

#[test]
fn concurrent_writers_lose_nothing() {
    let temp = TempVault::new();
    temp.open().add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let dir = temp.dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut vault = Vault::open(&dir, Arc::new(SystemKeychain)).unwrap();
                for i in 0..10 {
                    let secret = data_encoding::BASE32_NOPAD
                        .encode(format!("thread-{t}-account-{i}-xx").as_bytes());
                    let link = format!("otpauth://totp/T{t}:a{i}?secret={secret}");
                    vault.add(uri::parse(&link).unwrap()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let vault = temp.open();
    assert_eq!(vault.accounts().len(), 41);
    let mut positions: Vec<_> = vault.accounts().iter().map(|a| a.position).collect();
    positions.dedup();
    assert_eq!(positions.len(), 41, "every account has its own place");
}

#[test]
fn ids_resolve_by_unique_prefix() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    let id = vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    assert_eq!(vault.find(&id.to_string()[..8]).unwrap().id, id);
    assert_eq!(vault.find(&id.to_string().to_uppercase()).unwrap().id, id);
    assert!(matches!(vault.find("zzzz"), Err(Error::NotFound(_))));
    let view = &vault.code_views("ccomtl", 1_700_000_000).unwrap()[0];
    assert_eq!(view.kind, Kind::Totp);
    assert_eq!(view.seconds_left, Some(10));
}

/// Records the vault ids whose keys were stored, and passes everything on to the
/// real keychain.
struct RecordingKeychain(std::sync::Mutex<Vec<String>>);

impl KeyStore for RecordingKeychain {
    fn load(&self, vault_id: &str) -> jeton_core::Result<Option<jeton_core::keychain::VaultKey>> {
        SystemKeychain.load(vault_id)
    }
    fn store(
        &self,
        vault_id: &str,
        key: &jeton_core::keychain::VaultKey,
    ) -> jeton_core::Result<()> {
        self.0.lock().unwrap().push(vault_id.to_string());
        SystemKeychain.store(vault_id, key)
    }
    fn delete(&self, vault_id: &str) -> jeton_core::Result<()> {
        SystemKeychain.delete(vault_id)
    }
}

/// A tmpfs of 64 KiB mounted for one test (root can; these machines run as root),
/// unmounted when dropped: a real full disk.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount() -> Self {
        Self::mount_sized("64k")
    }

    fn mount_sized(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "mounting a tmpfs needs root");
        SmallDisk(dir)
    }

    /// Fills the disk to the last byte.
    fn fill(&self) -> std::path::PathBuf {
        let ballast = self.0.path().join("ballast");
        let mut file = std::fs::File::create(&ballast).unwrap();
        let block = vec![0u8; 4096];
        while std::io::Write::write_all(&mut file, &block).is_ok() {}
        ballast
    }
}

impl SmallDisk {
    /// Makes the disk read-only (`true`) or writable again.
    fn set_read_only(&self, read_only: bool) {
        let option = if read_only {
            "remount,ro"
        } else {
            "remount,rw"
        };
        let status = std::process::Command::new("mount")
            .args(["-o", option])
            .arg(self.0.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "remounting the tmpfs");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_first_write_that_fails_leaves_no_key_behind_in_the_keychain() {
    let disk = SmallDisk::mount();
    let ballast = disk.fill();
    let keychain = Arc::new(RecordingKeychain(Default::default()));
    let mut vault = Vault::open(disk.0.path(), keychain.clone()).unwrap();
    let err = vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap_err();
    assert_eq!(err.code(), "io.failed", "{err}");
    assert!(!disk.0.path().join("vault.jeton").exists());
    let stored = keychain.0.lock().unwrap().clone();
    assert_eq!(stored.len(), 1, "one key was made for the first write");
    assert!(
        SystemKeychain.load(&stored[0]).unwrap().is_none(),
        "the key of a vault never written is removed from the keychain"
    );

    // Once there is room again, adding works, with a new key that is kept.
    std::fs::remove_file(ballast).unwrap();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let id = vault.id().expect("a vault id").to_string();
    assert!(SystemKeychain.load(&id).unwrap().is_some());
    let reopened = Vault::open(disk.0.path(), Arc::new(SystemKeychain)).unwrap();
    assert_eq!(reopened.accounts().len(), 1);
    SystemKeychain.delete(&id).unwrap();
}

#[test]
fn a_vault_from_a_newer_jeton_is_never_written_over() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let mut bytes = std::fs::read(temp.file()).unwrap();
    bytes[8..10].copy_from_slice(&2u16.to_le_bytes());
    std::fs::write(temp.file(), &bytes).unwrap();

    // The handle opened before notices the new file and refuses to write over it.
    let err = vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap_err();
    assert!(matches!(err, Error::VaultTooNew(2)), "{err}");
    assert!(err.to_string().contains("update Jeton"), "{err}");
    assert!(matches!(
        vault.rename(vault.accounts()[0].id, "x", "y"),
        Err(Error::VaultTooNew(2))
    ));
    let err = Vault::open(temp.dir.path(), Arc::new(SystemKeychain)).unwrap_err();
    assert_eq!(err.code(), "vault.too_new");
    assert_eq!(std::fs::read(temp.file()).unwrap(), bytes, "byte-identical");
    assert!(
        !temp
            .dir
            .path()
            .join(jeton_core::vault::PREVIOUS_FILE)
            .exists()
            || {
                // .prev is the vault before the one add that succeeded, never the new file.
                std::fs::read(temp.dir.path().join(jeton_core::vault::PREVIOUS_FILE)).unwrap()
                    != bytes
            }
    );
    // Put the version back (as the newer Jeton would read it): the key and the
    // accounts are all still there.
    bytes[8..10].copy_from_slice(&1u16.to_le_bytes());
    std::fs::write(temp.file(), &bytes).unwrap();
    assert_eq!(temp.open().accounts().len(), 1);
}

#[test]
fn a_tampered_header_is_refused_and_the_file_left_as_it_is() {
    let temp = TempVault::new();
    let keychain = Arc::new(RecordingKeychain(Default::default()));
    let mut vault = Vault::open(temp.dir.path(), keychain.clone()).unwrap();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let good = std::fs::read(temp.file()).unwrap();
    // Magic, version (1 -> 0), cipher id, every vault id byte, every nonce byte.
    let spots = [0usize, 7, 8, 10, 11]
        .into_iter()
        .chain(12..28)
        .chain(28..52);
    for at in spots {
        let mut bytes = good.clone();
        bytes[at] ^= if at == 8 { 0x01 } else { 0x20 };
        std::fs::write(temp.file(), &bytes).unwrap();
        let err = vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap_err();
        let want = if (12..28).contains(&at) {
            // Another vault id: its key is not in the keychain.
            "keychain.key_missing"
        } else {
            "vault.corrupt"
        };
        assert_eq!(err.code(), want, "byte {at}: {err}");
        assert_eq!(std::fs::read(temp.file()).unwrap(), bytes, "byte {at}");
        assert_eq!(
            Vault::open(temp.dir.path(), Arc::new(SystemKeychain))
                .unwrap_err()
                .code(),
            want
        );
    }
    assert_eq!(keychain.0.lock().unwrap().len(), 1, "never a new key");
    std::fs::write(temp.file(), &good).unwrap();
    vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap();
    assert_eq!(temp.open().accounts().len(), 2);
}

#[test]
fn a_lock_held_too_long_by_another_process_says_another_jeton_is_writing() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let before = std::fs::read(temp.file()).unwrap();
    // Another process holding the lock (as a stuck Jeton would), alone: killing
    // it releases the lock.
    let mut holder = std::process::Command::new("python3")
        .args([
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'w'); \
             fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
        ])
        .arg(temp.dir.path().join("vault.lock"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    // It says when it holds the lock (a loaded machine may take long to start it).
    let mut said = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.take().unwrap()),
        &mut said,
    )
    .unwrap();
    assert_eq!(said.trim(), "locked");
    let started = std::time::Instant::now();
    let err = vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap_err();
    let waited = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(err.code(), "vault.busy", "{err}");
    assert!(
        err.to_string().contains("another Jeton is writing"),
        "{err}"
    );
    assert!(waited < std::time::Duration::from_secs(10), "{waited:?}");
    assert_eq!(std::fs::read(temp.file()).unwrap(), before);
    // Once the other writer is gone, the change goes through.
    vault.add(uri::parse(GITHUB_80_BIT).unwrap()).unwrap();
}

/// A full disk and a read-only one, under the vault during add, rename and import,
/// and under the backup folder during a change: each a clear error, and the vault
/// and the newest backup byte for byte as they were.
#[test]
fn a_full_or_read_only_disk_leaves_the_vault_and_the_newest_backup_intact() {
    use jeton_core::backup::{self, auto};
    let data = SmallDisk::mount_sized("256k");
    let backups = SmallDisk::mount_sized("256k");
    let keychain = Arc::new(SystemKeychain);
    let mut vault = Vault::open(data.0.path(), keychain.clone()).unwrap();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let settings = auto::configure(
        data.0.path(),
        &*keychain,
        backups.0.path(),
        5,
        "correct horse battery staple",
    )
    .unwrap();
    vault.backup_now().unwrap().expect("a first backup");
    let id = vault.accounts()[0].id;
    let newest_backup = || auto::list(backups.0.path()).pop().expect("a backup");
    let (vault_bytes, backup_path) = (std::fs::read(vault.path()).unwrap(), newest_backup());
    let backup_bytes = std::fs::read(&backup_path).unwrap();
    let intact = |vault: &mut Vault, what: &str| {
        assert_eq!(
            std::fs::read(vault.path()).unwrap(),
            vault_bytes,
            "{what}: the vault changed"
        );
        assert_eq!(
            newest_backup(),
            backup_path,
            "{what}: a newer backup appeared"
        );
        assert_eq!(
            std::fs::read(&backup_path).unwrap(),
            backup_bytes,
            "{what}: the backup changed"
        );
        let reopened = Vault::open(vault.dir(), Arc::new(SystemKeychain)).unwrap();
        let names: Vec<_> = reopened.accounts().iter().map(|a| a.label()).collect();
        assert_eq!(names, ["CCOMTL: WXYZ2620"], "{what}: the accounts changed");
        assert_eq!(
            vault.accounts().len(),
            1,
            "{what}: memory holds a change not on disk"
        );
    };
    let import = || {
        backup::read(
            format!("{GITHUB_80_BIT}\n{SHA256_8}\n").as_bytes(),
            None,
            None,
        )
        .unwrap()
        .into_accounts()
    };
    let attempts = |vault: &mut Vault| -> Vec<(&'static str, jeton_core::Result<()>)> {
        vec![
            (
                "add",
                vault.add(uri::parse(GITHUB_80_BIT).unwrap()).map(drop),
            ),
            ("rename", vault.rename(id, "Renamed", "someone")),
            ("import", vault.add_new(import()).map(drop)),
            ("delete", vault.delete(id)),
        ]
    };

    // The vault's disk full to the last byte.
    let ballast = data.fill();
    for (what, outcome) in attempts(&mut vault) {
        let error = outcome.expect_err(what);
        assert_eq!(error.code(), "io.failed", "{what} on a full disk: {error}");
        assert!(
            error.to_string().contains("No space left"),
            "{what}: {error}"
        );
        intact(&mut vault, what);
    }
    std::fs::remove_file(ballast).unwrap();

    // The vault's disk read-only.
    data.set_read_only(true);
    for (what, outcome) in attempts(&mut vault) {
        let error = outcome.expect_err(what);
        assert_eq!(
            error.code(),
            "io.failed",
            "{what} on a read-only disk: {error}"
        );
        assert!(error.to_string().contains("Read-only"), "{what}: {error}");
        intact(&mut vault, what);
    }
    data.set_read_only(false);

    // The backup folder full, then read-only: the change stands, its backup fails
    // loudly, and the newest backup already there is left alone.
    for (how, make_fault, clear_fault) in [
        (
            "full",
            Box::new(|| drop(backups.fill())) as Box<dyn Fn()>,
            Box::new(|| std::fs::remove_file(backups.0.path().join("ballast")).unwrap())
                as Box<dyn Fn()>,
        ),
        (
            "read-only",
            Box::new(|| backups.set_read_only(true)),
            Box::new(|| backups.set_read_only(false)),
        ),
    ] {
        make_fault();
        vault
            .rename(id, "CCOMTL", &format!("after a {how} backup folder"))
            .unwrap();
        let outcome = vault.take_backup_outcome().expect("a backup was attempted");
        let error = outcome.expect_err("the backup cannot be written");
        assert_eq!(error.code(), "backup.folder", "{how}: {error}");
        let reason = if how == "full" {
            "No space left"
        } else {
            "Read-only"
        };
        assert!(
            error.to_string().contains(reason),
            "{how}: says why: {error}"
        );
        let folder = backups.0.path().display().to_string();
        assert!(
            error.to_string().contains(&folder),
            "{how}: says where: {error}"
        );
        assert_eq!(
            newest_backup(),
            backup_path,
            "{how}: a partial backup was left"
        );
        assert_eq!(std::fs::read(&backup_path).unwrap(), backup_bytes, "{how}");
        let temp_files: Vec<_> = std::fs::read_dir(backups.0.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "ballast")
            .filter(|name| !name.ends_with(".jetonbackup"))
            .collect();
        assert!(temp_files.is_empty(), "{how}: left behind {temp_files:?}");
        clear_fault();
    }
    let reopened = Vault::open(data.0.path(), Arc::new(SystemKeychain)).unwrap();
    assert_eq!(
        reopened.accounts()[0].name,
        "after a read-only backup folder"
    );
    // Room again: the next change is backed up.
    vault.rename(id, "CCOMTL", "WXYZ2620").unwrap();
    assert!(vault.take_backup_outcome().expect("attempted").is_ok());
    assert_ne!(newest_backup(), backup_path);

    let vault_id = vault.id().unwrap().to_string();
    SystemKeychain.delete(&vault_id).unwrap();
    let _ = SystemKeychain.delete(&jeton_core::keychain::backup_key_id(
        &settings.key_id.to_string(),
    ));
}

/// A write killed mid-way leaves its temporary file; the next change (under the
/// vault lock, so no writer can still own it) removes it, and nothing else.
#[test]
fn the_next_change_removes_what_a_killed_write_left_and_nothing_else() {
    let temp = TempVault::new();
    let mut vault = temp.open();
    vault.add(uri::parse(KEYCLOAK).unwrap()).unwrap();
    let dir = temp.dir.path();
    let abandoned = [
        ".vault.jeton.0123456789abcdef.tmp",
        ".vault.jeton.prev.fedcba9876543210.tmp",
        ".backup-status.json.00112233aabbccdd.tmp",
    ];
    let others = [
        ".settings.json.0123456789abcdef.tmp",
        ".vault.jeton.notours.tmp",
        "notes.txt",
    ];
    for name in abandoned.iter().chain(&others) {
        std::fs::write(dir.join(name), b"left behind").unwrap();
    }
    vault
        .rename(vault.accounts()[0].id, "CCOMTL", "renamed")
        .unwrap();
    for name in abandoned {
        assert!(!dir.join(name).exists(), "{name} was left");
    }
    for name in others {
        assert!(
            dir.join(name).exists(),
            "{name} is not the vault's and must stay"
        );
    }
}
