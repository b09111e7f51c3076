//! Jeton's QR decode pipeline: pixels in, QR payload texts out.
//!
//! Adding an account starts with a QR code, and that code reaches Jeton in many
//! shapes: a screenshot or photo file, a camera frame in YUYV or NV12, a clipboard
//! image, the screen itself (`scan_screens`, feature `screen`), a live camera
//! ([`scan_live`] over a [`FrameSource`], `CameraSource` with feature `camera`). This crate
//! reduces every source to one [`LumaFrame`] and runs one decode cascade on it
//! ([`decode_luma`]), so the desktop app, the CLI and the tests all read codes
//! the same way. It knows nothing of Tauri or of `otpauth` URIs: it
//! returns the texts, and the caller parses them.
//!
//! No panic escapes: third-party decoders run under `catch_unwind`, image headers
//! are checked before decoding so decompression bombs are refused
//! ([`ScanError::TooLarge`]), and every error has a stable [`ScanError::code`] the
//! UI can translate.

#![warn(missing_docs)]

mod binarize;
#[cfg(feature = "camera")]
mod camera;
mod decoders;
mod frame;
mod image_input;
mod live;
mod pipeline;
#[cfg(all(feature = "screen", unix, not(target_os = "macos")))]
mod portal;
#[cfg(feature = "screen")]
mod screen;
mod source;

use std::path::{Path, PathBuf};

#[cfg(feature = "camera")]
pub use camera::{list_cameras, CameraDevice, CameraSource};
pub use frame::{LumaFrame, MAX_FRAME_PIXELS, MAX_FRAME_SIDE};
pub use image_input::MAX_IMAGE_FILE_BYTES;
pub use live::{coarse_preview, scan_live, LiveEnd, Next, PREVIEW_SIDE};
pub use pipeline::{decode_luma, decode_luma_fast};
#[cfg(feature = "screen")]
pub use screen::{scan_screens, ScreenCapture, ScreenScan};
pub use source::{scan_source, FrameSource, ImageFileSource, ReplaySource};

/// Everything that can go wrong between an image (or camera) and a QR payload.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The file could not be opened or read.
    #[error("could not read {path}: {source}")]
    FileUnreadable {
        /// The file that was asked for.
        path: PathBuf,
        /// Why the operating system refused.
        source: std::io::Error,
    },
    /// The bytes are not an image in a format Jeton reads (PNG, JPEG, WebP).
    #[error("unsupported image format: {0}")]
    UnsupportedFormat(String),
    /// The image is in a known format but is corrupt or truncated.
    #[error("the image could not be decoded: {0}")]
    UnreadableImage(String),
    /// The image or frame is larger than Jeton accepts (likely a decompression bomb).
    #[error("the image is too large ({width}x{height} pixels)")]
    TooLarge {
        /// Width claimed by the image or frame.
        width: u32,
        /// Height claimed by the image or frame.
        height: u32,
    },
    /// The image file is larger than Jeton reads.
    #[error("the image file is too large ({size} bytes; the most Jeton reads is {limit})")]
    FileTooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The most accepted.
        limit: u64,
    },
    /// A frame buffer does not match its declared size or pixel format.
    #[error("invalid frame: {0}")]
    InvalidFrame(String),
    /// No camera is connected (or the chosen one was unplugged).
    #[error("no camera found")]
    NoCamera,
    /// The camera is in use by another application.
    #[error("the camera is in use by another application ({0})")]
    CameraBusy(String),
    /// The operating system refused access to the camera.
    #[error("access to the camera was refused ({0})")]
    CameraDenied(String),
    /// The camera could not be opened or stopped delivering frames.
    #[error("camera error: {0}")]
    Camera(String),
    /// The screens could not be captured (no display, or a Wayland desktop
    /// without a screenshot service, or permission refused).
    #[error(
        "could not capture the screen ({0}); take a screenshot and add it as an image file instead"
    )]
    ScreenUnavailable(String),
    /// The image was read, but no QR code could be decoded in it.
    #[error("no QR code found")]
    NoQrFound,
}

impl ScanError {
    /// A stable, translatable key for this error, e.g. `"scan.no_qr_found"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FileUnreadable { .. } => "scan.file_unreadable",
            Self::UnsupportedFormat(_) => "scan.unsupported_format",
            Self::UnreadableImage(_) => "scan.unreadable_image",
            Self::TooLarge { .. } => "scan.too_large",
            Self::FileTooLarge { .. } => "scan.file_too_large",
            Self::InvalidFrame(_) => "scan.invalid_frame",
            Self::NoCamera => "scan.no_camera",
            Self::CameraBusy(_) => "scan.camera_busy",
            Self::CameraDenied(_) => "scan.camera_denied",
            Self::Camera(_) => "scan.camera",
            Self::ScreenUnavailable(_) => "scan.screen_unavailable",
            Self::NoQrFound => "scan.no_qr_found",
        }
    }
}

/// Every distinct QR payload in an encoded image (PNG, JPEG or WebP).
///
/// Returns `Err(ScanError::NoQrFound)`, never an empty list, when the image
/// decodes but holds no readable QR code.
pub fn scan_image_bytes(bytes: &[u8]) -> Result<Vec<String>, ScanError> {
    let frame = image_input::decode_to_luma(bytes)?;
    let texts = decode_luma(&frame);
    if texts.is_empty() {
        Err(ScanError::NoQrFound)
    } else {
        Ok(texts)
    }
}

/// Every distinct QR payload in the image file at `path` (PNG, JPEG or WebP).
///
/// Returns `Err(ScanError::NoQrFound)`, never an empty list, when the image
/// decodes but holds no readable QR code.
pub fn scan_image_file(path: &Path) -> Result<Vec<String>, ScanError> {
    scan_image_bytes(&read_file(path)?)
}

/// Reads an image file, refusing one over [`MAX_IMAGE_FILE_BYTES`] before reading
/// it (a FIFO or a device that never ends is cut at the limit too).
fn read_file(path: &Path) -> Result<Vec<u8>, ScanError> {
    use std::io::Read;
    let unreadable = |source| ScanError::FileUnreadable {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_IMAGE_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    image_input::check_file_size(bytes.len() as u64)?;
    Ok(bytes)
}
