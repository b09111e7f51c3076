//! Jeton's desktop shell: Tauri wiring over `jeton_core`.
//!
//! The webview receives code views (names and codes) and translated-ready errors
//! `{code, message}`; decoded secrets stay in Rust, except in the two replies of the
//! `reveal` capability (an account's QR code and key, the transfer QR codes),
//! which the user asks for and confirms. Each command in [`commands`] is a
//! thin call into the core, so the app and the `jeton` CLI behave the same.

mod adding;
mod app_error;
mod backups;
mod camera;
mod clipboard;
mod commands;
mod dialogs;
mod qr;
mod reveal;
mod system;
mod vault_state;

use tauri::Manager;

pub use app_error::AppError;
pub use vault_state::VaultState;

/// Builds and runs the app until its last window closes.
pub fn run() -> Result<(), tauri::Error> {
    // The keys are in this process's memory: no core dumps, no same-user reading.
    if let Err(error) = jeton_core::process::forbid_memory_reading() {
        eprintln!("Jeton: could not protect this process's memory: {error}");
    }
    tauri::Builder::default()
        // Registered first, as its docs ask: a second launch exits at once and
        // brings the running window to the front instead.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_clipboard_manager::init())
        // Used from Rust only (crate::dialogs): no capability grants its commands.
        .plugin(tauri_plugin_dialog::init())
        .manage(VaultState::default())
        .manage(backups::BackupFlows::default())
        .manage(adding::TransferState::default())
        .manage(camera::CameraState::default())
        // A window that closes leaves no camera running (a reloaded page stops
        // its predecessor's scans itself: ui/camera.js, initCamera).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                window.state::<camera::CameraState>().stop_all();
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::clock_status,
            commands::list_codes,
            commands::account_code,
            commands::add_link,
            commands::add_manual,
            commands::scan_image,
            commands::scan_clipboard,
            commands::scan_screen,
            commands::list_cameras,
            commands::start_camera,
            commands::stop_camera,
            commands::confirm_transfer,
            commands::cancel_transfer,
            commands::rename_account,
            commands::delete_account,
            commands::restore_account,
            commands::purge_account,
            commands::list_trash,
            commands::hotp_next,
            commands::copy_code,
            commands::copy_device_name,
            commands::backup_status,
            commands::choose_backup_folder,
            commands::configure_backups,
            commands::backup_now,
            commands::import_choose,
            commands::import_unlock,
            commands::import_confirm,
            commands::import_cancel,
            commands::export_file,
            commands::transfer_codes,
            commands::recover_backup,
            commands::recover_cancel,
            commands::reveal_account,
        ])
        .run(tauri::generate_context!())
}

/// Shows, unminimises and focuses the main window (used when a second launch is refused).
fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
