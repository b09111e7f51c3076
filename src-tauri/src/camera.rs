//! The camera in the Add view: one live scan at a time, on its own threads.
//!
//! Starting a scan opens the camera on a new thread and runs
//! [`jeton_scan::scan_live`] there: small grey previews stream to the page over a
//! channel, and every code read goes through the same adding path as a pasted
//! link. The scan stops when an account is added or a transfer is complete, when
//! the page says so (view closed, window hidden, another way of scanning, the
//! page reloaded), when the window closes, when another scan starts, and after
//! [`MAX_SCAN`] without success.
//!
//! The page numbers each scan with a token that only grows. Commands run
//! concurrently, so a stop can reach Rust before the start it follows, and an
//! old start after a newer one: Rust keeps the highest token stopped and the
//! one running, and ignores anything older. Once a stop has returned, no code
//! of that scan is added any more.
//!
//! Debug builds also offer a "replay camera" when `JETON_CAMERA_REPLAY` names
//! image files (separated like `PATH`): real photos played back through the very
//! same frame-source path, which is how the end-to-end tests drive the camera on
//! machines without one. Release builds do not contain it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use jeton_scan::{FrameSource, LumaFrame, Next, ScanError};
use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, Manager};
use zeroize::Zeroize;

use crate::adding::{self, AddOutcome, TransferState};
use crate::{AppError, VaultState};

/// A scan that has not read a code by then is stopped: a camera left on by
/// mistake does not film the room for ever.
pub const MAX_SCAN: Duration = Duration::from_secs(180);

/// How long a new scan waits for the previous one to release the camera.
const RELEASE_WAIT: Duration = Duration::from_secs(3);

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
    /// No code was read within [`MAX_SCAN`]; the scan has stopped.
    TimedOut,
}

/// A scan's stop flag; the gate that keeps stopping and adding apart; and
/// whether its thread, which owns the camera, has ended.
#[derive(Debug, Default)]
struct Stop {
    raised: AtomicBool,
    gate: Mutex<()>,
    finished: AtomicBool,
}

impl Stop {
    /// Raises the flag once no code of this scan is being added: from then on,
    /// nothing it reads is added.
    fn raise(&self) {
        let _gate = self.gate.lock().unwrap_or_else(PoisonError::into_inner);
        self.raised.store(true, Ordering::Release);
    }

    fn is_raised(&self) -> bool {
        self.raised.load(Ordering::Acquire)
    }

    /// Waits (up to `limit`) for the scan's thread to end and free the camera.
    fn wait_finished(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.finished.load(Ordering::Acquire) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Marks a scan finished when its thread ends, however it ends.
struct FinishOnDrop(Arc<Stop>);

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        self.0.finished.store(true, Ordering::Release);
    }
}

/// The scans. Tokens come from the page and only grow (they start from the
/// page's load time), so a start or stop that arrives late, even from a page
/// since reloaded, is recognised as old.
#[derive(Debug, Default)]
pub struct CameraState(Mutex<Scans>);

#[derive(Debug, Default)]
struct Scans {
    /// The scan running now (or last), with its token.
    current: Option<(u64, Arc<Stop>)>,
    /// The highest token stopped so far: no scan at or below it may start.
    stopped_up_to: u64,
}

impl CameraState {
    fn lock(&self) -> MutexGuard<'_, Scans> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops the scans up to `token`, including one whose start has not arrived yet.
    pub fn stop(&self, token: u64) {
        let to_stop = {
            let mut scans = self.lock();
            scans.stopped_up_to = scans.stopped_up_to.max(token);
            scans
                .current
                .as_ref()
                .filter(|(current, _)| *current <= token)
                .map(|(_, stop)| Arc::clone(stop))
        };
        // Raised outside the lock: it may wait for a code being added.
        if let Some(stop) = to_stop {
            stop.raise();
        }
    }

    /// Stops whatever scan is running at once, without waiting for a code
    /// being added (window closed: the main thread must not wait; screen scan).
    pub fn stop_all(&self) {
        if let Some((_, stop)) = &self.lock().current {
            stop.raised.store(true, Ordering::Release);
        }
    }

    /// Registers scan `token`, stopping the previous one, which it returns (its
    /// thread may still hold the camera); `None` if `token` is already stopped
    /// or older than the scan running.
    fn begin(&self, token: u64, stop: Arc<Stop>) -> Option<Option<Arc<Stop>>> {
        let mut scans = self.lock();
        let newest = scans.current.as_ref().map_or(0, |(current, _)| *current);
        if token <= scans.stopped_up_to || token <= newest {
            return None;
        }
        let previous = scans.current.replace((token, stop)).map(|(_, stop)| stop);
        drop(scans);
        if let Some(previous) = &previous {
            previous.raise();
        }
        Some(previous)
    }
}

/// The cameras connected now (plus the replay camera in debug builds).
pub fn list() -> Result<Vec<CameraChoice>, AppError> {
    #[allow(unused_mut)] // only the debug build adds to it
    let mut choices: Vec<CameraChoice> = jeton_scan::list_cameras()?
        .into_iter()
        .map(|device| CameraChoice {
            id: device.id,
            name: device.name,
        })
        .collect();
    #[cfg(debug_assertions)]
    if let Some(files) = replay::files() {
        choices.push(CameraChoice {
            id: replay::ID.into(),
            name: format!("Replay ({} images)", files.len()),
        });
    }
    Ok(choices)
}

/// Opens camera `id` for the scan named `token` and scans it on a new thread.
///
/// Returns once the camera is streaming (or at once if the page has already
/// stopped this scan), or with the reason it could not be opened (no camera,
/// busy, access refused).
pub async fn start(
    app: AppHandle,
    id: String,
    token: u64,
    previews: Channel<InvokeResponseBody>,
    events: Channel<CameraEvent>,
) -> Result<(), AppError> {
    let stop = Arc::new(Stop::default());
    // Stopping the previous scan waits for it to finish adding what it read
    // (the vault's lock, the keychain): not on one of Tauri's async workers.
    let (begin_app, begin_stop) = (app.clone(), Arc::clone(&stop));
    let begun = tauri::async_runtime::spawn_blocking(move || {
        begin_app.state::<CameraState>().begin(token, begin_stop)
    })
    .await
    .map_err(|e| AppError::Task(e.to_string()))?;
    let Some(previous) = begun else {
        return Ok(());
    };
    let (opened_tx, opened_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("jeton-camera".into())
        .spawn(move || {
            let _finish = FinishOnDrop(Arc::clone(&stop));
            // The previous scan must let go of the device first, or opening it
            // again would look like another application holding it.
            if let Some(previous) = previous {
                previous.wait_finished(RELEASE_WAIT);
            }
            if stop.is_raised() {
                let _ = opened_tx.send(Ok(()));
                return;
            }
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
    #[cfg(debug_assertions)]
    if id == replay::ID {
        return replay::open();
    }
    Ok(Box::new(jeton_scan::CameraSource::open(id)?))
}

/// Runs the live scan, sending previews and events to the page.
fn scan(
    app: &AppHandle,
    source: &mut dyn FrameSource,
    stop: &Stop,
    previews: &Channel<InvokeResponseBody>,
    events: &Channel<CameraEvent>,
) {
    let vault = app.state::<VaultState>();
    let transfers = app.state::<TransferState>();
    // Reset by every part of a transfer read, so a long export is not cut off.
    let last_progress = Mutex::new(Instant::now());
    let since_progress = || {
        last_progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .elapsed()
    };
    let mut on_preview = |frame: LumaFrame| {
        if since_progress() > MAX_SCAN {
            stop.raise();
            let _ = events.send(CameraEvent::TimedOut);
            return;
        }
        let _ = previews.send(InvokeResponseBody::Raw(preview_bytes(&frame)));
    };
    let mut on_found = |mut texts: Vec<String>| {
        let _gate = stop.gate.lock().unwrap_or_else(PoisonError::into_inner);
        if stop.is_raised() {
            texts.zeroize();
            return Next::Stop;
        }
        let result = adding::add_first_usable(&vault, &transfers, &texts);
        texts.zeroize();
        let (event, next) = after_adding(result);
        if next == Next::KeepScanning && matches!(event, CameraEvent::Outcome { .. }) {
            *last_progress.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
        }
        if events.send(event).is_err() {
            return Next::Stop;
        }
        next
    };
    let scanned = jeton_scan::scan_live(source, &stop.raised, &mut on_preview, &mut on_found);
    if let Err(error) = scanned {
        let _ = events.send(CameraEvent::Failed {
            error: error.into(),
        });
    }
}

/// What to tell the page after trying to add a code read, and whether to go on:
/// a transfer with parts still missing and a code that is no account keep the
/// camera looking; anything added, a complete transfer or a failure stop it.
fn after_adding(result: Result<AddOutcome, AppError>) -> (CameraEvent, Next) {
    match result {
        Ok(outcome @ AddOutcome::NeedMore { .. }) => {
            (CameraEvent::Outcome { outcome }, Next::KeepScanning)
        }
        Ok(outcome) => (CameraEvent::Outcome { outcome }, Next::Stop),
        Err(error) if is_about_the_code(&error) => {
            (CameraEvent::Unusable { error }, Next::KeepScanning)
        }
        Err(error) => (CameraEvent::Failed { error }, Next::Stop),
    }
}

/// Whether `error` is about the code read (not an authenticator code, a bad
/// key: look for another one) rather than about Jeton's state (already added,
/// keychain locked, disk full: stop and say so).
fn is_about_the_code(error: &AppError) -> bool {
    let code = error.code();
    [
        "uri.",
        "secret.",
        "otp.",
        "input.",
        "migration.",
        "account.",
    ]
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
#[cfg(debug_assertions)]
mod replay {
    use std::path::PathBuf;
    use std::time::Duration;

    use jeton_scan::{FrameSource, ReplaySource, ScanError};

    /// Its camera id.
    pub const ID: &str = "replay";

    /// The image files to play, when `JETON_CAMERA_REPLAY` names some.
    pub fn files() -> Option<Vec<PathBuf>> {
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
    fn the_camera_keeps_looking_only_for_more_parts_or_another_code() {
        let next = |result| after_adding(result).1;
        let more_parts = AddOutcome::NeedMore {
            scanned: 1,
            total: 3,
        };
        assert_eq!(next(Ok(more_parts)), Next::KeepScanning);
        let added = AddOutcome::Added {
            ids: vec![uuid::Uuid::new_v4()],
            warnings: vec![],
        };
        assert_eq!(next(Ok(added)), Next::Stop);
        let web_address = jeton_core::uri::parse("https://example.org").unwrap_err();
        assert_eq!(next(Err(web_address.into())), Next::KeepScanning);
        let no_secret = AppError::from(jeton_core::Error::MissingSecret);
        assert_eq!(next(Err(no_secret)), Next::KeepScanning);
        let locked = AppError::from(jeton_core::Error::KeychainLocked("login".into()));
        assert_eq!(next(Err(locked)), Next::Stop);
    }

    #[test]
    fn a_stop_that_overtakes_its_start_cancels_it() {
        let cameras = CameraState::default();
        cameras.stop(2);
        assert!(cameras.begin(2, Arc::default()).is_none());
        // A later scan starts normally, and stopping it raises its flag.
        let stop = Arc::new(Stop::default());
        assert!(cameras.begin(3, Arc::clone(&stop)).is_some());
        cameras.stop(3);
        assert!(stop.is_raised());
    }

    #[test]
    fn late_messages_of_older_scans_change_nothing() {
        // The page switched cameras A(1) -> B(2) -> C(3); Rust got the messages
        // as stop(2), start(3), stop(1), start(2).
        let cameras = CameraState::default();
        cameras.stop(2);
        let c = Arc::new(Stop::default());
        assert!(cameras.begin(3, Arc::clone(&c)).is_some());
        cameras.stop(1);
        assert!(!c.is_raised(), "a stop of an older scan leaves C running");
        assert!(cameras.begin(2, Arc::default()).is_none(), "B never starts");
        cameras.stop(3);
        assert!(c.is_raised());
    }

    #[test]
    fn a_new_scan_stops_the_previous_one() {
        let cameras = CameraState::default();
        let first = Arc::new(Stop::default());
        assert!(cameras.begin(1, Arc::clone(&first)).is_some());
        let previous = cameras.begin(2, Arc::default()).expect("starts");
        assert!(first.is_raised());
        assert!(Arc::ptr_eq(&previous.expect("the first scan"), &first));
    }

    #[test]
    fn preview_bytes_lead_with_little_endian_size() {
        let frame = LumaFrame::from_luma(300, 2, vec![7; 600]).expect("frame");
        let bytes = preview_bytes(&frame);
        assert_eq!(&bytes[..4], &[44, 1, 2, 0]);
        assert_eq!(bytes.len(), 604);
    }
}
