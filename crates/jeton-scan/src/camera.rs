//! Live camera frames through nokhwa (V4L2 on Linux), behind the `camera` feature.
//!
//! Raw YUYV, NV12 and grey frames go straight to [`LumaFrame`] (their Y plane is
//! the luma); only MJPEG frames are decompressed, by the same pure-Rust JPEG
//! decoder and size checks as image files (nokhwa's own decoder is mozjpeg, C
//! code that only builds where a C toolchain for the target is installed).
//! nokhwa reports every failure as text, so the three a user can act on (no
//! camera, camera busy, access refused) are told apart here by the OS error in
//! that text; and its calls run under `catch_unwind`, as it asserts internally.

use std::panic::{catch_unwind, AssertUnwindSafe};

use nokhwa::pixel_format::LumaFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};
use nokhwa::Camera;

use crate::frame::LumaFrame;
use crate::source::FrameSource;
use crate::ScanError;

/// A [`FrameSource`] over a system camera; the stream stops when it is dropped.
pub struct CameraSource {
    camera: Camera,
}

/// A camera the user can choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraDevice {
    /// What [`CameraSource::open`] takes ("0" for /dev/video0 on Linux).
    pub id: String,
    /// The name the driver gives ("Integrated Camera").
    pub name: String,
}

/// The cameras connected now; empty (not an error) when there are none.
pub fn list_cameras() -> Result<Vec<CameraDevice>, ScanError> {
    let found = catch_unwind(|| nokhwa::query(ApiBackend::Auto))
        .map_err(|_| ScanError::Camera("the camera driver failed".into()))?;
    let cameras = match found {
        Ok(cameras) => cameras,
        Err(err) => match camera_error(err) {
            ScanError::NoCamera => Vec::new(),
            other => return Err(other),
        },
    };
    Ok(cameras
        .into_iter()
        .filter(|info| captures_video(info.index()))
        .map(|info| CameraDevice {
            id: info.index().as_string(),
            name: info.human_name(),
        })
        .collect())
}

/// Whether the device node `index` delivers video frames. A USB webcam shows up
/// as two /dev/video nodes with the same name, one of them for metadata only; a
/// node that cannot be asked (access refused) is kept, so opening it says why.
#[cfg(target_os = "linux")]
fn captures_video(index: &CameraIndex) -> bool {
    let Ok(number) = index.as_index() else {
        return true;
    };
    match v4l::Device::new(number as usize).and_then(|device| device.query_caps()) {
        Ok(caps) => caps
            .capabilities
            .contains(v4l::capability::Flags::VIDEO_CAPTURE),
        Err(_) => true,
    }
}

/// Every camera the platform lists captures video.
#[cfg(not(target_os = "linux"))]
fn captures_video(_index: &CameraIndex) -> bool {
    true
}

/// The formats asked of a camera, best first: about 1280x720 at 30 frames a
/// second (MJPEG, then raw YUYV), else whatever runs fastest. More pixels only
/// slow decoding; fewer lose small codes.
fn wanted_formats() -> [RequestedFormat<'static>; 3] {
    let hd = |format| CameraFormat::new(Resolution::new(1280, 720), format, 30);
    [
        RequestedFormatType::Closest(hd(FrameFormat::MJPEG)),
        RequestedFormatType::Closest(hd(FrameFormat::YUYV)),
        RequestedFormatType::AbsoluteHighestFrameRate,
    ]
    .map(RequestedFormat::new::<LumaFormat>)
}

impl CameraSource {
    /// Opens the camera `id` (from [`list_cameras`]) and starts streaming.
    pub fn open(id: &str) -> Result<Self, ScanError> {
        let index = match id.parse::<u32>() {
            Ok(number) => CameraIndex::Index(number),
            Err(_) => CameraIndex::String(id.to_string()),
        };
        let mut last_error = ScanError::NoCamera;
        for format in wanted_formats() {
            let opened = catch_unwind(AssertUnwindSafe(|| {
                let mut camera = Camera::new(index.clone(), format)?;
                camera.open_stream()?;
                Ok(camera)
            }));
            match opened {
                Ok(Ok(camera)) => return Ok(Self { camera }),
                // Only a format the camera lacks is worth another try.
                Ok(Err(err)) => match camera_error(err) {
                    error @ ScanError::Camera(_) => last_error = error,
                    error => return Err(error),
                },
                Err(_) => return Err(ScanError::Camera("the camera driver failed".into())),
            }
        }
        Err(last_error)
    }
}

impl std::fmt::Debug for CameraSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraSource")
            .field("format", &self.camera.camera_format())
            .finish_non_exhaustive()
    }
}

impl FrameSource for CameraSource {
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError> {
        let buffer = self.camera.frame().map_err(camera_error)?;
        let resolution = buffer.resolution();
        let (width, height) = (resolution.width(), resolution.height());
        let bytes = buffer.buffer();
        let frame = match buffer.source_frame_format() {
            FrameFormat::YUYV => LumaFrame::from_yuyv(width, height, bytes)?,
            FrameFormat::NV12 => LumaFrame::from_nv12(width, height, bytes)?,
            FrameFormat::GRAY => LumaFrame::from_luma(width, height, bytes.to_vec())?,
            FrameFormat::RAWRGB => LumaFrame::from_rgb8(width, height, bytes)?,
            FrameFormat::RAWBGR => {
                let rgb: Vec<u8> = bytes
                    .chunks_exact(3)
                    .flat_map(|bgr| [bgr[2], bgr[1], bgr[0]])
                    .collect();
                LumaFrame::from_rgb8(width, height, &rgb)?
            }
            FrameFormat::MJPEG => LumaFrame::from_mjpeg(bytes)?,
        };
        Ok(Some(frame))
    }
}

impl Drop for CameraSource {
    fn drop(&mut self) {
        // Nothing useful can be done if the driver refuses to stop: the
        // device is released when the handle goes anyway.
        let _ = self.camera.stop_stream();
    }
}

fn camera_error(err: nokhwa::NokhwaError) -> ScanError {
    classify(err.to_string())
}

/// Sorts a camera failure by the OS error its message carries.
fn classify(message: String) -> ScanError {
    let lower = message.to_lowercase();
    let says = |needles: &[&str]| needles.iter().any(|needle| lower.contains(needle));
    if says(&[
        "os error 13",
        "permission denied",
        "not authorized",
        "denied",
    ]) {
        ScanError::CameraDenied(message)
    } else if says(&["os error 16", "device or resource busy", "busy"]) {
        ScanError::CameraBusy(message)
    } else if says(&[
        "os error 2)",
        "os error 19",
        "no such file or directory",
        "no such device",
    ]) {
        ScanError::NoCamera
    } else {
        ScanError::Camera(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // These faults need a camera to cause for real (another program holding it,
    // a /dev/video node without access); none exists on the test machines, so
    // the messages below are nokhwa's own formats around the kernel's errors.
    #[test]
    fn tells_apart_the_faults_a_user_can_act_on() {
        let open = |why: &str| format!("Could not open device 0: V4L2 Error: {why}");
        assert!(matches!(
            classify(open("Permission denied (os error 13)")),
            ScanError::CameraDenied(_)
        ));
        assert!(matches!(
            classify("Could not open device stream: Device or resource busy (os error 16)".into()),
            ScanError::CameraBusy(_)
        ));
        assert!(matches!(
            classify(open("No such file or directory (os error 2)")),
            ScanError::NoCamera
        ));
        assert!(matches!(
            classify("Could not capture frame: timed out".into()),
            ScanError::Camera(_)
        ));
    }
}
