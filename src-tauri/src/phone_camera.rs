//! The camera on a phone: the OS's own barcode scanner (ML Kit on Android,
//! AVFoundation on iOS), driven from Rust so the QR payload never reaches the page.
//!
//! `tauri-plugin-barcode-scanner` ships that scanner as native code, but its Rust
//! type exposes no scan method: only the page could start a scan, and the payload
//! (a seed) would come back to the page. So Jeton does not register that plugin's
//! Rust side at all; it registers the plugin's native class (Kotlin's
//! `app.tauri.barcodescanner.BarcodeScannerPlugin`, Swift's
//! `init_plugin_barcode_scanner`) under a plugin of its own and calls its `scan`
//! from a command, which adds what it read by the same path as every other
//! source. The page only asks for a scan and gets the outcome. docs/platforms.md.

use std::sync::{mpsc, Mutex, PoisonError};

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use tauri::plugin::{Builder, PluginHandle, TauriPlugin};
use tauri::{Manager, Runtime};
use zeroize::Zeroizing;

use crate::AppError;

// Links the plugin crate, and with it the native scanner its build script adds
// (an Android library, a Swift package); none of its Rust items is used.
use tauri_plugin_barcode_scanner as _;

#[cfg(target_os = "ios")]
tauri::ios_plugin_binding!(init_plugin_barcode_scanner);

/// What a scan ends with: the code's text, or why there is none.
type ScanAnswer = Result<Zeroizing<String>, AppError>;

/// The native scanner, as registered at start-up, and the scan waiting on it.
pub struct PhoneCamera<R: Runtime> {
    handle: PluginHandle<R>,
    /// Where [`PhoneCamera::cancel`] ends the waiting [`PhoneCamera::scan`]
    /// itself: the plugin's Android `cancel` drops its pending call without
    /// answering it, so a scan waiting on the plugin alone could wait forever.
    waiting: Mutex<Option<mpsc::Sender<ScanAnswer>>>,
}

/// The plugin that owns the native scanner (no command of its own is exposed).
pub fn init<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("jeton-phone-camera")
        .setup(|app, api| {
            #[cfg(target_os = "android")]
            let handle =
                api.register_android_plugin("app.tauri.barcodescanner", "BarcodeScannerPlugin")?;
            #[cfg(target_os = "ios")]
            let handle = api.register_ios_plugin(init_plugin_barcode_scanner)?;
            app.manage(PhoneCamera {
                handle,
                waiting: Mutex::new(None),
            });
            Ok(())
        })
        .build()
}

/// What the native `scan` is asked for: QR codes only, in its own full-screen view.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScanRequest {
    formats: [&'static str; 1],
    windowed: bool,
    camera_direction: &'static str,
}

/// What the native `scan` answers (its `format` and `bounds` are not needed).
#[derive(Deserialize)]
struct Scanned {
    content: Zeroizing<String>,
}

/// The camera permission's state as the native side reports it.
#[derive(Deserialize)]
struct Permission {
    camera: String,
}

impl<R: Runtime> PhoneCamera<R> {
    /// Asks for the camera (the OS shows its prompt once), then scans until a QR
    /// code is read or [`Self::cancel`] is called. Blocks: call it off the async
    /// runtime.
    pub fn scan(&self) -> ScanAnswer {
        let permission: Permission = call(&self.handle, "requestPermissions", ())?;
        if permission.camera != "granted" {
            return Err(AppError::PhoneCamera(format!(
                "camera permission {}",
                permission.camera
            )));
        }
        let request = ScanRequest {
            formats: ["QR_CODE"],
            windowed: false,
            camera_direction: "back",
        };
        // The native call waits on a thread of its own, so that a cancel can end
        // this scan even when the plugin never answers (that thread then stays
        // parked on the plugin: one small thread per such cancel, no more).
        let (answer, answered) = mpsc::channel();
        *self.waiting.lock().unwrap_or_else(PoisonError::into_inner) = Some(answer.clone());
        let handle = self.handle.clone();
        std::thread::Builder::new()
            .name("phone-scan".into())
            .spawn(move || {
                let scanned = call::<R, Scanned>(&handle, "scan", request);
                let _ = answer.send(scanned.map(|scanned| scanned.content));
            })
            .map_err(|error| AppError::PhoneCamera(error.to_string()))?;
        let ended = answered
            .recv()
            .unwrap_or_else(|_| Err(AppError::PhoneCamera("the scan ended".into())));
        self.waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        ended
    }

    /// Ends a scan in progress: its [`Self::scan`] fails at once.
    pub fn cancel(&self) -> Result<(), AppError> {
        let waiting = self
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(waiting) = waiting {
            let _ = waiting.send(Err(AppError::PhoneCamera("cancelled".into())));
        }
        call::<R, serde_json::Value>(&self.handle, "cancel", ()).map(drop)
    }
}

/// Runs the native scanner's `command`, its failure as the error the page shows.
fn call<R: Runtime, T: DeserializeOwned>(
    handle: &PluginHandle<R>,
    command: &str,
    payload: impl Serialize,
) -> Result<T, AppError> {
    handle
        .run_mobile_plugin(command, payload)
        .map_err(|error| AppError::PhoneCamera(error.to_string()))
}
