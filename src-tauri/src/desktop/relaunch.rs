//! Leaving WebKit behind in the tray: once the last window is gone, Jeton
//! replaces itself (`exec`) with a fresh `jeton-app --hidden`.
//!
//! Why: WebKitGTK, once this process has made a webview, stays in it for good
//! (its library pages, its network process, its caches), so a tray that once
//! showed the window holds about 220 MB resident for a window that is closed. A
//! process that never made a webview holds a fraction of that. The same program
//! started hidden is exactly the tray the user had: the same icon and menu, the
//! same shortcut and search provider, the same process id; the window comes back
//! from "Show Jeton" as it always does.
//!
//! The restarted tray, like any Jeton started hidden, starts GDK without OpenGL (`GDK_GL=disable`, unless
//! the user set `GDK_GL`): opening the display otherwise loads the GL driver
//! (Mesa with LLVM, about 50 MB) for a process that draws nothing but a menu. So
//! that no window is ever drawn in such a process, showing the window from it
//! restarts once more into an ordinary Jeton (the quick search, small, opens in
//! place, since it must be on screen at once).
//!
//! Nothing is lost by it: the restart waits while a copied code is still to be
//! cleared (the clipboard belongs to this process and would go with it), and it
//! happens with the vault's lock held, so no write of this process is cut short;
//! the window's size and position are saved first, and the single-instance name
//! is released so the new process takes it over instead of handing itself to the
//! one that is going away.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager};

/// Copied codes whose clearing is still to come.
static CLEARS_PENDING: AtomicUsize = AtomicUsize::new(0);
/// Whether a restart is already waiting (one at a time).
static RESTART_WAITING: AtomicBool = AtomicBool::new(false);

/// Notes a copied code that will be cleared; the returned guard says when it has been.
pub fn clear_pending() -> ClearPending {
    CLEARS_PENDING.fetch_add(1, Ordering::SeqCst);
    ClearPending
}

/// Held while a copied code waits to be cleared.
pub struct ClearPending;

impl Drop for ClearPending {
    fn drop(&mut self) {
        CLEARS_PENDING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Called when the last window has closed and Jeton stays in the tray: once no
/// copied code waits to be cleared, and if still no window is open, restarts
/// without WebKit. A window opened in the meantime calls it off.
pub fn restart_when_idle(app: &AppHandle) {
    if !cfg!(target_os = "linux") || RESTART_WAITING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        // A moment for a window that is about to open (the quick search's Enter
        // closes it and may open the main window), and for the clipboard.
        std::thread::sleep(Duration::from_millis(500));
        while CLEARS_PENDING.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(Duration::from_millis(250));
        }
        let main_thread_app = app.clone();
        let scheduled = app.run_on_main_thread(move || {
            RESTART_WAITING.store(false, Ordering::SeqCst);
            if main_thread_app.webview_windows().is_empty()
                && CLEARS_PENDING.load(Ordering::SeqCst) == 0
                && super::stays_in_tray()
            {
                restart_hidden(&main_thread_app);
            }
        });
        if scheduled.is_err() {
            RESTART_WAITING.store(false, Ordering::SeqCst);
        }
    });
}

/// Set in the restarted tray's environment: what it changed there, undone on
/// the way back to a window.
const LEAN_TRAY: &str = "JETON_LEAN_TRAY";

/// A Jeton started hidden (at login, by D-Bus activation) is a lean tray from the
/// start. Called first thing, before any thread exists (it sets the environment).
pub fn lean_when_started_hidden() {
    let args: Vec<String> = std::env::args().collect();
    if cfg!(target_os = "linux") && super::hidden_requested(&args) && !in_lean_tray() {
        if std::env::var_os("GDK_GL").is_none() {
            std::env::set_var("GDK_GL", "disable");
            std::env::set_var(LEAN_TRAY, "gl");
        } else {
            std::env::set_var(LEAN_TRAY, "");
        }
    }
}

/// Whether this process is a lean tray (started hidden, or restarted so).
pub fn in_lean_tray() -> bool {
    std::env::var_os(LEAN_TRAY).is_some()
}

/// From the lean tray, restarts into an ordinary Jeton that shows its window.
/// Returns if it did not (a copied code is still to be cleared, which the
/// clipboard would lose, or the restart failed): the caller then shows the
/// window here.
pub fn restart_with_window(app: &AppHandle) {
    if CLEARS_PENDING.load(Ordering::SeqCst) == 0 {
        restart(app, false);
    }
}

/// Replaces this process with `jeton-app --hidden`, the lean tray; returns only
/// if that failed, in which case Jeton simply stays in the tray as it is.
fn restart_hidden(app: &AppHandle) {
    restart(app, true);
}

#[cfg(target_os = "linux")]
fn restart(app: &AppHandle, hidden: bool) {
    use std::os::unix::process::CommandExt;
    use tauri_plugin_window_state::AppHandleExt;

    let program = match std::env::current_exe() {
        // After an upgrade the running file is gone: start the new one.
        Ok(path) => {
            let shown = path.to_string_lossy();
            match shown.strip_suffix(" (deleted)") {
                Some(current) => std::path::PathBuf::from(current),
                None => path,
            }
        }
        Err(error) => {
            eprintln!("Jeton: could not restart ({error})");
            return;
        }
    };
    if let Err(error) = app.save_window_state(crate::WINDOW_STATE) {
        eprintln!("Jeton: the window's size and place were not saved: {error}");
    }
    let vault = app.state::<crate::VaultState>();
    let _no_write_in_progress = vault.hold();
    if let Err(error) = jeton_core::process::close_files_on_exec() {
        eprintln!("Jeton: could not restart ({error})");
        return;
    }
    tauri_plugin_single_instance::destroy(app);
    // WebKit's network process outlives the last webview; the new program would
    // never reap it.
    jeton_core::process::end_children(Duration::from_secs(2));
    let mut command = std::process::Command::new(&program);
    match (hidden, std::env::var_os(LEAN_TRAY)) {
        (true, None) if std::env::var_os("GDK_GL").is_none() => {
            command.env("GDK_GL", "disable").env(LEAN_TRAY, "gl");
        }
        (true, None) => {
            command.env(LEAN_TRAY, "");
        }
        (true, Some(_)) => {}
        (false, Some(changed)) => {
            if changed == "gl" {
                command.env_remove("GDK_GL");
            }
            command.env_remove(LEAN_TRAY);
        }
        (false, None) => {}
    }
    if hidden {
        command.arg(super::HIDDEN_ARG);
    }
    let error = command.exec();
    // Still here: the old process carries on, without its single-instance name
    // (a second launch starts a second Jeton rather than none).
    eprintln!("Jeton: could not restart {}: {error}", program.display());
}

#[cfg(not(target_os = "linux"))]
fn restart(_: &AppHandle, _: bool) {}
