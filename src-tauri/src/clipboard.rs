//! Copying codes: the code goes to the clipboard from Rust (the page never needs
//! clipboard rights) and is cleared 30 s later, but only if the clipboard still
//! holds that code, so whatever the user copied since is left alone.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use uuid::Uuid;

use crate::{AppError, VaultState};

/// How long a copied code stays in the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Puts a one-time code in the clipboard (hinted as secret so clipboard managers
/// skip it) and schedules its removal.
pub fn copy_code<R: Runtime>(app: &AppHandle<R>, code: String) -> Result<(), AppError> {
    // Until it is cleared, Jeton keeps this process (the clipboard goes with it).
    let kept = hold_process();
    app.clipboard()
        .write_secret(code.as_str())
        .map_err(|e| AppError::Clipboard(e.to_string()))?;
    let app = app.clone();
    std::thread::spawn(move || {
        let _kept = kept;
        std::thread::sleep(CLEAR_AFTER);
        let clipboard = app.clipboard();
        if clipboard.read_text().ok().as_deref() == Some(code.as_str()) {
            let _ = clipboard.clear();
        }
    });
    Ok(())
}

/// Copies an account's current code (the list, the tray, the quick search and
/// the search provider all copy this way).
pub fn copy_account_code<R: Runtime>(app: &AppHandle<R>, id: Uuid) -> Result<(), AppError> {
    copy_code(app, app.state::<VaultState>().current_code(id)?)
}

/// Puts ordinary text (not a secret) in the clipboard.
pub fn copy_text<R: Runtime>(app: &AppHandle<R>, text: &str) -> Result<(), AppError> {
    // Kept as long as a code would be, for the user to paste it.
    let kept = hold_process();
    app.clipboard()
        .write_text(text)
        .map_err(|e| AppError::Clipboard(e.to_string()))?;
    std::thread::spawn(move || {
        let _kept = kept;
        std::thread::sleep(CLEAR_AFTER);
    });
    Ok(())
}

/// The QR payloads in the clipboard's image.
pub fn scan_image<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<String>, AppError> {
    let image = app
        .clipboard()
        .read_image()
        .map_err(|_| AppError::NoClipboardImage)?;
    let frame = jeton_scan::LumaFrame::from_rgba8(image.width(), image.height(), image.rgba())?;
    let texts = jeton_scan::decode_luma(&frame);
    if texts.is_empty() {
        return Err(jeton_scan::ScanError::NoQrFound.into());
    }
    Ok(texts)
}

/// Keeps this process running until dropped: on the desktop the lean tray
/// restarts itself once idle (`desktop::relaunch`), which would take the
/// clipboard's contents with it. A phone has no such restart.
#[cfg(desktop)]
fn hold_process() -> impl Sized {
    crate::desktop::relaunch::keep_process()
}

#[cfg(mobile)]
fn hold_process() -> impl Sized {}
