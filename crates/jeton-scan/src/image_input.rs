//! Encoded images (PNG, JPEG, WebP) to luma frames, refusing decompression bombs.
//!
//! The header is read first and the claimed size checked against
//! [`MAX_FRAME_PIXELS`](crate::MAX_FRAME_PIXELS) before any pixel is decoded, so a
//! tiny file claiming 100000x100000 pixels costs nothing.

use std::io::Cursor;

use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};

use crate::frame::{checked_pixel_count, LumaFrame, MAX_FRAME_SIDE};
use crate::ScanError;

/// Memory the image decoder may allocate: the largest accepted RGBA frame
/// (192 MiB) and 48 MiB of working buffers, under the 256 MiB an input may cost.
const MAX_DECODER_ALLOC: u64 = crate::MAX_FRAME_PIXELS * 4 + 48 * 1024 * 1024;

/// Largest image file read: 64 MiB. Real QR screenshots are kilobytes and phone
/// photos 2–20 MB; a bigger file is refused before it is read or decoded.
pub const MAX_IMAGE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Refuses an image file larger than [`MAX_IMAGE_FILE_BYTES`].
pub(crate) fn check_file_size(size: u64) -> Result<(), ScanError> {
    if size > MAX_IMAGE_FILE_BYTES {
        return Err(ScanError::FileTooLarge {
            size,
            limit: MAX_IMAGE_FILE_BYTES,
        });
    }
    Ok(())
}

/// Decodes `bytes` and converts them to luma, flattening transparency onto white.
pub(crate) fn decode_to_luma(bytes: &[u8]) -> Result<LumaFrame, ScanError> {
    check_file_size(bytes.len() as u64)?;
    let format = image::guess_format(bytes)
        .map_err(|_| ScanError::UnsupportedFormat("not a PNG, JPEG or WebP image".into()))?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(ScanError::UnsupportedFormat(format!(
            "{format:?} images are not supported (use PNG, JPEG or WebP)"
        )));
    }

    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(image_error)?;
    checked_pixel_count(width, height)?;

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_FRAME_SIDE);
    limits.max_image_height = Some(MAX_FRAME_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(image_error)?;
    luma_on_white(&image)
}

/// Decodes a camera's MJPEG frame, as [`decode_to_luma`] decodes a JPEG file.
///
/// Many webcams leave the DHT (Huffman table) segment out of their frames, since
/// Motion-JPEG fixes it to the standard tables. image's JPEG decoder (zune-jpeg)
/// fills those in for a frame marked as Motion-JPEG by an `AVI1` APP0 segment, as
/// AVI files mark theirs: a frame without DHT and without that mark gets it after
/// its SOI, so the decoder supplies the tables rather than failing.
pub(crate) fn decode_mjpeg_to_luma(frame: &[u8]) -> Result<LumaFrame, ScanError> {
    const AVI1_APP0: [u8; 9] = [0xFF, 0xE0, 0x00, 0x07, b'A', b'V', b'I', b'1', 0x00];
    if !frame.starts_with(&[0xFF, 0xD8]) || has_huffman_tables(frame) {
        return decode_to_luma(frame);
    }
    let mut marked = Vec::with_capacity(frame.len() + AVI1_APP0.len());
    marked.extend_from_slice(&frame[..2]);
    marked.extend_from_slice(&AVI1_APP0);
    marked.extend_from_slice(&frame[2..]);
    decode_to_luma(&marked)
}

/// Whether a JPEG's header (the segments before its scan) holds a DHT segment;
/// a header that cannot be walked counts as having one (the decoder then says why).
fn has_huffman_tables(jpeg: &[u8]) -> bool {
    let mut at = 2;
    while let [0xFF, marker, high, low, ..] = jpeg[at.min(jpeg.len())..] {
        match marker {
            0xC4 => return true,
            0xDA => return false,
            _ => at += 2 + usize::from(u16::from_be_bytes([high, low])),
        }
    }
    true
}

/// Luma of `image`; transparent pixels count as white paper, as on screen.
///
/// QR generators often emit black modules on a transparent background, whose
/// hidden colour is black too: ignoring alpha would turn the whole code black.
fn luma_on_white(image: &DynamicImage) -> Result<LumaFrame, ScanError> {
    let (width, height) = (image.width(), image.height());
    if !image.color().has_alpha() {
        return LumaFrame::from_luma(width, height, image.to_luma8().into_raw());
    }
    // Most images with alpha decode as RGBA8 already: read them in place rather
    // than copying the largest buffer of the decode.
    let converted;
    let rgba: &[u8] = match image.as_rgba8() {
        Some(rgba) => rgba.as_raw(),
        None => {
            converted = image.to_rgba8();
            converted.as_raw()
        }
    };
    let luma = LumaFrame::from_rgba8(width, height, rgba)?;
    let flattened = luma
        .data()
        .iter()
        .zip(rgba.chunks_exact(4))
        .map(|(&value, px)| {
            let alpha = u32::from(px[3]);
            ((u32::from(value) * alpha + 255 * (255 - alpha) + 127) / 255) as u8
        })
        .collect();
    LumaFrame::from_luma(width, height, flattened)
}

fn image_error(err: ImageError) -> ScanError {
    match err {
        ImageError::Limits(limit) => ScanError::UnreadableImage(format!(
            "the image needs more memory than allowed ({limit})"
        )),
        ImageError::Unsupported(unsupported) => {
            ScanError::UnsupportedFormat(unsupported.to_string())
        }
        other => ScanError::UnreadableImage(other.to_string()),
    }
}
