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

/// The native scanner, as registered at start-up.
pub struct PhoneCamera<R: Runtime>(PluginHandle<R>);

/// The plugin that owns the native scanner (no command of its own is exposed).
pub fn init<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("jeton-phone-camera")
        .setup(|app, api| {
            #[cfg(target_os = "android")]
            let handle =
                api.register_android_plugin("app.tauri.barcodescanner", "BarcodeScannerPlugin")?;
            #[cfg(target_os = "ios")]
            let handle = api.register_ios_plugin(init_plugin_barcode_scanner)?;
            app.manage(PhoneCamera(handle));
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
    pub fn scan(&self) -> Result<Zeroizing<String>, AppError> {
        let permission: Permission = self.call("requestPermissions", ())?;
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
        let scanned: Scanned = self.call("scan", request)?;
        Ok(scanned.content)
    }

    /// Ends a scan in progress (its [`Self::scan`] then fails).
    pub fn cancel(&self) -> Result<(), AppError> {
        self.call::<serde_json::Value>("cancel", ()).map(drop)
    }

    /// Runs the native scanner's `command`, its failure as the error the page shows.
    fn call<T: DeserializeOwned>(
        &self,
        command: &str,
        payload: impl Serialize,
    ) -> Result<T, AppError> {
        self.0
            .run_mobile_plugin(command, payload)
            .map_err(|error| AppError::PhoneCamera(error.to_string()))
    }
}
