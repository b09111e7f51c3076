//! Jeton on the desktop, outside its window: the tray, closing to it, the quick
//! search behind a global shortcut, GNOME Shell's search provider, start at login,
//! and following the vault file so a change the CLI makes shows at once.
//!
//! Why it is built this way: a code is needed many times a day in the middle of a
//! login form, so Jeton stays one keystroke away, but a closed window must cost
//! next to nothing: closing it destroys the webview (its web process exits) and
//! only this Rust process stays, in the tray. Every path that shows the window
//! goes through [`show_main`], which makes it again from `tauri.conf.json`.

mod focus;
#[cfg(target_os = "linux")]
mod portal;
/// Elsewhere there are no desktop portals: typing and shortcuts go the X11-free
/// platform ways, or not at all.
#[cfg(not(target_os = "linux"))]
mod portal {
    pub fn wayland_session() -> bool {
        false
    }
    pub fn can_type() -> bool {
        false
    }
    pub fn type_text(_: &str, _: Option<String>) -> Result<Option<String>, String> {
        Err("typing is not available on this desktop".into())
    }
    pub struct BoundShortcut {
        pub trigger: String,
    }
    pub fn bind_shortcut(
        _: String,
        _: Option<String>,
        _: impl Fn() + Send + 'static,
    ) -> Result<Option<BoundShortcut>, String> {
        Ok(None)
    }
    pub fn portal_trigger(_: &str) -> Option<String> {
        None
    }
}
pub mod quick;
pub mod relaunch;
#[cfg(target_os = "linux")]
mod search_provider;
pub mod settings;
pub mod text;
pub mod tray;
pub mod watch;

use tauri::{AppHandle, Manager, WebviewWindowBuilder};

/// Label of the main window (as in `tauri.conf.json`).
pub const MAIN_WINDOW: &str = "main";
/// The argument that starts Jeton in the tray without a window (start at login,
/// D-Bus activation of the search provider).
pub const HIDDEN_ARG: &str = "--hidden";

/// Whether this launch asked to start without a window.
pub fn hidden_requested<S: AsRef<str>>(args: &[S]) -> bool {
    args.iter().any(|arg| arg.as_ref() == HIDDEN_ARG)
}

/// Sets up everything outside the window, then opens the window unless the
/// launch asked to start hidden. A part that cannot start (no tray host, no
/// session bus, a shortcut taken by another program) is reported and skipped:
/// the window and its codes never depend on it.
pub fn start(app: &AppHandle) {
    if let Err(error) = tray::create(app) {
        eprintln!("Jeton: no tray icon: {error}");
    }
    watch::start(app);
    #[cfg(target_os = "linux")]
    search_provider::start(app);
    quick::bind_shortcut_at_start(app, settings::load().shortcut);
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == quick::QUICK_ARG) {
        quick::open(app);
    } else if !hidden_requested(&args) {
        show_main(app);
    }
}

/// Shows the main window, making it again if it was closed to the tray (from
/// the lean tray, by restarting into an ordinary Jeton: [`relaunch`]).
pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    if relaunch::in_lean_tray() {
        relaunch::restart_with_window(app);
    }
    let Some(config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned()
    else {
        eprintln!("Jeton: tauri.conf.json has no main window");
        return;
    };
    match WebviewWindowBuilder::from_config(app, &config).and_then(|b| b.build()) {
        Ok(window) => {
            let _ = window.set_focus();
        }
        Err(error) => eprintln!("Jeton: the window could not be opened: {error}"),
    }
}

/// Whether closing the last window should leave Jeton running in the tray: the
/// user wants it, and the desktop shows tray icons (else Jeton would be running
/// with no way to reach it but launching it again).
pub fn stays_in_tray() -> bool {
    settings::load().close_to_tray && tray::host_present()
}
