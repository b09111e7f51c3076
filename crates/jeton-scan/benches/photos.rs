//! Decode rate and speed of Jeton's scanner on the shared real-photo QR sets,
//! next to `zbarimg` on the same images in the same run, plus the per-frame cost
//! at camera resolutions.
//!
//! Run with `cargo bench -p jeton-scan --bench photos`. Needs `shared/qr-photos`
//! beside the repository; `zbarimg` (Debian: zbar-tools) is optional.

// Shared with the tests, which use more of it.
#[allow(dead_code)]
#[path = "../tests/common/photo_sets.rs"]
mod photo_sets;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use image::imageops::{self, FilterType};
use jeton_scan::{decode_luma, decode_luma_fast, scan_image_bytes, LumaFrame};
use photo_sets::{load_set, photos_root, Photo, SET_NAMES};

/// Repetitions per frame size for the per-frame timings.
const FRAME_RUNS: usize = 30;

fn main() {
    let Some(root) = photos_root() else { return };
    let zbar_available = Command::new("zbarimg").arg("--version").output().is_ok();
    if !zbar_available {
        println!("zbarimg not found: its columns are left empty (apt install zbar-tools)");
    }

    println!("Photo sets (time per image: Jeton = decode file + scan, in process; zbarimg = one process per image)");
    println!(
        "{:<10} {:>6} | {:>13} {:>8} {:>8} {:>6} | {:>13} {:>8} {:>8}",
        "set", "images", "jeton read", "median", "p95", "wrong", "zbarimg read", "median", "p95"
    );
    for set in SET_NAMES {
        let photos = load_set(&root, set);
        let jeton = run_jeton(&photos);
        let zbar = zbar_available.then(|| run_zbar(&photos));
        print_set_row(set, photos.len(), &jeton, zbar.as_ref());
    }

    println!();
    println!("Per-frame decode_luma time (zxing qrcode-1/1.png scaled, luma, single thread, {FRAME_RUNS} runs)");
    println!(
        "{:<10} | {:>9} {:>9} {:>7} | {:>22} | {:>22}",
        "frame", "median", "p95", "decoded", "no code: median / p95", "live pass: median / p95"
    );
    let photo = image::open(root.join("zxing/qrcode-1/1.png"))
        .expect("zxing/qrcode-1/1.png")
        .to_luma8();
    for (width, height) in [(640, 480), (1280, 720), (1920, 1080), (4032, 3024)] {
        print_frame_row(&photo, width, height);
    }
}

/// Outcome of one decoder over one set.
struct SetRun {
    decoded: usize,
    wrong: usize,
    times: Vec<Duration>,
}

fn run_jeton(photos: &[Photo]) -> SetRun {
    let mut run = SetRun {
        decoded: 0,
        wrong: 0,
        times: Vec::new(),
    };
    for photo in photos {
        let bytes = std::fs::read(&photo.path).expect("photo");
        let start = Instant::now();
        let texts = scan_image_bytes(&bytes).unwrap_or_default();
        run.times.push(start.elapsed());
        if texts.iter().any(|t| photo.accepts(t)) {
            run.decoded += 1;
        }
        run.wrong += texts.iter().filter(|t| !photo.accepts(t)).count();
    }
    run
}

fn run_zbar(photos: &[Photo]) -> SetRun {
    let mut run = SetRun {
        decoded: 0,
        wrong: 0,
        times: Vec::new(),
    };
    for photo in photos {
        let start = Instant::now();
        let output = zbarimg(&photo.path);
        run.times.push(start.elapsed());
        if photo.expected.iter().any(|t| output.contains(t.as_str())) {
            run.decoded += 1;
        }
    }
    run
}

/// `zbarimg --raw -q` on `path`; its standard output, empty on failure.
fn zbarimg(path: &Path) -> String {
    Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(path)
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default()
}

fn print_set_row(set: &str, images: usize, jeton: &SetRun, zbar: Option<&SetRun>) {
    let (zbar_read, zbar_median, zbar_p95) = zbar.map_or_else(
        || ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        |z| {
            (
                rate(z.decoded, images),
                ms(percentile(&z.times, 50)),
                ms(percentile(&z.times, 95)),
            )
        },
    );
    println!(
        "{:<10} {:>6} | {:>13} {:>8} {:>8} {:>6} | {:>13} {:>8} {:>8}",
        set,
        images,
        rate(jeton.decoded, images),
        ms(percentile(&jeton.times, 50)),
        ms(percentile(&jeton.times, 95)),
        jeton.wrong,
        zbar_read,
        zbar_median,
        zbar_p95
    );
}

fn print_frame_row(photo: &image::GrayImage, width: u32, height: u32) {
    let scaled = imageops::resize(photo, width, height, FilterType::Triangle);
    let frame = LumaFrame::from_luma(width, height, scaled.clone().into_raw()).expect("frame");
    // The same scene with the code blurred away: the whole cascade runs, as on
    // most camera frames.
    let blurred = imageops::blur(&scaled, 12.0);
    let empty = LumaFrame::from_luma(width, height, blurred.into_raw()).expect("frame");

    let (times, decoded) = time_frame(&frame, decode_luma);
    let (empty_times, _) = time_frame(&empty, decode_luma);
    // What the live camera loop spends on most frames without a code.
    let (fast_times, _) = time_frame(&empty, decode_luma_fast);
    println!(
        "{:<10} | {:>9} {:>9} {:>7} | {:>10} / {:>9} | {:>10} / {:>9}",
        format!("{width}x{height}"),
        ms(percentile(&times, 50)),
        ms(percentile(&times, 95)),
        if decoded { "yes" } else { "NO" },
        ms(percentile(&empty_times, 50)),
        ms(percentile(&empty_times, 95)),
        ms(percentile(&fast_times, 50)),
        ms(percentile(&fast_times, 95)),
    );
}

fn time_frame(frame: &LumaFrame, decode: fn(&LumaFrame) -> Vec<String>) -> (Vec<Duration>, bool) {
    let mut decoded = true;
    let times = (0..FRAME_RUNS)
        .map(|_| {
            let start = Instant::now();
            decoded &= !decode(frame).is_empty();
            start.elapsed()
        })
        .collect();
    (times, decoded)
}

fn percentile(times: &[Duration], percent: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted
        .get((sorted.len() * percent / 100).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

fn rate(decoded: usize, total: usize) -> String {
    format!(
        "{decoded} ({:.0}%)",
        100.0 * decoded as f64 / total.max(1) as f64
    )
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}
