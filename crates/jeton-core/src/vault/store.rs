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

/// Creates the data folder (mode 0700) if it is missing.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| Error::io("create the folder", dir, e))
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
    file.lock().map_err(|e| Error::io("lock", &path, e))?;
    Ok(file)
}

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
