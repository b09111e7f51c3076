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

/// The passes, in the order they run. On the photo sets the first pass alone
/// reads 165/179 (zxing), 120/137 (zxing-cpp) and 211/214 (jsQR) photos; the
/// fallbacks, each kept because it read photos every earlier pass missed, bring
/// that to 172, 127 and 214 (the `photos` benchmark prints the current figures).
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

/// Fallback passes look at the frame shrunk to at most this many pixels on its
/// longer side, and are skipped when their own scaling would exceed it: phone
/// photos (4000 px and more) read better and much faster once shrunk, and
/// upscaling a large frame finds nothing new.
const MAX_FALLBACK_SIDE: u32 = 1600;

/// Every distinct QR payload found in `frame`, in the order found; empty when none.
///
/// Runs a cascade of decoders and preprocessing passes (both decoders, several
/// scales and binarisations, dark-mode codes included) and stops at the first
/// pass that reads anything. Never panics.
pub fn decode_luma(frame: &LumaFrame) -> Vec<String> {
    let Some((&first, fallbacks)) = CASCADE.split_first() else {
        return Vec::new();
    };
    let texts = run_pass(first, frame);
    if !texts.is_empty() {
        return texts;
    }
    let longer_side = frame.width().max(frame.height());
    let shrunk;
    let working = if longer_side > MAX_FALLBACK_SIDE {
        let (width, height) = scaled_size(frame, MAX_FALLBACK_SIDE, longer_side);
        shrunk = frame.resized(width, height);
        &shrunk
    } else {
        frame
    };
    for &pass in fallbacks {
        let (num, den) = pass.scale();
        let (width, height) = scaled_size(working, num, den);
        if width.max(height) > MAX_FALLBACK_SIDE {
            continue;
        }
        let texts = run_pass(pass, working);
        if !texts.is_empty() {
            return texts;
        }
    }
    Vec::new()
}

/// The payloads the first, cheapest pass of [`decode_luma`] reads in `frame`.
///
/// A live camera calls this on most frames and the full cascade only now and
/// then: a frame without a code costs the whole cascade (tens of milliseconds at
/// 720p) but only this pass's share of it, and the next frame comes anyway.
pub fn decode_luma_fast(frame: &LumaFrame) -> Vec<String> {
    CASCADE
        .first()
        .map(|&pass| run_pass(pass, frame))
        .unwrap_or_default()
}

impl Pass {
    /// The factor `num / den` this pass scales its frame by.
    fn scale(self) -> (u32, u32) {
        match self {
            Pass::Rxing(_) => (1, 1),
            Pass::RxingScaled { num, den } | Pass::RqrrLocal { num, den, .. } => (num, den),
        }
    }
}

/// `frame`'s size scaled by `num / den` (at least 1x1).
fn scaled_size(frame: &LumaFrame, num: u32, den: u32) -> (u32, u32) {
    let scale = |side: u32| (u64::from(side) * u64::from(num) / u64::from(den)).max(1) as u32;
    (scale(frame.width()), scale(frame.height()))
}

/// The distinct texts `pass` reads in `frame`.
fn run_pass(pass: Pass, frame: &LumaFrame) -> Vec<String> {
    let (num, den) = pass.scale();
    let scaled;
    let view = if num == den {
        frame
    } else {
        let (width, height) = scaled_size(frame, num, den);
        scaled = frame.resized(width, height);
        &scaled
    };
    let mut texts = match pass {
        Pass::Rxing(binarizer) => rxing_on_luma(view, binarizer),
        Pass::RxingScaled { .. } => rxing_on_luma(view, RxingBinarizer::Hybrid),
        Pass::RqrrLocal { radius_divisor, .. } => {
            let side = view.width().max(view.height());
            let radius = (side / radius_divisor).max(4) as usize;
            let dark = local_mean_threshold(view, radius);
            rqrr_on_bitmap(view.width(), view.height(), &dark)
        }
    };
    let mut seen = std::collections::HashSet::new();
    texts.retain(|text| seen.insert(text.clone()));
    texts
}
