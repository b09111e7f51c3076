//! Live camera frames through nokhwa (V4L2 on Linux), behind the `camera` feature.
//!
//! Raw YUYV, NV12 and grey frames go straight to [`LumaFrame`] (their Y plane is
//! the luma); only MJPEG frames are decompressed, by nokhwa's own decoder.

use nokhwa::pixel_format::LumaFormat;
use nokhwa::utils::{CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};
use nokhwa::Camera;

use crate::frame::LumaFrame;
use crate::source::FrameSource;
use crate::ScanError;

/// A [`FrameSource`] over a system camera; the stream stops when it is dropped.
pub struct CameraSource {
    camera: Camera,
}

impl CameraSource {
    /// Opens camera number `index` (0 is usually the built-in one) in its
    /// highest-frame-rate format and starts streaming.
    pub fn open(index: u32) -> Result<Self, ScanError> {
        let format =
            RequestedFormat::new::<LumaFormat>(RequestedFormatType::AbsoluteHighestFrameRate);
        let mut camera = Camera::new(CameraIndex::Index(index), format).map_err(camera_error)?;
        camera.open_stream().map_err(camera_error)?;
        Ok(Self { camera })
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
            FrameFormat::MJPEG => {
                let luma = buffer.decode_image::<LumaFormat>().map_err(camera_error)?;
                LumaFrame::from_luma(luma.width(), luma.height(), luma.into_raw())?
            }
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
    ScanError::Camera(err.to_string())
}
