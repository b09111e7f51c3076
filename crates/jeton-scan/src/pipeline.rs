//! The decode cascade: cheap passes first, expensive fallbacks only when needed.
//!
//! Measured on the shared photo sets (zxing, zxing-cpp, jsQR), rxing's zxing-cpp
//! port on ZXing's hybrid binarizer reads most photos in well under a millisecond
//! each, while rqrr alone reads barely half of them and is slower. The later
//! passes each rescue a few photos the first one misses (glare, blur, tiny or
//! heavily compressed codes); they only run on frames where nothing was found.

use crate::binarize::local_mean_threshold;
use crate::decoders::{rqrr_on_bitmap, rxing_on_luma, RxingBinarizer};
use crate::frame::LumaFrame;

/// One way of looking at a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// rxing (zxing-cpp port, TryHarder, normal then inverted) with `binarizer`.
    Rxing(RxingBinarizer),
    /// rxing with the hybrid binarizer, on the frame scaled by `num / den`.
    RxingScaled { num: u32, den: u32 },
    /// rqrr on a local-mean threshold (window radius `side / radius_divisor`)
    /// of the frame scaled by `num / den`.
    RqrrLocal {
        num: u32,
        den: u32,
        radius_divisor: u32,
    },
}

/// The passes, in the order they run. Each fallback earned its place by reading
/// photos that every earlier pass missed (see the crate's `photos` benchmark).
const CASCADE: &[Pass] = &[
    Pass::Rxing(RxingBinarizer::Hybrid),
    Pass::Rxing(RxingBinarizer::GlobalHistogram),
    Pass::RxingScaled { num: 1, den: 2 },
    Pass::RxingScaled { num: 3, den: 2 },
    Pass::RqrrLocal {
        num: 3,
        den: 2,
        radius_divisor: 8,
    },
    Pass::RqrrLocal {
        num: 1,
        den: 1,
        radius_divisor: 4,
    },
];

/// Fallback passes are skipped when the frame they would look at is larger than
/// this on its longer side: upscaling a large frame finds nothing new, and the
/// time is better spent on the next camera frame.
const MAX_FALLBACK_SIDE: u32 = 1600;

/// Every distinct QR payload found in `frame`, in the order found; empty when none.
///
/// Runs a cascade of decoders and preprocessing passes (both decoders, several
/// scales and binarisations, dark-mode codes included) and stops at the first
/// pass that reads anything. Never panics.
pub fn decode_luma(frame: &LumaFrame) -> Vec<String> {
    let mut texts = Vec::new();
    for (index, &pass) in CASCADE.iter().enumerate() {
        let is_fallback = index > 0;
        for text in run_pass(pass, frame, is_fallback) {
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
        if !texts.is_empty() {
            break;
        }
    }
    texts
}

fn run_pass(pass: Pass, frame: &LumaFrame, is_fallback: bool) -> Vec<String> {
    let (num, den) = match pass {
        Pass::Rxing(_) => (1, 1),
        Pass::RxingScaled { num, den } | Pass::RqrrLocal { num, den, .. } => (num, den),
    };
    let width = (u64::from(frame.width()) * u64::from(num) / u64::from(den)).max(1) as u32;
    let height = (u64::from(frame.height()) * u64::from(num) / u64::from(den)).max(1) as u32;
    if is_fallback && width.max(height) > MAX_FALLBACK_SIDE {
        return Vec::new();
    }
    let scaled;
    let view = if (width, height) == (frame.width(), frame.height()) {
        frame
    } else {
        scaled = frame.resized(width, height);
        &scaled
    };
    match pass {
        Pass::Rxing(binarizer) => rxing_on_luma(view, binarizer),
        Pass::RxingScaled { .. } => rxing_on_luma(view, RxingBinarizer::Hybrid),
        Pass::RqrrLocal { radius_divisor, .. } => {
            let side = view.width().max(view.height());
            let radius = (side / radius_divisor).max(4) as usize;
            let dark = local_mean_threshold(view, radius);
            rqrr_on_bitmap(view.width(), view.height(), &dark)
        }
    }
}
