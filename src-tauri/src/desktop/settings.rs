//! The desktop settings (`settings.json`'s `desktop` part, shared with the core's
//! other settings) as the app reads and changes them, and the page's view of them.

use jeton_core::settings::{DesktopSettings, Settings};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_autostart::ManagerExt;

use crate::AppError;

/// The desktop settings now; the defaults when the file cannot be read (a
/// corrupt settings file is reported where backups are set up, not here).
pub fn load() -> DesktopSettings {
    jeton_core::vault::default_data_dir()
        .and_then(|dir| Settings::load(&dir))
        .map(|settings| settings.desktop)
        .unwrap_or_default()
}

/// Changes the desktop settings with `change`, keeping every other setting.
pub fn update(change: impl FnOnce(&mut DesktopSettings)) -> Result<DesktopSettings, AppError> {
    let dir = jeton_core::vault::default_data_dir()?;
    Ok(Settings::update(&dir, |settings| {
        change(&mut settings.desktop);
        Ok(settings.desktop.clone())
    })?)
}

/// What the Settings view shows and changes.
#[derive(Debug, Serialize, Deserialize)]
pub struct DesktopView {
    /// Closing the window leaves Jeton in the tray.
    pub close_to_tray: bool,
    /// Whether this desktop shows tray icons at all (else the choice does nothing).
    #[serde(default)]
    pub tray_available: bool,
    /// Jeton starts, in the tray, when the user logs in.
    pub start_at_login: bool,
    /// The quick-search shortcut ("Ctrl+Alt+J"), empty for none.
    pub shortcut: String,
    /// Whether the shortcut is registered now (false: taken, or not possible here).
    #[serde(default)]
    pub shortcut_active: bool,
    /// Where the user changes the shortcut when the desktop owns it (Wayland):
    /// `"portal"` (bound through the desktop's GlobalShortcuts portal, changed
    /// in its settings) or `"wayland"` (no portal: bind `jeton-app --quick`).
    #[serde(default)]
    pub shortcut_note: Option<String>,
    /// The desktop's description of the shortcut it bound (`"portal"` only).
    #[serde(default)]
    pub shortcut_trigger: Option<String>,
}

/// Remembers the language the user chose in the window ("fr", else English), and
/// remakes the tray's menu in it.
pub fn set_language(app: &AppHandle, language: &str) -> Result<(), AppError> {
    let language = if language == "fr" { "fr" } else { "en" }.to_string();
    if load().language.as_deref() != Some(language.as_str()) {
        update(|d| d.language = Some(language))?;
        super::tray::refresh(app);
    }
    Ok(())
}

/// The settings as the page shows them, with what this desktop allows.
pub fn view(app: &AppHandle) -> DesktopView {
    let saved = load();
    let quick = app.state::<super::quick::QuickState>();
    let portal_trigger = quick.portal_trigger();
    DesktopView {
        close_to_tray: saved.close_to_tray,
        tray_available: super::tray::host_present(),
        start_at_login: app.autolaunch().is_enabled().unwrap_or(false),
        shortcut: saved.shortcut,
        shortcut_active: quick.shortcut_active(),
        // Wayland gives shortcuts to the desktop, not to programs: the page says
        // where the desktop lists Jeton's, or where to add one that runs
        // `jeton-app --quick`.
        shortcut_note: portal_trigger
            .as_ref()
            .map(|_| "portal".to_string())
            .or_else(|| super::portal::wayland_session().then(|| "wayland".to_string())),
        shortcut_trigger: portal_trigger,
    }
}

/// Applies what the user chose in Settings, and returns the result.
pub fn apply(app: &AppHandle, wanted: DesktopView) -> Result<DesktopView, AppError> {
    let shortcut = wanted.shortcut.trim().to_string();
    if !shortcut.is_empty() && !super::quick::parses(&shortcut) {
        return Err(AppError::BadShortcut(shortcut));
    }
    let autostart = app.autolaunch();
    if wanted.start_at_login != autostart.is_enabled().unwrap_or(false) {
        let changed = if wanted.start_at_login {
            autostart.enable()
        } else {
            autostart.disable()
        };
        changed.map_err(|e| AppError::Autostart(e.to_string()))?;
    }
    let saved = update(|d| {
        d.close_to_tray = wanted.close_to_tray;
        d.shortcut = shortcut;
    })?;
    super::quick::register_shortcut(app, &saved.shortcut);
    Ok(view(app))
}
