//! Thin, panic-proof wrappers around the two third-party QR decoders.
//!
//! rxing (a ZXing / zxing-cpp port) reads most photos and is fast; rqrr (a quirc
//! port) fails on different images, so it serves as a fallback. rqrr has panicked
//! on real photos, and any decoder may: every call runs under `catch_unwind`, and a
//! panic counts as "nothing found".
//!
//! A caught panic still goes through the process's panic hook, whose default
//! prints "thread … panicked at …" on stderr: `jeton scan` users would see a
//! decoder's internal failure for an image that simply did not decode. So the
//! first guarded call installs (once) a hook that wraps the previous one and
//! stays silent while the panicking thread is inside a guarded decoder call;
//! every other panic, on any thread, still reaches the previous hook.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

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

thread_local! {
    /// True while this thread runs a guarded decoder call.
    static IN_GUARDED_DECODER: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Wraps the current panic hook (once per process) so that panics raised inside
/// [`guarded`] on this thread are not reported; all others are, by the previous hook.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_GUARDED_DECODER.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Marks this thread as inside a guarded call until dropped, restoring the
/// previous state (guarded calls may nest).
struct GuardFlag {
    was_set: bool,
}

impl GuardFlag {
    fn set() -> Self {
        Self {
            was_set: IN_GUARDED_DECODER.with(|flag| flag.replace(true)),
        }
    }
}

impl Drop for GuardFlag {
    fn drop(&mut self) {
        IN_GUARDED_DECODER.with(|flag| flag.set(self.was_set));
    }
}

/// Runs `decode`, turning a panic inside a third-party decoder into `None`,
/// without letting the panic hook print it.
pub(crate) fn guarded<T>(decode: impl FnOnce() -> T) -> Option<T> {
    install_quiet_hook();
    let _flag = GuardFlag::set();
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

    const HOOK_CHILD_ENV: &str = "JETON_SCAN_PANIC_HOOK_CHILD";
    const HOOK_TEST: &str = "decoders::tests::guarded_panics_skip_the_previous_hook";

    /// The quiet hook is process-wide and installed once, so the check runs in a
    /// child process (this test binary, running only this test) where a counting
    /// hook is in place before the first guarded call.
    #[test]
    fn guarded_panics_skip_the_previous_hook() {
        if std::env::var_os(HOOK_CHILD_ENV).is_some() {
            return hook_child();
        }
        let exe = std::env::current_exe().expect("test binary");
        let output = std::process::Command::new(exe)
            .args([HOOK_TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(HOOK_CHILD_ENV, "1")
            .output()
            .expect("run the test binary");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
        assert!(
            stdout.contains("hook child: ok"),
            "the child did not run the check:\n{stdout}"
        );
        assert!(!stderr.contains("silenced decoder bug"), "{stderr}");
    }

    fn hook_child() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;

        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        std::panic::set_hook(Box::new(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        }));

        assert_eq!(guarded(|| -> u8 { panic!("silenced decoder bug") }), None);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "guarded panic was reported"
        );

        // Nested guards: the outer call stays silent after the inner one returns.
        let nested = guarded(|| {
            assert_eq!(guarded(|| 1), Some(1));
            panic!("silenced decoder bug, outer")
        });
        assert_eq!(nested, None::<()>);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "outer guarded panic was reported"
        );

        // Outside a guard, panics reach the previous hook again.
        assert!(catch_unwind(|| panic!("unguarded")).is_err());
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "unguarded panic was not reported"
        );

        // The flag is per thread: another thread's panic during a guarded call is reported.
        let seen_inside = guarded(|| {
            let joined = std::thread::spawn(|| panic!("other thread")).join();
            assert!(joined.is_err());
            calls.load(Ordering::SeqCst)
        });
        assert_eq!(seen_inside, Some(2), "another thread's panic was silenced");

        let _ = std::panic::take_hook();
        println!("hook child: ok");
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
