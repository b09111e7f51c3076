//! "Scan from screen": capture every monitor and look for QR codes on them.
//!
//! The enrolment page is usually open in a browser on the same computer, so the
//! QR code is already on screen. On X11 the screens are read directly, through
//! xcap (XGetImage on the root window). On Wayland a program may not read other
//! windows directly, so Jeton asks the desktop portal first (`portal.rs`), which
//! every Wayland desktop governs and which asks the user where the desktop wants
//! it to; only where no portal offers screenshots does it fall back to xcap's
//! direct paths (GNOME Shell's own interface, wlroots' screencopy). The result
//! says which path was used ([`ScreenCapture`]), and the app and the CLI say it
//! too. When nothing can be captured the error is
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

/// How the screens were captured, so the user can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenCapture {
    /// Read directly: X11, the platform's own capture, or a Wayland compositor's
    /// capture interface.
    Direct,
    /// Taken by the desktop through its Screenshot portal (Wayland).
    Portal,
}

impl ScreenCapture {
    /// A stable name for this path (`"direct"`, `"portal"`), for the page's
    /// translations and the CLI's JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Portal => "portal",
        }
    }
}

/// What a scan of the screens read, and how it saw them.
#[derive(Debug)]
pub struct ScreenScan {
    /// Every distinct QR payload seen, in monitor order; never empty.
    pub texts: Vec<String>,
    /// The capture path that was used.
    pub capture: ScreenCapture,
}

/// Every distinct QR payload visible on any monitor, in monitor order.
///
/// Returns [`ScanError::ScreenUnavailable`] when the screens cannot be listed or
/// none of them can be captured (no display, Wayland without a screenshot
/// service, permission refused), and [`ScanError::NoQrFound`] when the captures
/// worked but hold no readable code. A monitor that fails while another one is
/// captured is skipped.
pub fn scan_screens() -> Result<ScreenScan, ScanError> {
    let (frames, capture) = capture_screens()?;
    let mut seen = HashSet::new();
    let texts: Vec<String> = frames
        .iter()
        .flat_map(decode_luma)
        .filter(|text| seen.insert(text.clone()))
        .collect();
    if texts.is_empty() {
        Err(ScanError::NoQrFound)
    } else {
        Ok(ScreenScan { texts, capture })
    }
}

/// The screens as frames, by the portal on Wayland when there is one, else directly.
fn capture_screens() -> Result<(Vec<LumaFrame>, ScreenCapture), ScanError> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        if std::env::var_os("WAYLAND_DISPLAY").is_some() {
            // Jeton may itself be an X11 client of Xwayland (GDK_BACKEND=x11): what
            // X11 sees there are the other X11 clients only, not the browser.
            match crate::portal::capture()? {
                crate::portal::PortalShot::Frame(frame) => {
                    return Ok((vec![frame], ScreenCapture::Portal))
                }
                crate::portal::PortalShot::Absent(why) => {
                    return match capture_monitors() {
                        Ok(frames) => Ok((frames, ScreenCapture::Direct)),
                        Err(ScanError::ScreenUnavailable(direct)) => Err(unavailable(format!(
                            "{direct}; and no screenshot portal: {why}"
                        ))),
                        Err(e) => Err(e),
                    };
                }
            }
        } else if std::env::var_os("DISPLAY").is_none() {
            return Err(unavailable(
                "no graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set",
            ));
        }
    }
    Ok((capture_monitors()?, ScreenCapture::Direct))
}

/// One luma frame per monitor that xcap could capture.
fn capture_monitors() -> Result<Vec<LumaFrame>, ScanError> {
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
