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
//! Nothing is lost by it: the restart waits while something needs the process
//! as it is ([`keep_process`]: a copied code still to be cleared, since the
//! clipboard belongs to the process and would go with it; a code being typed),
//! and while the vault is in use, whose lock it then holds, so no vault write of
//! this process is cut short (the other files Jeton writes are written
//! atomically: cut short, they stay as they were). The window's size and place
//! are saved first, and the single-instance name is released so the new process
//! takes it over instead of handing itself to the one that is going away.
//! Known cost: on Wayland the restarted tray binds the GlobalShortcuts portal
//! again, which a desktop may confirm with the user.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager};

/// Work that needs this process as it is: a copied code whose clearing is still
/// to come (the clipboard belongs to the process), a code being typed.
static KEPT: AtomicUsize = AtomicUsize::new(0);
/// Whether a restart is already waiting (one at a time).
static RESTART_WAITING: AtomicBool = AtomicBool::new(false);

/// Holds off any restart until the returned guard is dropped.
pub fn keep_process() -> KeepProcess {
    KEPT.fetch_add(1, Ordering::SeqCst);
    KeepProcess
}

/// While it lives, Jeton does not restart (see [`keep_process`]).
pub struct KeepProcess;

impl Drop for KeepProcess {
    fn drop(&mut self) {
        KEPT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Called when the last window has closed and Jeton stays in the tray: once
/// nothing holds the process ([`keep_process`]) and the vault is not in use,
/// and if still no window is open, restarts without WebKit.
pub fn restart_when_idle(app: &AppHandle) {
    if !cfg!(target_os = "linux") || RESTART_WAITING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        // A moment for a window that is about to open (the quick search's Enter
        // closes it and may open the main window), and for the clipboard.
        std::thread::sleep(Duration::from_millis(500));
        while KEPT.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(Duration::from_millis(250));
        }
        let main_thread_app = app.clone();
        let scheduled = app.run_on_main_thread(move || {
            RESTART_WAITING.store(false, Ordering::SeqCst);
            if main_thread_app.webview_windows().is_empty()
                && KEPT.load(Ordering::SeqCst) == 0
                && super::stays_in_tray()
                && !restart_hidden(&main_thread_app)
            {
                // The vault was in use (perhaps behind a keychain prompt): later.
                std::thread::sleep(Duration::from_millis(100));
                restart_when_idle(&main_thread_app);
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
    if KEPT.load(Ordering::SeqCst) == 0 {
        let _ = restart(app, false);
    }
}

/// Replaces this process with `jeton-app --hidden`, the lean tray. Returns
/// false if the vault was in use (try again later); true if the restart failed
/// otherwise, in which case Jeton simply stays in the tray as it is.
fn restart_hidden(app: &AppHandle) -> bool {
    restart(app, true)
}

/// Replaces this process, unless the vault is in use (false) or that fails
/// (true, said on stderr). Runs on the main thread, which must never wait on
/// the vault (another thread may hold it through a keychain prompt).
#[cfg(target_os = "linux")]
fn restart(app: &AppHandle, hidden: bool) -> bool {
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
            return true;
        }
    };
    let vault = app.state::<crate::VaultState>();
    let Some(_no_vault_write_in_progress) = vault.try_hold() else {
        return false;
    };
    if let Err(error) = app.save_window_state(crate::WINDOW_STATE) {
        eprintln!("Jeton: the window's size and place were not saved: {error}");
    }
    if let Err(error) = jeton_core::process::close_files_on_exec() {
        eprintln!("Jeton: could not restart ({error})");
        return true;
    }
    tauri_plugin_single_instance::destroy(app);
    // WebKit's network process outlives the last webview; the new program would
    // never reap it.
    jeton_core::process::end_children(Duration::from_secs(2));
    let mut command = std::process::Command::new(&program);
    if hidden {
        // The new process makes itself lean (lean_when_started_hidden).
        command.arg(super::HIDDEN_ARG);
    } else if let Some(changed) = std::env::var_os(LEAN_TRAY) {
        if changed == "gl" {
            command.env_remove("GDK_GL");
        }
        command.env_remove(LEAN_TRAY);
    }
    let error = command.exec();
    // Still here: the old process carries on, without its single-instance name
    // (a second launch starts a second Jeton rather than none).
    eprintln!("Jeton: could not restart {}: {error}", program.display());
    true
}

#[cfg(not(target_os = "linux"))]
fn restart(_: &AppHandle, _: bool) -> bool {
    true
}
