//! The quick search: a global shortcut opens a small popup over whatever window
//! has the focus; typing a few letters finds the account, Enter copies its code,
//! Shift+Enter types it into that window ([`super::focus`]), Escape closes. The
//! popup is its own small page (`ui/quick.html`) with its own capability: it can
//! list codes, copy and type one, and close itself, nothing else.

use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, ShortcutState};
use uuid::Uuid;

use super::focus::{self, Target};
use crate::{clipboard, AppError, VaultState};

/// Label of the popup window.
pub const QUICK_WINDOW: &str = "quick";
/// The argument that opens the quick search in the running Jeton: what a desktop
/// keyboard shortcut runs where Jeton cannot grab one itself (Wayland).
pub const QUICK_ARG: &str = "--quick";

/// The window to type into, noted when the popup opened.
#[derive(Default)]
pub struct QuickState {
    target: Mutex<Option<Target>>,
    /// Whether the global shortcut is registered now.
    registered: Mutex<bool>,
    /// The trigger the desktop's GlobalShortcuts portal bound (Wayland), which
    /// the desktop's settings change from then on.
    portal_trigger: Mutex<Option<String>>,
}

impl QuickState {
    /// Whether the global shortcut is registered now.
    pub fn shortcut_active(&self) -> bool {
        *crate::vault_state::lock(&self.registered)
    }

    /// The trigger the desktop bound, when its portal owns the shortcut.
    pub fn portal_trigger(&self) -> Option<String> {
        crate::vault_state::lock(&self.portal_trigger).clone()
    }
}

/// At start-up on Wayland, asks the desktop's GlobalShortcuts portal for the
/// quick-search shortcut (`shortcut` as the preferred trigger), on a thread of
/// its own: the desktop may ask the user first. Where it has no such portal,
/// [`register_shortcut`] is tried as on X11.
pub fn bind_shortcut_at_start(app: &AppHandle, shortcut: String) {
    if !super::portal::wayland_session() {
        register_shortcut(app, &shortcut);
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        let handle = app.clone();
        let bound = super::portal::bind_shortcut(
            super::text::strings().quick_title.to_string(),
            super::portal::portal_trigger(&shortcut),
            move || {
                let opener = handle.clone();
                let _ = handle.run_on_main_thread(move || open(&opener));
            },
        );
        match bound {
            Ok(Some(bound)) => {
                let state = app.state::<QuickState>();
                *crate::vault_state::lock(&state.portal_trigger) = Some(bound.trigger);
                *crate::vault_state::lock(&state.registered) = true;
            }
            Ok(None) => {
                register_shortcut(&app, &shortcut);
            }
            Err(error) => {
                eprintln!("Jeton: the desktop did not bind the shortcut: {error}");
                register_shortcut(&app, &shortcut);
            }
        }
    });
}

/// Registers `shortcut` (replacing any earlier one; empty: none). Returns whether
/// it is active; a shortcut another program holds is reported, not fatal. Where
/// the desktop's portal owns the shortcut, the desktop's settings change it and
/// this does nothing.
pub fn register_shortcut(app: &AppHandle, shortcut: &str) -> bool {
    let state = app.state::<QuickState>();
    if state.portal_trigger().is_some() {
        return true;
    }
    let shortcuts = app.global_shortcut();
    let _ = shortcuts.unregister_all();
    let active = !shortcut.is_empty()
        && shortcuts
            .on_shortcut(shortcut, |app, _shortcut, event| {
                // This runs on the key-grab thread, which the main thread may be
                // waiting for (re-registering): hand the work over, never wait.
                if event.state == ShortcutState::Pressed {
                    let handle = app.clone();
                    let _ = app.run_on_main_thread(move || open(&handle));
                }
            })
            .map_err(|error| eprintln!("Jeton: the shortcut {shortcut} is not available: {error}"))
            .is_ok();
    *crate::vault_state::lock(&app.state::<QuickState>().registered) = active;
    active
}

/// Whether `shortcut` is one the desktop can register ("Ctrl+Alt+J").
pub fn parses(shortcut: &str) -> bool {
    shortcut
        .parse::<tauri_plugin_global_shortcut::Shortcut>()
        .is_ok()
}

/// Opens the popup (or brings it back), noting the window that has the focus.
pub fn open(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(QUICK_WINDOW) {
        // Already open: the focus may be the popup's own, so the window to type
        // into stays the one noted when it opened.
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let target = focus::focused_window();
    *crate::vault_state::lock(&app.state::<QuickState>().target) = target;
    let built = WebviewWindowBuilder::new(app, QUICK_WINDOW, WebviewUrl::App("quick.html".into()))
        .title(super::text::strings().quick_title)
        .inner_size(420.0, 320.0)
        .resizable(false)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .center()
        .focused(true)
        .build();
    match built {
        Ok(window) => keep_focusing(app, window),
        Err(error) => eprintln!("Jeton: the quick search could not open: {error}"),
    }
}

/// A new window asks for the focus before it is on screen, which X11 ignores
/// when no window manager hands it over: give it again until the popup has it
/// (for at most a second), so typed letters never go to the window behind it.
fn keep_focusing(app: &AppHandle, window: tauri::WebviewWindow) {
    let app = app.clone();
    std::thread::spawn(move || {
        for _ in 0..20 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let (sender, id) = std::sync::mpsc::channel();
            let popup = window.clone();
            let asked = app.run_on_main_thread(move || {
                let _ = sender.send(focus::native_id(&popup));
            });
            if asked.is_err() {
                return;
            }
            match id.recv_timeout(std::time::Duration::from_secs(1)) {
                Ok(Some(id)) if focus::take_focus(id) => return,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
}

/// Closes the popup.
pub fn close(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(QUICK_WINDOW) {
        let _ = window.destroy();
    }
}

/// What Shift+Enter did.
#[derive(Debug, Serialize)]
pub struct TypeOutcome {
    /// The code was typed into the window that had the focus.
    typed: bool,
    /// Not typed: copied instead (the popup says why, then closes).
    copied: bool,
}

/// Types an account's code into the window that had the focus; where that
/// cannot be done, copies it instead.
pub fn type_code(app: &AppHandle, id: Uuid) -> Result<TypeOutcome, AppError> {
    // Closing the popup may leave no window: no restart until the code is typed.
    let _kept = super::relaunch::keep_process();
    if !focus::can_type() {
        clipboard::copy_account_code(app, id)?;
        return Ok(TypeOutcome {
            typed: false,
            copied: true,
        });
    }
    let code = app.state::<VaultState>().current_code(id)?;
    let target = *crate::vault_state::lock(&app.state::<QuickState>().target);
    // The popup goes first, so the keys reach the window under it.
    let (closed_sender, closed) = std::sync::mpsc::channel();
    let handle = app.clone();
    app.run_on_main_thread(move || {
        close(&handle);
        let _ = closed_sender.send(());
    })
    .map_err(|e| AppError::Task(e.to_string()))?;
    let _ = closed.recv_timeout(std::time::Duration::from_secs(2));
    std::thread::sleep(std::time::Duration::from_millis(60));
    focus::type_text(target, &code).map_err(AppError::Typing)?;
    Ok(TypeOutcome {
        typed: true,
        copied: false,
    })
}
