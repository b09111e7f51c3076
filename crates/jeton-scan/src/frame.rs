//! Greyscale frames: the one pixel format the decoders see.
//!
//! Cameras hand out YUYV or NV12, image files decode to RGB(A); everything is
//! reduced to 8-bit luma here so the rest of the pipeline has a single input type.

use crate::ScanError;

/// Largest frame accepted, in pixels: 48 Mi (an 8K screen is 33 M, a 48-megapixel
/// phone photo 48 M). Decoded as RGBA that is 192 MiB, the largest single
/// allocation, under the 256 MiB any one allocation may be (docs/fuzzing.md); the
/// whole decode of such an image peaks near 290 MiB (two luma buffers beside it).
/// Anything larger is a decompression bomb or a mistake.
pub const MAX_FRAME_PIXELS: u64 = 48 * 1024 * 1024;

/// Largest width or height accepted, in pixels.
pub const MAX_FRAME_SIDE: u32 = 16_384;

/// An 8-bit greyscale (luma) image, row-major, one byte per pixel, no padding.
#[derive(Clone, PartialEq, Eq)]
pub struct LumaFrame {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl std::fmt::Debug for LumaFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

impl LumaFrame {
    /// A frame from luma bytes (`width * height` of them, row-major).
    pub fn from_luma(width: u32, height: u32, data: Vec<u8>) -> Result<Self, ScanError> {
        let pixels = checked_pixel_count(width, height)?;
        expect_len("luma", data.len(), pixels)?;
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// A frame from packed 8-bit RGB (3 bytes per pixel), converted with BT.601 weights.
    pub fn from_rgb8(width: u32, height: u32, rgb: &[u8]) -> Result<Self, ScanError> {
        Self::from_packed_rgb(width, height, rgb, 3, "RGB8")
    }

    /// A frame from packed 8-bit RGBA (4 bytes per pixel); alpha is ignored.
    pub fn from_rgba8(width: u32, height: u32, rgba: &[u8]) -> Result<Self, ScanError> {
        Self::from_packed_rgb(width, height, rgba, 4, "RGBA8")
    }

    /// A frame from packed YUYV 4:2:2 (Y0 U Y1 V, 2 bytes per pixel); `width` must be even.
    pub fn from_yuyv(width: u32, height: u32, yuyv: &[u8]) -> Result<Self, ScanError> {
        let pixels = checked_pixel_count(width, height)?;
        if !width.is_multiple_of(2) {
            return Err(ScanError::InvalidFrame(format!(
                "YUYV frames need an even width, got {width}"
            )));
        }
        expect_len("YUYV", yuyv.len(), pixels * 2)?;
        let data = yuyv.iter().step_by(2).copied().collect();
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// A frame from a camera's MJPEG frame (a JPEG, often without its Huffman
    /// tables), decoded in pure Rust with the same size checks as an image file.
    pub fn from_mjpeg(frame: &[u8]) -> Result<Self, ScanError> {
        crate::image_input::decode_mjpeg_to_luma(frame)
    }

    /// A frame from NV12 (a full-size Y plane followed by an interleaved half-size UV plane).
    ///
    /// Only the Y plane is read; the buffer must still hold both planes
    /// (`width * height + 2 * ceil(width / 2) * ceil(height / 2)` bytes).
    pub fn from_nv12(width: u32, height: u32, nv12: &[u8]) -> Result<Self, ScanError> {
        let pixels = checked_pixel_count(width, height)?;
        let chroma = 2 * width.div_ceil(2) as usize * height.div_ceil(2) as usize;
        expect_len("NV12", nv12.len(), pixels + chroma)?;
        Ok(Self {
            width,
            height,
            data: nv12[..pixels].to_vec(),
        })
    }

    fn from_packed_rgb(
        width: u32,
        height: u32,
        bytes: &[u8],
        bytes_per_pixel: usize,
        format: &str,
    ) -> Result<Self, ScanError> {
        let pixels = checked_pixel_count(width, height)?;
        expect_len(format, bytes.len(), pixels * bytes_per_pixel)?;
        let data = bytes
            .chunks_exact(bytes_per_pixel)
            .map(|px| bt601_luma(px[0], px[1], px[2]))
            .collect();
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The luma bytes, row-major, `width * height` of them.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Luma at (`x`, `y`); the caller keeps the coordinates in range.
    pub(crate) fn pixel(&self, x: usize, y: usize) -> u8 {
        self.data[y * self.width as usize + x]
    }

    /// A resampled copy of size `width` x `height` (area average when shrinking,
    /// bilinear when growing).
    pub(crate) fn resized(&self, width: u32, height: u32) -> Self {
        if width < self.width && height < self.height {
            self.shrunk(width, height)
        } else {
            self.bilinear(width, height)
        }
    }

    fn shrunk(&self, width: u32, height: u32) -> Self {
        let (src_w, src_h) = (self.width as usize, self.height as usize);
        let (dst_w, dst_h) = (width as usize, height as usize);
        let mut data = Vec::with_capacity(dst_w * dst_h);
        for dy in 0..dst_h {
            let y0 = dy * src_h / dst_h;
            let y1 = ((dy + 1) * src_h / dst_h).max(y0 + 1);
            for dx in 0..dst_w {
                let x0 = dx * src_w / dst_w;
                let x1 = ((dx + 1) * src_w / dst_w).max(x0 + 1);
                let mut sum = 0u32;
                for row in self.data[y0 * src_w..y1 * src_w].chunks_exact(src_w) {
                    sum += row[x0..x1].iter().map(|&v| u32::from(v)).sum::<u32>();
                }
                let count = ((y1 - y0) * (x1 - x0)) as u32;
                data.push((sum / count) as u8);
            }
        }
        Self {
            width,
            height,
            data,
        }
    }

    fn bilinear(&self, width: u32, height: u32) -> Self {
        let (src_w, src_h) = (self.width as usize, self.height as usize);
        let (dst_w, dst_h) = (width as usize, height as usize);
        let scale_x = src_w as f32 / dst_w as f32;
        let scale_y = src_h as f32 / dst_h as f32;
        let mut data = Vec::with_capacity(dst_w * dst_h);
        for dy in 0..dst_h {
            let sy = ((dy as f32 + 0.5) * scale_y - 0.5).clamp(0.0, (src_h - 1) as f32);
            let y0 = sy as usize;
            let y1 = (y0 + 1).min(src_h - 1);
            let fy = sy - y0 as f32;
            for dx in 0..dst_w {
                let sx = ((dx as f32 + 0.5) * scale_x - 0.5).clamp(0.0, (src_w - 1) as f32);
                let x0 = sx as usize;
                let x1 = (x0 + 1).min(src_w - 1);
                let fx = sx - x0 as f32;
                let top =
                    f32::from(self.pixel(x0, y0)) * (1.0 - fx) + f32::from(self.pixel(x1, y0)) * fx;
                let bottom =
                    f32::from(self.pixel(x0, y1)) * (1.0 - fx) + f32::from(self.pixel(x1, y1)) * fx;
                data.push((top * (1.0 - fy) + bottom * fy + 0.5) as u8);
            }
        }
        Self {
            width,
            height,
            data,
        }
    }
}

/// BT.601 luma from 8-bit RGB, in integer arithmetic.
fn bt601_luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 + 500) / 1000) as u8
}

/// `width * height`, refusing empty and oversized frames.
pub(crate) fn checked_pixel_count(width: u32, height: u32) -> Result<usize, ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::InvalidFrame(format!(
            "empty frame ({width}x{height})"
        )));
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_FRAME_SIDE || height > MAX_FRAME_SIDE || pixels > MAX_FRAME_PIXELS {
        return Err(ScanError::TooLarge { width, height });
    }
    usize::try_from(pixels).map_err(|_| ScanError::TooLarge { width, height })
}

fn expect_len(format: &str, actual: usize, expected: usize) -> Result<(), ScanError> {
    if actual == expected {
        Ok(())
    } else {
        Err(ScanError::InvalidFrame(format!(
            "{format} buffer holds {actual} bytes, expected {expected}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(width: u32, height: u32) -> LumaFrame {
        let data = (0..width * height)
            .map(|i| (i % width * 255 / (width - 1)) as u8)
            .collect();
        LumaFrame::from_luma(width, height, data).expect("frame")
    }

    #[test]
    fn shrinking_averages_blocks() {
        let frame =
            LumaFrame::from_luma(4, 2, vec![0, 100, 200, 255, 0, 100, 200, 255]).expect("frame");
        let half = frame.resized(2, 1);
        assert_eq!((half.width(), half.height()), (2, 1));
        assert_eq!(half.data(), &[50, 227]);
    }

    #[test]
    fn enlarging_keeps_the_ramp_monotonic() {
        let big = ramp(10, 3).resized(25, 7);
        assert_eq!(big.data().len(), 25 * 7);
        let row = &big.data()[..25];
        assert!(row.windows(2).all(|w| w[0] <= w[1]), "{row:?}");
        assert_eq!((row[0], row[24]), (0, 255));
    }

    #[test]
    fn rgb_luma_uses_bt601_weights() {
        let frame = LumaFrame::from_rgb8(3, 1, &[255, 0, 0, 0, 255, 0, 0, 0, 255]).expect("frame");
        assert_eq!(frame.data(), &[76, 150, 29]);
    }
}
