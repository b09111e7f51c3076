//! The live camera loop (`scan_live`) fed with real photos through the
//! `FrameSource` trait, as a camera would feed it: previews for every frame, each
//! code reported once, stop on request, camera faults and driver panics reported.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::photo_sets::{load_set, photos_root};
use common::qr_render::{render_qr, KEYCLOAK_URI, ONEGOV_URI};
use jeton_scan::{
    decode_luma, scan_live, FrameSource, LiveEnd, LumaFrame, Next, ReplaySource, ScanError,
    PREVIEW_SIDE,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A 1280x720 frame of an empty desk: what the camera sees before the code.
fn empty_frame() -> LumaFrame {
    let data = (0..1280 * 720)
        .map(|i: u32| (90 + (i % 1280) / 20 + (i / 1280) / 30) as u8)
        .collect();
    LumaFrame::from_luma(1280, 720, data).expect("frame")
}

fn qr_frame(text: &str) -> LumaFrame {
    let (side, pixels) = render_qr(text, 6);
    LumaFrame::from_luma(side, side, pixels).expect("frame")
}

/// Raises `stop` after `limit`, so a scan that never finds its code fails the
/// test instead of hanging it.
fn stop_after(stop: &Arc<AtomicBool>, limit: Duration) {
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        stop.store(true, Ordering::Release);
    });
}

/// Runs a live scan over `source` that stops at the first code; returns the
/// code, how the scan ended, and the size of every preview handed out.
fn scan_until_found(
    source: &mut dyn FrameSource,
) -> (Option<Vec<String>>, LiveEnd, Vec<(u32, u32)>) {
    let stop = Arc::new(AtomicBool::new(false));
    stop_after(&stop, Duration::from_secs(60));
    let mut previews = Vec::new();
    let mut found = None;
    let end = scan_live(
        source,
        &stop,
        &mut |preview| previews.push((preview.width(), preview.height())),
        &mut |texts| {
            found = Some(texts);
            Next::Stop
        },
    )
    .expect("no camera fault");
    (found, end, previews)
}

/// Counts the frames its source delivers.
struct Counting<S> {
    inner: S,
    delivered: usize,
}

impl<S: FrameSource> FrameSource for Counting<S> {
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError> {
        let frame = self.inner.next_frame()?;
        self.delivered += usize::from(frame.is_some());
        Ok(frame)
    }
}

#[test]
fn a_real_photo_held_up_to_the_camera_is_read_and_the_scan_stops() {
    let photo = ReplaySource::from_files([fixture("keycloak-photo.jpg")]).expect("photo decodes");
    let mut frames = vec![empty_frame(); 5];
    frames.extend(std::iter::from_fn({
        let mut photo = photo;
        move || photo.next_frame().expect("in memory")
    }));
    let mut camera = Counting {
        inner: ReplaySource::new(frames).looping(Duration::from_millis(10)),
        delivered: 0,
    };
    let (found, end, previews) = scan_until_found(&mut camera);
    let texts = found.expect("the photo's code is read");
    assert_eq!(texts, [KEYCLOAK_URI]);
    assert_eq!(end, LiveEnd::Stopped);
    assert!(camera.delivered >= 6, "the photo came after 5 empty frames");
    assert_eq!(previews.len(), camera.delivered, "every frame is previewed");
    assert!(
        previews
            .iter()
            .all(|&(w, h)| w.max(h) == PREVIEW_SIDE && w > 0 && h > 0),
        "previews are {PREVIEW_SIDE} px on their longer side: {previews:?}"
    );
}

#[test]
fn shared_photo_sets_read_through_the_live_loop() {
    let Some(root) = photos_root() else {
        return;
    };
    // Every tenth zxing photo that the still-image decoder reads must also be
    // read when it arrives as camera frames between empty ones.
    let photos: Vec<_> = load_set(&root, "zxing").into_iter().step_by(10).collect();
    let mut checked = 0;
    for photo in &photos {
        let still = ReplaySource::from_files([&photo.path])
            .expect("photo decodes")
            .next_frame()
            .expect("in memory")
            .expect("one frame");
        if !decode_luma(&still).iter().any(|t| photo.accepts(t)) {
            continue;
        }
        let mut camera =
            ReplaySource::new(vec![empty_frame(), still]).looping(Duration::from_millis(5));
        let (found, end, _) = scan_until_found(&mut camera);
        let texts = found.unwrap_or_else(|| panic!("{} not read live", photo.name));
        assert!(
            texts.iter().any(|t| photo.accepts(t)),
            "{}: {texts:?}",
            photo.name
        );
        assert_eq!(end, LiveEnd::Stopped);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} photos checked");
}

#[test]
fn a_code_held_still_is_reported_once_and_a_new_one_again() {
    // One second of each code at 30 frames a second: decoded many times over.
    let mut frames = vec![qr_frame(KEYCLOAK_URI); 30];
    frames.extend(vec![qr_frame(ONEGOV_URI); 30]);
    let mut camera = ReplaySource::new(frames).paced(Duration::from_millis(33));
    let stop = AtomicBool::new(false);
    let mut reports = Vec::new();
    let end = scan_live(&mut camera, &stop, &mut |_| {}, &mut |texts| {
        reports.push(texts);
        Next::KeepScanning
    })
    .expect("no camera fault");
    assert_eq!(end, LiveEnd::SourceEnded);
    // The decoder sees most of the 30 frames of each code, yet each code is
    // reported once.
    assert_eq!(
        reports,
        vec![vec![KEYCLOAK_URI.to_string()], vec![ONEGOV_URI.to_string()]]
    );
}

#[test]
fn raising_the_stop_flag_ends_a_scan_that_finds_nothing() {
    let mut camera = ReplaySource::new(vec![empty_frame()]).looping(Duration::from_millis(10));
    let stop = Arc::new(AtomicBool::new(false));
    stop_after(&stop, Duration::from_millis(300));
    let mut previews = 0;
    let end = scan_live(&mut camera, &stop, &mut |_| previews += 1, &mut |_| {
        panic!("nothing to find")
    })
    .expect("no camera fault");
    assert_eq!(end, LiveEnd::Stopped);
    assert!(previews > 0);
}

/// A camera that delivers a few empty frames and then fails or panics.
struct FailingCamera {
    frames_left: usize,
    panics: bool,
}

impl FrameSource for FailingCamera {
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError> {
        if self.frames_left > 0 {
            self.frames_left -= 1;
            return Ok(Some(empty_frame()));
        }
        if self.panics {
            panic!("driver bug");
        }
        Err(ScanError::NoCamera)
    }
}

/// The error a live scan of `camera` ends with.
fn scan_error(mut camera: FailingCamera) -> ScanError {
    let stop = AtomicBool::new(false);
    scan_live(&mut camera, &stop, &mut |_| {}, &mut |_| Next::Stop).expect_err("the camera failed")
}

#[test]
fn an_unplugged_camera_ends_the_scan_with_its_error() {
    // Unplugging a camera cannot be done here: this source fails as V4L2 does then.
    let err = scan_error(FailingCamera {
        frames_left: 3,
        panics: false,
    });
    assert_eq!(err.code(), "scan.no_camera");
}

#[test]
fn a_panicking_camera_driver_is_an_error_not_a_crash() {
    // A driver bug cannot be caused on demand: this source panics as one would.
    let err = scan_error(FailingCamera {
        frames_left: 2,
        panics: true,
    });
    assert_eq!(err.code(), "scan.camera");
}

#[test]
fn a_panic_while_handling_a_code_ends_the_scan_with_an_error() {
    // The caller's handler failing is a bug, not a fault to cause: it panics here.
    let mut camera =
        ReplaySource::new(vec![qr_frame(KEYCLOAK_URI)]).looping(Duration::from_millis(10));
    let stop = AtomicBool::new(false);
    let err = scan_live(&mut camera, &stop, &mut |_| {}, &mut |_| {
        panic!("handler bug")
    })
    .expect_err("the handler panicked");
    assert_eq!(err.code(), "scan.camera");
    assert!(stop.load(Ordering::Acquire), "capture was told to stop");
}
