//! The user's settings, one JSON file beside the vault (`settings.json`), read and
//! written by the core so the app and the CLI honour the same choices.
//!
//! Why it is built this way: settings hold no secret (the backup key is in the
//! keychain, only its salt and cost are here), so plain JSON that a person can
//! read is right; keys this build does not know are kept as they are, so an older
//! Jeton never erases a newer one's settings; writes are atomic like the vault's.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::backup::jeton::KdfParams;
use crate::error::{Error, Result};

/// File name of the settings inside the data directory.
pub const SETTINGS_FILE: &str = "settings.json";
/// Largest settings file read (it is a few hundred bytes).
const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Every setting Jeton keeps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Settings {
    /// Automatic backups, once set up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<BackupSettings>,
    /// How the desktop app behaves outside its window (tray, shortcut).
    #[serde(default)]
    pub desktop: DesktopSettings,
    /// Settings of other (newer) versions, kept untouched.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// Where and how automatic backups are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSettings {
    /// The folder the user chose (often a synced one).
    pub dir: PathBuf,
    /// How many backups to keep there (the newest).
    pub keep: usize,
    /// Argon2id salt and cost of the backup password.
    pub kdf: KdfParams,
    /// Id of the keychain entry holding the key derived from the password.
    pub key_id: Uuid,
}

/// The desktop app's life outside its window. Only the app reads these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DesktopSettings {
    /// Closing the window leaves Jeton running in the tray (when the desktop
    /// shows one); otherwise closing it quits.
    pub close_to_tray: bool,
    /// The user was told once that a closed window leaves Jeton in the tray.
    pub tray_notice_shown: bool,
    /// The global shortcut that opens the quick search ("Ctrl+Alt+J"); empty: none.
    pub shortcut: String,
    /// The language the user chose in the app ("en", "fr"), for the tray's menu
    /// when no window is open; `None` follows the OS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The desktop's token for Jeton's last RemoteDesktop portal session (Wayland
    /// typing), which spares the user the desktop's dialog the next time. It lets
    /// Jeton type, nothing more, and the user can revoke it in the desktop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_desktop_token: Option<String>,
}

/// The global shortcut of a new installation: J for Jeton, with two modifiers
/// that browsers and desktops leave free.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+J";

impl Default for DesktopSettings {
    fn default() -> Self {
        DesktopSettings {
            close_to_tray: true,
            tray_notice_shown: false,
            shortcut: DEFAULT_SHORTCUT.to_string(),
            language: None,
            remote_desktop_token: None,
        }
    }
}

/// Backups kept when the user does not say.
pub const DEFAULT_KEEP: usize = 20;
/// Most backups kept: a backup is a few kilobytes, but a folder of thousands is
/// no use to anyone.
pub const MAX_KEEP: usize = 1000;

impl Settings {
    /// Reads the settings in `dir` (defaults when there are none).
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(SETTINGS_FILE);
        let bytes = match std::fs::metadata(&path) {
            Ok(meta) if meta.len() > MAX_SETTINGS_BYTES => {
                return Err(Error::SettingsCorrupt(path.display().to_string()))
            }
            Ok(_) => std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        serde_json::from_slice(&bytes)
            .map_err(|_| Error::SettingsCorrupt(path.display().to_string()))
    }

    /// Changes the settings in `dir` with `change`, under the data folder's lock, so
    /// two writers (the app's threads, the CLI) never lose each other's change.
    pub fn update<T>(dir: &Path, change: impl FnOnce(&mut Settings) -> Result<T>) -> Result<T> {
        let _lock = crate::vault::lock_data_dir(dir)?;
        let mut settings = Settings::load(dir)?;
        let outcome = change(&mut settings)?;
        settings.save(dir)?;
        Ok(outcome)
    }

    /// Writes the settings to `dir`, atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| Error::SettingsCorrupt(e.to_string()))?;
        crate::vault::create_private_dir(dir)?;
        crate::vault::write_atomically(dir, &dir.join(SETTINGS_FILE), &bytes)
    }
}
