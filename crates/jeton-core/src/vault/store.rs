//! The file-system half of the vault: the data folder, the cross-process lock and
//! atomic writes.
//!
//! Why it is built this way:
//! - Nothing is ever lost: each write goes to a temporary file with a random name
//!   (created exclusively, mode 0600, so nobody can plant it), fsynced, renamed over
//!   the target, then the folder is fsynced. A file with the final name is always
//!   whole.
//! - Before the vault is replaced, the file as it was is kept as `vault.jeton.prev`.
//! - Writers hold an exclusive lock on `vault.lock`, so the app and the CLI can
//!   write at the same time.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the lock file inside the data directory.
pub(crate) const LOCK_FILE: &str = "vault.lock";

/// Creates the data folder (mode 0700) if it is missing, and checks that it is
/// private to the user before anything is written there: owned by them, and
/// writable by nobody else (someone who can write to the folder can swap the
/// vault, its `.prev` or the lock). Read or search bits for others (a folder made
/// with `mkdir`) are taken away; write bits or another owner are an error, which
/// the user must fix: repairing them quietly could hide an attack.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| Error::io("create the folder", dir, e))?;
    check_private_dir(dir)
}

#[cfg(unix)]
fn check_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let unsafe_dir = |reason: String| Error::UnsafeDataDir {
        path: dir.display().to_string(),
        reason,
    };
    let metadata = fs::metadata(dir).map_err(|e| Error::io("read", dir, e))?;
    let me = own_uid(dir)?;
    if metadata.uid() != me {
        return Err(unsafe_dir(format!(
            "it belongs to user {}, not to you (user {me})",
            metadata.uid()
        )));
    }
    let mode = metadata.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(unsafe_dir(format!(
            "other users can write to it (mode {mode:o})"
        )));
    }
    if mode & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(mode & 0o7700))
            .map_err(|e| Error::io("make private", dir, e))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private_dir(_dir: &Path) -> Result<()> {
    // Windows: the per-user profile folder's ACL already keeps other users out.
    Ok(())
}

/// The user id this process creates files as.
#[cfg(target_os = "linux")]
fn own_uid(_dir: &Path) -> Result<u32> {
    Ok(rustix::process::geteuid().as_raw())
}

/// The user id this process creates files as: the owner of a file it just made
/// (std has no `geteuid`, and this needs no `unsafe` nor another crate).
#[cfg(all(unix, not(target_os = "linux")))]
fn own_uid(dir: &Path) -> Result<u32> {
    use std::os::unix::fs::MetadataExt;
    let probe = temp_name(dir, Path::new("owner"))?;
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| Error::io("write to", dir, e))?;
    let uid = file.metadata().map(|m| m.uid());
    drop(file);
    let _ = fs::remove_file(&probe);
    uid.map_err(|e| Error::io("read", &probe, e))
}

/// Takes the exclusive cross-process lock of the data folder; released on drop.
pub(crate) fn lock(dir: &Path) -> Result<File> {
    create_private_dir(dir)?;
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    // Another writer holds the lock for a few milliseconds; one that keeps it
    // longer is stuck (or waiting on a keychain prompt): say so instead of hanging.
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(Error::VaultBusy),
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
        }
    }
}

/// How long a change waits for another Jeton (the app, the CLI) to finish writing:
/// a write takes milliseconds, so seconds mean it is stuck.
pub const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// Makes `previous` the file at `path` as it is now, before it is replaced: a hard
/// link (no copy of the bytes) renamed over the previous one, so `previous` is
/// always a whole file.
pub(crate) fn keep_previous(dir: &Path, path: &Path, previous: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let temp = temp_name(dir, previous)?;
    match fs::hard_link(path, &temp) {
        Ok(()) => fs::rename(&temp, previous).map_err(|e| {
            let _ = fs::remove_file(&temp);
            Error::io("replace", previous, e)
        }),
        // A file system without hard links: copy instead.
        Err(_) => {
            let bytes = fs::read(path).map_err(|e| Error::io("read", path, e))?;
            write_atomically(dir, previous, &bytes)
        }
    }
}

/// Removes the temporary files (`.NAME.<16 hex>.tmp`, see [`temp_name`]) that a
/// writer killed mid-write left in `dir`, for the NAMEs `ours` accepts, when they
/// are at least `min_age` old. Beside the vault this runs under the vault lock,
/// which every writer of those names holds, so any found is abandoned (`min_age`
/// zero); in a backup folder, which another machine may share through a sync
/// tool, only old ones are.
pub(crate) fn remove_abandoned_temps(
    dir: &Path,
    ours: impl Fn(&str) -> bool,
    min_age: std::time::Duration,
) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let target = file_name
            .to_str()
            .and_then(|name| name.strip_prefix('.'))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|rest| rest.rsplit_once('.'))
            .filter(|(_, hex)| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|(target, _)| target);
        let old_enough = || {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age >= min_age)
        };
        if target.is_some_and(&ours) && old_enough() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A temporary name beside `path` that nobody can have planted: random, hidden.
pub(crate) fn temp_name(dir: &Path, path: &Path) -> Result<PathBuf> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random)
        .map_err(|e| Error::Keychain(format!("no secure random numbers: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(dir.join(format!(
        ".{name}.{}.tmp",
        data_encoding::HEXLOWER.encode(&random)
    )))
}

/// Writes a file only the user can read, atomically (exports, for the CLI and app).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    write_atomically(&dir, path, bytes)
}

/// Exclusive temporary file (mode 0600, random name) -> write -> fsync -> rename
/// over `path` -> fsync the folder. A file with the final name is always whole.
pub(crate) fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_name(dir, path)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&temp)
        .map_err(|e| Error::io("create", &temp, e))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io("write", &temp, e));
    drop(file);
    let renamed =
        written.and_then(|()| fs::rename(&temp, path).map_err(|e| Error::io("replace", path, e)));
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed?;
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io("sync", dir, e))?;
    Ok(())
}
