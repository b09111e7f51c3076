//! Scanning screens: a small QR code on a large, busy screen capture decodes,
//! and (feature `screen`, with an X display) `scan_screens` reads a QR code shown
//! by a real image viewer.

mod common;

use std::time::Instant;

use common::qr_render::{render_qr, KEYCLOAK_URI};
use jeton_scan::{decode_luma, LumaFrame};

/// A desktop-like luma frame: a dark panel, a light page with lines of "text"
/// (dark bars of varied lengths), and `qr` pasted at (`left`, `top`).
fn desktop_with_qr(width: u32, height: u32, qr: (u32, &[u8]), left: u32, top: u32) -> LumaFrame {
    let (w, h) = (width as usize, height as usize);
    let mut pixels = vec![245u8; w * h];
    // Top panel.
    pixels[..w * 32].fill(40);
    // Lines of text: deterministic pseudo-random word bars.
    let mut seed = 0x2545_f491_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for line_top in (60..h.saturating_sub(20)).step_by(28) {
        let mut x = 40 + (next() % 40) as usize;
        while x + 10 < w - 40 {
            let word = 12 + (next() % 80) as usize;
            let end = (x + word).min(w - 40);
            for y in line_top..line_top + 10 {
                pixels[y * w + x..y * w + end].fill(60);
            }
            x = end + 8 + (next() % 10) as usize;
        }
    }
    let (side, qr_pixels) = qr;
    let side = side as usize;
    for y in 0..side {
        let row = (top as usize + y) * w + left as usize;
        pixels[row..row + side].copy_from_slice(&qr_pixels[y * side..(y + 1) * side]);
    }
    LumaFrame::from_luma(width, height, pixels).expect("frame")
}

/// `text` rendered at one pixel per module, then scaled to `side` pixels with a
/// smooth filter: what a browser shows at a fractional zoom.
fn smoothly_scaled_qr(text: &str, side: u32) -> (u32, Vec<u8>) {
    let (small, pixels) = render_qr(text, 1);
    let image = image::GrayImage::from_raw(small, small, pixels).expect("image");
    let scaled = image::imageops::resize(&image, side, side, image::imageops::FilterType::Triangle);
    (side, scaled.into_raw())
}

/// A ~200 px code on a busy full-HD screen, sharp or smoothly scaled, decodes
/// without any cropping or tiling pass; so do smaller codes and larger screens.
#[test]
fn small_codes_on_large_screens_decode() {
    let screens = [(1280, 800), (1920, 1080), (2560, 1440), (3840, 2160)];
    for (width, height) in screens {
        for side in [110, 150, 200, 260] {
            let (side, qr) = smoothly_scaled_qr(KEYCLOAK_URI, side);
            let frame = desktop_with_qr(width, height, (side, &qr), width / 2, height / 3);
            assert_eq!(
                decode_luma(&frame),
                [KEYCLOAK_URI],
                "{side} px code (smoothly scaled) on a {width}x{height} screen"
            );
        }
        for module_px in [2, 4] {
            let (side, qr) = render_qr(KEYCLOAK_URI, module_px);
            let frame = desktop_with_qr(width, height, (side, &qr), 100, height - side - 60);
            assert_eq!(
                decode_luma(&frame),
                [KEYCLOAK_URI],
                "{side} px code ({module_px} px modules) on a {width}x{height} screen"
            );
        }
    }
    let (side, qr) = smoothly_scaled_qr(KEYCLOAK_URI, 200);
    let frame = desktop_with_qr(1920, 1080, (side, &qr), 1400, 700);
    let start = Instant::now();
    assert_eq!(decode_luma(&frame), [KEYCLOAK_URI]);
    println!(
        "200 px code on a 1920x1080 frame: decoded in {:?} (this build)",
        start.elapsed()
    );
}

#[test]
fn a_screen_without_a_code_decodes_to_nothing() {
    let blank = (1, &[245u8][..]);
    let frame = desktop_with_qr(1920, 1080, blank, 0, 0);
    let start = Instant::now();
    assert!(decode_luma(&frame).is_empty());
    println!(
        "1920x1080 frame without a code: whole cascade in {:?} (this build)",
        start.elapsed()
    );
}

/// A real X display (Xvfb under `scripts/with-session --display`), a real image
/// viewer (ImageMagick's `display`) showing a QR code, and `scan_screens`.
#[cfg(feature = "screen")]
mod on_a_display {
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use super::render_qr;

    /// Kills the viewer (the process this test started) however the test ends.
    struct Viewer(Child);

    impl Drop for Viewer {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn window_mapped(title_part: &str) -> bool {
        Command::new("xwininfo")
            .args(["-root", "-tree"])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).contains(title_part))
            .unwrap_or(false)
    }

    #[test]
    fn scan_screens_reads_a_code_shown_by_an_image_viewer() {
        if std::env::var_os("DISPLAY").is_none() {
            if std::env::var_os("WAYLAND_DISPLAY").is_none() {
                let error = jeton_scan::scan_screens().expect_err("no display to capture");
                assert_eq!(error.code(), "scan.screen_unavailable", "{error}");
                assert!(error.to_string().contains("screenshot"), "{error}");
            }
            println!(
                "no DISPLAY: skipped (run under `scripts/with-session --display -- cargo test \
                 -p jeton-scan --features screen`)"
            );
            return;
        }
        if Command::new("display").arg("-version").output().is_err() {
            println!("ImageMagick `display` not installed: skipped (scripts/install-deps --test)");
            return;
        }
        let dir = std::env::temp_dir().join(format!("jeton-scan-screen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file_name = format!("jeton-screen-qr-{}.png", std::process::id());
        let png = dir.join(&file_name);
        // A payload of this run only: another test session sharing the X server
        // may show a code too, and must neither satisfy nor break this test.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .subsec_nanos();
        let link = format!(
            "otpauth://totp/Jeton:screen-{}-{nanos}?secret=GVLUGQ2TIVXFS4LYGNZFQTCFOVQW2RKM&issuer=Jeton",
            std::process::id()
        );
        let (side, pixels) = render_qr(&link, 4);
        println!("QR shown: {side}x{side} px");
        image::GrayImage::from_raw(side, side, pixels)
            .expect("image")
            .save(&png)
            .expect("write the QR image");

        let log = dir.join("display.log");
        let mut viewer = Viewer(
            Command::new("display")
                .args(["-geometry", "+300+200"])
                .arg(&png)
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("viewer log"))
                .spawn()
                .expect("start ImageMagick display"),
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while !window_mapped(&file_name) {
            let exited = viewer.0.try_wait().expect("viewer status");
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "the viewer window never mapped (viewer exit: {exited:?}; its stderr: {:?})",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }

        // The window may be mapped a moment before its pixels are drawn.
        let texts = loop {
            let start = Instant::now();
            let result = jeton_scan::scan_screens().map(|scan| {
                assert_eq!(
                    scan.capture,
                    jeton_scan::ScreenCapture::Direct,
                    "X11 is read directly"
                );
                scan.texts
            });
            let took = start.elapsed();
            match result {
                Ok(texts) if texts.contains(&link) => {
                    println!("scan_screens (capture and decode, all monitors): {took:?}");
                    break texts;
                }
                Ok(_) | Err(jeton_scan::ScanError::NoQrFound) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Ok(texts) => panic!("the code on screen was not read; found {texts:?}"),
                Err(e) => panic!("scan_screens failed: {e} ({})", e.code()),
            }
        };
        drop(viewer);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(texts.contains(&link));

        // With the viewer gone, its code is gone from the screen.
        let deadline = Instant::now() + Duration::from_secs(10);
        let gone = loop {
            let gone = match jeton_scan::scan_screens() {
                Ok(scan) => !scan.texts.contains(&link),
                Err(jeton_scan::ScanError::NoQrFound) => true,
                Err(e) => panic!("scan_screens failed: {e} ({})", e.code()),
            };
            if gone || Instant::now() > deadline {
                break gone;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(gone, "the code is still read after the viewer closed");
    }
}
