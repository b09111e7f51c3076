//! Jeton's app shell: Tauri wiring over `jeton_core`, for the desktop and phones.
//!
//! The webview receives code views (names and codes) and translated-ready errors
//! `{code, message}`; decoded secrets stay in Rust, except in the two replies of the
//! `reveal` capability (an account's QR code and key, the transfer QR codes),
//! which the user asks for and confirms. Each command in [`commands`] is a
//! thin call into the core, so the app and the `jeton` CLI behave the same.
//!
//! The desktop's own parts (tray, quick search, screen capture, the desktop
//! camera, following the vault file) are `cfg(desktop)`; a phone scans with the
//! OS's scanner instead (`cfg(mobile)`; docs/platforms.md names each piece).

mod adding;
mod app_error;
mod backups;
#[cfg(desktop)]
mod camera;
mod clipboard;
mod commands;
#[cfg(desktop)]
mod desktop;
mod dialogs;
#[cfg(mobile)]
mod phone_camera;
mod qr;
mod reveal;
mod system;
mod vault_state;

#[cfg(desktop)]
use tauri::{Manager, RunEvent, WindowEvent};
#[cfg(desktop)]
use tauri_plugin_dialog::DialogExt;

pub use app_error::AppError;
pub use vault_state::VaultState;

/// Jeton's application id: desktop file, AppStream, D-Bus names (tauri.conf.json's `identifier`).
pub const APP_ID: &str = "org.jeton.Jeton";

/// What of a window Jeton remembers: its size, its place and whether it was maximised.
#[cfg(desktop)]
const WINDOW_STATE: tauri_plugin_window_state::StateFlags =
    tauri_plugin_window_state::StateFlags::SIZE
        .union(tauri_plugin_window_state::StateFlags::POSITION)
        .union(tauri_plugin_window_state::StateFlags::MAXIMIZED);

/// The phones' entry point (the Android activity and the iOS app call it).
#[cfg(mobile)]
#[tauri::mobile_entry_point]
fn mobile_main() {
    if let Err(error) = run() {
        eprintln!("Jeton could not start: {error}");
    }
}

/// Builds and runs the app until its last window closes.
pub fn run() -> Result<(), tauri::Error> {
    #[cfg(desktop)]
    desktop::relaunch::lean_when_started_hidden();
    // The keys are in this process's memory: no core dumps, no same-user reading.
    if let Err(error) = jeton_core::process::forbid_memory_reading() {
        eprintln!("Jeton: could not protect this process's memory: {error}");
    }
    let builder = tauri::Builder::default();
    #[cfg(desktop)]
    let builder = with_desktop_parts(builder);
    // Phones: the camera is the OS's scanner, driven from Rust (phone_camera.rs),
    // and the data folder is the app's sandbox, which only Tauri's runtime knows
    // (`directories` names none on Android).
    #[cfg(mobile)]
    let builder = builder.plugin(phone_camera::init()).setup(|app| {
        use tauri::Manager;
        jeton_core::vault::use_platform_data_dir(app.path().app_data_dir()?);
        Ok(())
    });
    builder
        .plugin(tauri_plugin_clipboard_manager::init())
        // Used from Rust only (crate::dialogs): no capability grants its commands.
        .plugin(tauri_plugin_dialog::init())
        .manage(VaultState::default())
        .manage(backups::BackupFlows::default())
        .manage(adding::TransferState::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::clock_status,
            commands::list_codes,
            commands::account_code,
            commands::add_link,
            commands::add_manual,
            commands::scan_image,
            commands::scan_clipboard,
            #[cfg(desktop)]
            commands::scan_screen,
            #[cfg(desktop)]
            commands::list_cameras,
            #[cfg(desktop)]
            commands::start_camera,
            #[cfg(desktop)]
            commands::stop_camera,
            #[cfg(mobile)]
            commands::scan_with_phone_camera,
            #[cfg(mobile)]
            commands::cancel_phone_camera,
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
            #[cfg(desktop)]
            commands::follow_changes,
            #[cfg(desktop)]
            commands::set_language,
            #[cfg(desktop)]
            commands::desktop_settings,
            #[cfg(desktop)]
            commands::set_desktop_settings,
            #[cfg(desktop)]
            commands::quick_type,
            #[cfg(desktop)]
            commands::quick_close,
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
        .build(tauri::generate_context!())?
        .run(|_app, _event| {
            // The last window closed (not Quit, which gives an exit code): stay
            // in the tray if the user wants it and the desktop shows one, and
            // there leave WebKit behind (desktop::relaunch).
            #[cfg(desktop)]
            if let RunEvent::ExitRequested {
                code: None, api, ..
            } = _event
            {
                if desktop::stays_in_tray() {
                    api.prevent_exit();
                    desktop::relaunch::restart_when_idle(_app);
                }
            }
        });
    Ok(())
}

/// The desktop's plugins, state and window handling: one instance per user,
/// the shortcut, start at login, the window's place, the tray and the camera.
#[cfg(desktop)]
fn with_desktop_parts(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    builder
        // Registered first, as its docs ask: a second launch exits at once and
        // hands its arguments to this one: `--quick` opens the quick search (a
        // desktop shortcut runs that on Wayland), `--hidden` changes nothing, and
        // a plain launch (the menu entry) brings the window back.
        // The callback runs on the plugin's D-Bus thread, which must not wait on
        // itself (a restart releases the plugin's name): the work goes to the
        // main thread.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            let handle = app.clone();
            let _ = app.run_on_main_thread(move || {
                if args.iter().any(|a| a == desktop::quick::QUICK_ARG) {
                    desktop::quick::open(&handle);
                } else if !desktop::hidden_requested(&args) {
                    desktop::show_main(&handle);
                }
            });
        }))
        // The next three are driven from Rust only too (desktop::settings).
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![desktop::HIDDEN_ARG]),
        ))
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(WINDOW_STATE)
                .with_denylist(&[desktop::quick::QUICK_WINDOW])
                .build(),
        )
        .manage(camera::CameraState::default())
        .manage(desktop::watch::VaultWatch::default())
        .manage(desktop::quick::QuickState::default())
        .setup(|app| {
            desktop::start(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| match event {
            WindowEvent::CloseRequested { api, .. }
                if window.label() == desktop::MAIN_WINDOW
                    && tell_about_the_tray_once(window.app_handle()) =>
            {
                api.prevent_close();
            }
            // A window that closes leaves no camera running (a reloaded page stops
            // its predecessor's scans itself: ui/camera.js, initCamera).
            WindowEvent::Destroyed if window.label() == desktop::MAIN_WINDOW => {
                window.state::<camera::CameraState>().stop_all()
            }
            _ => {}
        })
}

/// The first time the window closes to the tray, says so (once, in a dialog) and
/// then closes it. Returns whether the close was held back for that.
#[cfg(desktop)]
fn tell_about_the_tray_once(app: &tauri::AppHandle) -> bool {
    static SHOWING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if desktop::settings::load().tray_notice_shown || !desktop::stays_in_tray() {
        return false;
    }
    // A second click on close while the notice is up changes nothing.
    if SHOWING.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return true;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        app.dialog()
            .message(desktop::text::strings().tray_notice)
            .title("Jeton")
            .blocking_show();
        if let Err(error) = desktop::settings::update(|d| d.tray_notice_shown = true) {
            eprintln!("Jeton: {error}");
        }
        if let Some(window) = app.get_webview_window(desktop::MAIN_WINDOW) {
            let _ = window.destroy();
        }
        SHOWING.store(false, std::sync::atomic::Ordering::SeqCst);
    });
    true
}
