//! "Scan from screen": capture every monitor and look for QR codes on them.
//!
//! The enrolment page is usually open in a browser on the same computer, so the
//! QR code is already on screen. Captures go through xcap: X11 directly (XGetImage
//! on the root window); on Wayland, xcap asks GNOME Shell's screenshot interface,
//! then the desktop portal, then wlroots' screencopy, and any of those may be
//! missing or refused. When no monitor can be captured the error is
//! [`ScanError::ScreenUnavailable`], whose message sends the user to the
//! screenshot-file path instead.
//!
//! A whole screen is a large frame with a small code in it: a 1920x1080 capture
//! with a ~200 px QR code decodes on the cascade's first pass (rxing's hybrid
//! binarizer works on local blocks, so the rest of the screen does not disturb
//! it), so no cropping or tiling pass is needed (see `tests/screen.rs`).

use std::collections::HashSet;

use xcap::Monitor;

use crate::decoders::guarded;
use crate::{decode_luma, LumaFrame, ScanError};

/// Every distinct QR payload visible on any monitor, in monitor order.
///
/// Returns [`ScanError::ScreenUnavailable`] when the screens cannot be listed or
/// none of them can be captured (no display, Wayland without a screenshot
/// service, permission refused), and [`ScanError::NoQrFound`] when the captures
/// worked but hold no readable code. A monitor that fails while another one is
/// captured is skipped.
pub fn scan_screens() -> Result<Vec<String>, ScanError> {
    let frames = capture_monitors()?;
    let mut seen = HashSet::new();
    let texts: Vec<String> = frames
        .iter()
        .flat_map(decode_luma)
        .filter(|text| seen.insert(text.clone()))
        .collect();
    if texts.is_empty() {
        Err(ScanError::NoQrFound)
    } else {
        Ok(texts)
    }
}

/// One luma frame per monitor that could be captured.
fn capture_monitors() -> Result<Vec<LumaFrame>, ScanError> {
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(unavailable(
            "no graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set",
        ));
    }
    // xcap talks to X11, D-Bus and PipeWire through C libraries; a panic in
    // there means "no capture", not a crash of the app.
    let monitors = guarded(Monitor::all)
        .ok_or_else(|| unavailable("the screen capture library failed"))?
        .map_err(|e| unavailable(format!("the screens could not be listed: {e}")))?;
    if monitors.is_empty() {
        return Err(unavailable("no screen was found"));
    }
    let mut frames = Vec::with_capacity(monitors.len());
    let mut last_error = String::new();
    for monitor in &monitors {
        match guarded(|| monitor.capture_image()) {
            Some(Ok(image)) => {
                match LumaFrame::from_rgba8(image.width(), image.height(), image.as_raw()) {
                    Ok(frame) => frames.push(frame),
                    Err(e) => last_error = e.to_string(),
                }
            }
            Some(Err(e)) => last_error = e.to_string(),
            None => last_error = "the screen capture library failed".into(),
        }
    }
    if frames.is_empty() {
        return Err(unavailable(format!(
            "no screen could be captured: {last_error}"
        )));
    }
    Ok(frames)
}

fn unavailable(reason: impl Into<String>) -> ScanError {
    ScanError::ScreenUnavailable(reason.into())
}
