//! Live scanning: a camera preview for the eye and decoding for the code, each at
//! its own pace.
//!
//! A camera delivers 15–30 frames a second, and the user moves it until the code
//! reads. Capture therefore never waits for the decoder: one thread takes frames
//! and hands a coarse preview on at once, another decodes the newest frame only
//! (older ones are dropped), running the cheap first pass on most frames and the
//! full cascade on every [`FULL_CASCADE_EVERY`]th. The same loop runs over a real
//! camera and over recorded frames ([`crate::ReplaySource`]) in tests.
//!
//! The preview is small and grey ([`PREVIEW_SIDE`] pixels on its longer side,
//! about 30 KB a frame): enough to aim the camera, cheap to pass to a webview
//! and draw 30 times a second. It is not a way to hide the code: good decoders
//! read a QR code that fills a frame of 40x40 pixels, so no preview worth
//! looking at could be unreadable.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use zeroize::Zeroize;

use crate::frame::LumaFrame;
use crate::pipeline::{decode_luma, decode_luma_fast};
use crate::source::FrameSource;
use crate::ScanError;

/// Longer side, in pixels, of the preview frames [`scan_live`] hands out.
pub const PREVIEW_SIDE: u32 = 240;

/// One decode in this many runs the whole cascade; the others run its first pass.
const FULL_CASCADE_EVERY: u32 = 4;

/// What the caller of [`scan_live`] wants after being told of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Keep looking (the code was not the one wanted, or more parts are needed).
    KeepScanning,
    /// Stop the scan.
    Stop,
}

/// Why [`scan_live`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEnd {
    /// The stop flag was raised, by the caller or by a [`Next::Stop`] answer.
    Stopped,
    /// The source had no more frames (recorded frames; a camera never ends).
    SourceEnded,
}

/// `frame` shrunk (area average) so its longer side is at most [`PREVIEW_SIDE`].
pub fn coarse_preview(frame: &LumaFrame) -> LumaFrame {
    let longer = frame.width().max(frame.height());
    if longer <= PREVIEW_SIDE {
        return frame.clone();
    }
    let scale = |side: u32| (u64::from(side) * u64::from(PREVIEW_SIDE) / u64::from(longer)).max(1);
    frame.resized(scale(frame.width()) as u32, scale(frame.height()) as u32)
}

/// Scans `source` until `stop` is raised, the source ends, or it fails.
///
/// Every frame's [`coarse_preview`] goes to `on_preview` as soon as it is taken.
/// Each distinct set of payloads decoded goes to `on_found` once (a code held in
/// front of the camera is reported once, not at every frame); answering
/// [`Next::Stop`] ends the scan. A source error (camera unplugged), a panic in
/// the camera driver or in a callback ends it with `Err`. Decoding runs on a
/// second thread, so `on_found` must be `Send`; it is not called once `stop` is
/// raised, and payloads it is not given are wiped.
pub fn scan_live(
    source: &mut dyn FrameSource,
    stop: &AtomicBool,
    on_preview: &mut dyn FnMut(LumaFrame),
    on_found: &mut (dyn FnMut(Vec<String>) -> Next + Send),
) -> Result<LiveEnd, ScanError> {
    let newest = Newest::default();
    let decoder_failed = AtomicBool::new(false);
    let end = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("jeton-decode".into())
            .spawn_scoped(scope, || {
                let decoding =
                    catch_unwind(AssertUnwindSafe(|| decode_frames(&newest, stop, on_found)));
                if decoding.is_err() {
                    decoder_failed.store(true, Ordering::Release);
                    stop.store(true, Ordering::Release);
                }
            })
            .map_err(|e| ScanError::Camera(format!("could not start decoding: {e}")))?;
        let end = capture_frames(source, stop, on_preview, &newest);
        newest.finish();
        end
    })?;
    if decoder_failed.load(Ordering::Acquire) {
        return Err(ScanError::Camera("reading the codes failed".into()));
    }
    Ok(end)
}

/// Takes frames until told to stop, handing each to the preview and the decoder.
fn capture_frames(
    source: &mut dyn FrameSource,
    stop: &AtomicBool,
    on_preview: &mut dyn FnMut(LumaFrame),
    newest: &Newest,
) -> Result<LiveEnd, ScanError> {
    while !stop.load(Ordering::Acquire) {
        let frame = catch_unwind(AssertUnwindSafe(|| source.next_frame()))
            .map_err(|_| ScanError::Camera("the camera driver failed".into()))??;
        let Some(frame) = frame else {
            return Ok(LiveEnd::SourceEnded);
        };
        let preview = coarse_preview(&frame);
        catch_unwind(AssertUnwindSafe(|| on_preview(preview)))
            .map_err(|_| ScanError::Camera("showing the preview failed".into()))?;
        newest.put(frame);
    }
    Ok(LiveEnd::Stopped)
}

/// Decodes the newest frame, again and again, until capture ends or `stop` is raised.
fn decode_frames(
    newest: &Newest,
    stop: &AtomicBool,
    on_found: &mut (dyn FnMut(Vec<String>) -> Next + Send),
) {
    // Fingerprints, not the texts: the payloads hold keys, and no copy is kept.
    let mut reported: HashSet<u64> = HashSet::new();
    let mut decodes = 0u32;
    while let Some(frame) = newest.take(stop) {
        decodes = decodes.wrapping_add(1);
        let mut texts = if decodes.is_multiple_of(FULL_CASCADE_EVERY) {
            decode_luma(&frame)
        } else {
            decode_luma_fast(&frame)
        };
        // A code read while the scan was being stopped is not reported.
        let wanted = !texts.is_empty()
            && !stop.load(Ordering::Acquire)
            && reported.insert(fingerprint(&texts));
        if !wanted {
            texts.zeroize();
            continue;
        }
        if on_found(texts) == Next::Stop {
            stop.store(true, Ordering::Release);
            return;
        }
    }
}

fn fingerprint(texts: &[String]) -> u64 {
    let mut hasher = DefaultHasher::new();
    texts.hash(&mut hasher);
    hasher.finish()
}

/// A one-frame mailbox between capture and decoding: a new frame replaces one
/// not yet decoded, so the decoder always works on what the camera sees now.
#[derive(Default)]
struct Newest {
    slot: Mutex<Slot>,
    changed: Condvar,
}

#[derive(Default)]
struct Slot {
    frame: Option<LumaFrame>,
    finished: bool,
}

impl Newest {
    fn put(&self, frame: LumaFrame) {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .frame = Some(frame);
        self.changed.notify_one();
    }

    /// No more frames will come; the decoder still gets the last one.
    fn finish(&self) {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .finished = true;
        self.changed.notify_one();
    }

    /// Waits for a frame; `None` once capture has finished and nothing is left,
    /// or as soon as `stop` is raised.
    fn take(&self, stop: &AtomicBool) -> Option<LumaFrame> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if stop.load(Ordering::Acquire) {
                return None;
            }
            if let Some(frame) = slot.frame.take() {
                return Some(frame);
            }
            if slot.finished {
                return None;
            }
            slot = self
                .changed
                .wait_timeout(slot, std::time::Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}
