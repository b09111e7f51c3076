//! Thin, panic-proof wrappers around the two third-party QR decoders.
//!
//! rxing (a ZXing / zxing-cpp port) reads most photos and is fast; rqrr (a quirc
//! port) fails on different images, so it serves as a fallback. rqrr has panicked
//! on real photos, and any decoder may: every call runs under `catch_unwind`, and a
//! panic counts as "nothing found".

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source};

use crate::frame::LumaFrame;

/// Runs rqrr on a black/white bitmap (`true` = dark module) of the frame's size.
pub(crate) fn rqrr_on_bitmap(width: u32, height: u32, dark: &[bool]) -> Vec<String> {
    let (w, h) = (width as usize, height as usize);
    guarded(|| {
        let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| dark[y * w + x]);
        read_grids(&prepared.detect_grids())
    })
    .unwrap_or_default()
}

/// The texts of the grids that decode. rqrr ignores ECI and character sets, so
/// a payload that is not UTF-8 is dropped rather than guessed at: rxing, which
/// handles them, has already had its chance.
fn read_grids<G: rqrr::BitGrid>(grids: &[rqrr::Grid<G>]) -> Vec<String> {
    grids
        .iter()
        .filter_map(|grid| grid.decode().ok())
        .map(|(_meta, text)| text)
        .collect()
}

/// Which rxing binarizer to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RxingBinarizer {
    /// Local block thresholds (ZXing's default for 2D codes).
    Hybrid,
    /// One histogram-derived threshold per image.
    GlobalHistogram,
}

/// Runs rxing's zxing-cpp QR reader (TryHarder, every code in the frame) on the
/// frame, then on its inverted view (dark-mode codes) if nothing was found.
pub(crate) fn rxing_on_luma(frame: &LumaFrame, binarizer: RxingBinarizer) -> Vec<String> {
    guarded(|| {
        let Ok(source) = Luma8Source::new_with_slice(frame.data(), frame.width(), frame.height())
        else {
            return Vec::new();
        };
        match binarizer {
            RxingBinarizer::Hybrid => {
                read_normal_then_inverted(&mut BinaryBitmap::new(HybridBinarizer::new(source)))
            }
            RxingBinarizer::GlobalHistogram => read_normal_then_inverted(&mut BinaryBitmap::new(
                GlobalHistogramBinarizer::new(source),
            )),
        }
    })
    .unwrap_or_default()
}

fn read_normal_then_inverted<B: Binarizer>(bitmap: &mut BinaryBitmap<B>) -> Vec<String> {
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let read = |bitmap: &mut BinaryBitmap<B>| -> Vec<String> {
        QrReader
            .decode_multiple_with_hints(bitmap, &hints)
            .unwrap_or_default()
            .iter()
            .map(|result| result.getText().to_owned())
            .collect()
    };
    let texts = read(bitmap);
    if !texts.is_empty() {
        return texts;
    }
    bitmap.invert();
    read(bitmap)
}

/// Runs `decode`, turning a panic inside a third-party decoder into `None`.
fn guarded<T>(decode: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(decode)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binarize::local_mean_threshold;

    #[test]
    fn guarded_turns_a_panic_into_none() {
        assert_eq!(guarded(|| 7), Some(7));
        assert_eq!(guarded(|| -> u8 { panic!("decoder bug") }), None);
    }

    /// rqrr 0.11 hits `assertion failed: x <= i32::MAX as f64` on this photo
    /// (zxing qrcode-6/7.png, thresholded); the wrapper must swallow it.
    #[test]
    fn rqrr_panic_on_a_real_photo_is_contained() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/qr-photos/zxing/qrcode-6/7.png");
        let Ok(bytes) = std::fs::read(&path) else {
            println!("qr-photos absent: skipped");
            return;
        };
        let frame = crate::image_input::decode_to_luma(&bytes).expect("photo");
        let dark = local_mean_threshold(&frame, 60);
        let (w, h) = (frame.width() as usize, frame.height() as usize);
        let unguarded = catch_unwind(|| {
            let mut prepared =
                rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| dark[y * w + x]);
            read_grids(&prepared.detect_grids())
        });
        assert!(
            unguarded.is_err(),
            "rqrr no longer panics here: drop this test"
        );
        assert!(rqrr_on_bitmap(frame.width(), frame.height(), &dark).is_empty());
    }
}
