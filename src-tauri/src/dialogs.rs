//! Native folder, open and save dialogs, opened from Rust.
//!
//! The page never names a path: it asks Rust to let the user choose one, and Rust
//! keeps what was chosen. So no path-picking or file permission is granted to the
//! page (none of the dialog plugin's commands is in a capability), and a page
//! that misbehaved could not make Jeton read or write a file the user did not pick.
//!
//! The calls block until the user answers: callers run them on a blocking thread
//! (`tauri::async_runtime::spawn_blocking`), never on the async workers.
//!
//! Debug builds only: `JETON_TEST_DIALOG_PATHS` (paths separated like `PATH`)
//! gives the answers of the next dialogs in turn, instead of showing them, because
//! WebDriver cannot drive a native GTK dialog. Release builds do not contain it.

use std::path::PathBuf;

use tauri::AppHandle;
#[cfg(desktop)]
use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// What the user is asked to choose.
pub enum Choice<'a> {
    /// An existing folder.
    Folder,
    /// An existing file to read.
    Open,
    /// Where to write a new file, suggesting this name.
    Save(&'a str),
}

/// Shows the dialog titled `title` and returns the path the user chose (`None`
/// when they cancelled). Blocking.
pub fn choose(app: &AppHandle, title: &str, choice: Choice) -> Option<PathBuf> {
    #[cfg(debug_assertions)]
    if let Some(answer) = test_answers::next() {
        return answer;
    }
    #[cfg_attr(mobile, allow(unused_mut))]
    let mut dialog: FileDialogBuilder<tauri::Wry> = app.dialog().file().set_title(title);
    #[cfg(desktop)]
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    let chosen = match choice {
        #[cfg(desktop)]
        Choice::Folder => dialog.blocking_pick_folder(),
        // The dialog plugin has no folder picker on Android or iOS: a phone
        // cannot choose a backup folder yet (docs/platforms.md).
        #[cfg(mobile)]
        Choice::Folder => None,
        Choice::Open => dialog.blocking_pick_file(),
        Choice::Save(name) => dialog.set_file_name(name).blocking_save_file(),
    };
    chosen.and_then(|path| path.into_path().ok())
}

#[cfg(debug_assertions)]
mod test_answers {
    //! The scripted answers of `JETON_TEST_DIALOG_PATHS` (debug builds only); an
    //! empty element stands for "cancelled".

    use std::collections::VecDeque;
    use std::path::PathBuf;
    use std::sync::Mutex;

    static ANSWERS: Mutex<Option<VecDeque<PathBuf>>> = Mutex::new(None);

    /// The next scripted answer, or `None` when no script was given (then the real
    /// dialog is shown).
    pub fn next() -> Option<Option<PathBuf>> {
        let paths = std::env::var_os("JETON_TEST_DIALOG_PATHS")?;
        let mut answers = ANSWERS.lock().unwrap_or_else(|p| p.into_inner());
        let queue = answers.get_or_insert_with(|| std::env::split_paths(&paths).collect());
        Some(queue.pop_front().filter(|p| !p.as_os_str().is_empty()))
    }
}
