//! Build script of the desktop app: generates the Tauri context from the top-level
//! `tauri.conf.json`, and an `allow-<command>` permission for each of the app's own
//! commands so the capability in `src-tauri/capabilities/` can grant exactly those.

use tauri_build::{AppManifest, Attributes};

/// Every command the webview may call; keep in step with `generate_handler!` in lib.rs.
const COMMANDS: &[&str] = &[
    "app_info",
    "clock_status",
    "list_codes",
    "account_code",
    "add_link",
    "add_manual",
    "scan_image",
    "scan_clipboard",
    "scan_screen",
    "list_cameras",
    "start_camera",
    "stop_camera",
    "scan_with_phone_camera",
    "cancel_phone_camera",
    "confirm_transfer",
    "cancel_transfer",
    "rename_account",
    "delete_account",
    "restore_account",
    "purge_account",
    "list_trash",
    "hotp_next",
    "copy_code",
    "copy_device_name",
    "follow_changes",
    "set_language",
    "desktop_settings",
    "set_desktop_settings",
    "quick_type",
    "quick_close",
    "backup_status",
    "choose_backup_folder",
    "configure_backups",
    "backup_now",
    "import_choose",
    "import_unlock",
    "import_confirm",
    "import_cancel",
    "export_file",
    "transfer_codes",
    "recover_backup",
    "recover_cancel",
    "reveal_account",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {error:#}");
        std::process::exit(1);
    }
}
