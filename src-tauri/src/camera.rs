//! The camera in the Add view: one live scan at a time, on its own threads.
//!
//! Starting a scan opens the camera on a new thread and runs
//! [`jeton_scan::scan_live`] there: small grey previews stream to the page over a
//! channel, and every code read goes through the same adding path as a pasted
//! link. The scan stops when an account is added or a transfer is complete, when
//! the page says so (view closed, window hidden), when another scan starts, or
//! when the page is gone (its channel refuses frames).
//!
//! Debug builds also offer a "replay camera" when `JETON_CAMERA_REPLAY` names
//! image files (separated like `PATH`): real photos played back through the very
//! same frame-source path, which is how the end-to-end tests drive the camera on
//! machines without one. Release builds never read that variable.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use jeton_scan::{FrameSource, LumaFrame, Next, ScanError};
use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, Manager};

use crate::adding::{self, AddOutcome, TransferState};
use crate::{AppError, VaultState};

/// A camera the user can choose.
#[derive(Debug, Clone, Serialize)]
pub struct CameraChoice {
    /// What `start_camera` takes.
    id: String,
    /// The name the driver gives.
    name: String,
}

/// What a running scan tells the page, besides preview frames.
#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CameraEvent {
    /// A code was read and added, or was part of a transfer: the outcome as for
    /// any other way of adding. The scan stops unless more parts are needed.
    Outcome {
        /// What adding did.
        outcome: AddOutcome,
    },
    /// A code was read but could not be used (not an authenticator code, a
    /// damaged link); the scan goes on.
    Unusable {
        /// Why, for the page to show.
        error: AppError,
    },
    /// The camera failed (unplugged, driver error), or a code could not be
    /// added for a reason the user must see (already in Jeton, keychain
    /// locked); the scan has stopped.
    Failed {
        /// Why, for the page to show.
        error: AppError,
    },
}

/// The scan running now, if any.
#[derive(Debug, Default)]
pub struct CameraState(Mutex<Option<Arc<AtomicBool>>>);

impl CameraState {
    fn lock(&self) -> MutexGuard<'_, Option<Arc<AtomicBool>>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stops the running scan, if any; its camera closes as its thread ends.
    pub fn stop(&self) {
        if let Some(stop) = self.lock().take() {
            stop.store(true, Ordering::Release);
        }
    }

    /// Stops the running scan and makes `stop` the current one.
    fn replace(&self, stop: Arc<AtomicBool>) {
        if let Some(previous) = self.lock().replace(stop) {
            previous.store(true, Ordering::Release);
        }
    }
}

/// The cameras connected now (plus the replay camera in debug builds).
pub fn list() -> Result<Vec<CameraChoice>, AppError> {
    let mut choices: Vec<CameraChoice> = jeton_scan::list_cameras()?
        .into_iter()
        .map(|device| CameraChoice {
            id: device.id,
            name: device.name,
        })
        .collect();
    if let Some(files) = replay::files() {
        choices.push(CameraChoice {
            id: replay::ID.into(),
            name: format!("Replay ({} images)", files.len()),
        });
    }
    Ok(choices)
}

/// Opens camera `id` and scans it on a new thread until a code is added.
///
/// Returns once the camera is streaming, or with the reason it could not be
/// opened (no camera, busy, access refused).
pub async fn start(
    app: AppHandle,
    id: String,
    previews: Channel<InvokeResponseBody>,
    events: Channel<CameraEvent>,
) -> Result<(), AppError> {
    let stop = Arc::new(AtomicBool::new(false));
    app.state::<CameraState>().replace(Arc::clone(&stop));
    let (opened_tx, opened_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("jeton-camera".into())
        .spawn(move || {
            let mut source = match open(&id) {
                Ok(source) => source,
                Err(error) => {
                    let _ = opened_tx.send(Err(error));
                    return;
                }
            };
            let _ = opened_tx.send(Ok(()));
            scan(&app, source.as_mut(), &stop, &previews, &events);
        })
        .map_err(|e| ScanError::Camera(format!("could not start the camera thread: {e}")))?;
    // The camera opens in its own thread (the one that will read it); wait for
    // its answer without holding up Tauri's async workers.
    tauri::async_runtime::spawn_blocking(move || opened_rx.recv())
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_else(|| Err(ScanError::Camera("the camera thread ended".into())))
        .map_err(AppError::from)
}

fn open(id: &str) -> Result<Box<dyn FrameSource>, ScanError> {
    if id == replay::ID {
        return replay::open();
    }
    Ok(Box::new(jeton_scan::CameraSource::open(id)?))
}

/// Runs the live scan, sending previews and events to the page.
fn scan(
    app: &AppHandle,
    source: &mut dyn FrameSource,
    stop: &AtomicBool,
    previews: &Channel<InvokeResponseBody>,
    events: &Channel<CameraEvent>,
) {
    let vault = app.state::<VaultState>();
    let transfers = app.state::<TransferState>();
    let mut on_preview = |frame: LumaFrame| {
        if previews
            .send(InvokeResponseBody::Raw(preview_bytes(&frame)))
            .is_err()
        {
            // The page is gone: nobody is looking any more.
            stop.store(true, Ordering::Release);
        }
    };
    let mut on_found = |mut texts: Vec<String>| {
        let result = adding::add_first_usable(&vault, &transfers, &texts);
        zeroize::Zeroize::zeroize(&mut texts);
        let (event, next) = match result {
            Ok(outcome @ AddOutcome::NeedMore { .. }) => {
                (CameraEvent::Outcome { outcome }, Next::KeepScanning)
            }
            Ok(outcome) => (CameraEvent::Outcome { outcome }, Next::Stop),
            Err(error) if is_about_the_code(&error) => {
                (CameraEvent::Unusable { error }, Next::KeepScanning)
            }
            Err(error) => (CameraEvent::Failed { error }, Next::Stop),
        };
        if events.send(event).is_err() {
            return Next::Stop;
        }
        next
    };
    if let Err(error) = jeton_scan::scan_live(source, stop, &mut on_preview, &mut on_found) {
        let _ = events.send(CameraEvent::Failed {
            error: error.into(),
        });
    }
}

/// Whether `error` is about the code read (not an authenticator code, a bad
/// key: look for another one) rather than about Jeton's state (already added,
/// keychain locked, disk full: stop and say so).
fn is_about_the_code(error: &AppError) -> bool {
    let code = error.code();
    ["uri.", "secret.", "otp.", "input.", "migration."]
        .iter()
        .any(|prefix| code.starts_with(prefix))
}

/// A preview frame as the page reads it: width and height (u16, little-endian),
/// then one grey byte per pixel, row by row.
fn preview_bytes(frame: &LumaFrame) -> Vec<u8> {
    let side = |value: u32| u16::try_from(value).unwrap_or(u16::MAX).to_le_bytes();
    let mut bytes = Vec::with_capacity(4 + frame.data().len());
    bytes.extend(side(frame.width()));
    bytes.extend(side(frame.height()));
    bytes.extend_from_slice(frame.data());
    bytes
}

/// The replay camera of debug builds (see the module header).
mod replay {
    use std::path::PathBuf;
    use std::time::Duration;

    use jeton_scan::{FrameSource, ReplaySource, ScanError};

    /// Its camera id.
    pub const ID: &str = "replay";

    /// The image files to play, when this build offers the replay camera.
    pub fn files() -> Option<Vec<PathBuf>> {
        if !cfg!(debug_assertions) {
            return None;
        }
        let paths = std::env::var_os("JETON_CAMERA_REPLAY")?;
        let files: Vec<PathBuf> = std::env::split_paths(&paths).collect();
        (!files.is_empty()).then_some(files)
    }

    /// The files, looping at 15 frames a second like a webcam in dim light.
    pub fn open() -> Result<Box<dyn FrameSource>, ScanError> {
        let files = files().ok_or(ScanError::NoCamera)?;
        let source = ReplaySource::from_files(files)?.looping(Duration::from_millis(66));
        Ok(Box::new(source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_errors_about_the_code_keep_the_camera_looking() {
        let not_otpauth = AppError::from(jeton_core::Error::MissingSecret);
        assert!(is_about_the_code(&not_otpauth));
        let locked = AppError::from(jeton_core::Error::KeychainLocked("login".into()));
        assert!(!is_about_the_code(&locked));
    }

    #[test]
    fn preview_bytes_lead_with_little_endian_size() {
        let frame = LumaFrame::from_luma(300, 2, vec![7; 600]).expect("frame");
        let bytes = preview_bytes(&frame);
        assert_eq!(&bytes[..4], &[44, 1, 2, 0]);
        assert_eq!(bytes.len(), 604);
    }
}
