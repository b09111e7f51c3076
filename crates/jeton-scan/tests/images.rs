//! Image files in, texts or clear errors out: the crate's own fixtures, codes
//! rendered on the fly in every supported format, and garbage that must fail
//! cleanly (never panic, never allocate gigabytes).

mod common;

use std::io::Cursor;
use std::path::Path;

use common::qr_render::{render_qr, KEYCLOAK_URI, ONEGOV_URI};
use image::{DynamicImage, GrayImage, ImageFormat};
use jeton_scan::{decode_luma, scan_image_bytes, scan_image_file, LumaFrame, ScanError};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encode");
    bytes
}

fn qr_image(text: &str, module_px: usize) -> GrayImage {
    let (side, pixels) = render_qr(text, module_px);
    GrayImage::from_raw(side, side, pixels).expect("image")
}

/// A small PNG that claims `width` x `height` pixels: a valid header and a
/// short compressed stream, the shape of a decompression bomb.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no filter, no interlace
                                    // zlib: a stored-less deflate stream of zeros would do; a few bytes suffice
                                    // because the size check must happen before any of them is inflated.
    let zeros = [
        0x78, 0x9c, 0x63, 0x60, 0x18, 0x05, 0xa3, 0x60, 0x14, 0x0c, 0x00, 0x00,
    ];
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", &header[..]),
        (b"IDAT", &zeros[..]),
        (b"IEND", &[][..]),
    ] {
        png.extend((data.len() as u32).to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn keycloak_photo_fixture_reads_the_otpauth_uri() {
    let texts = scan_image_file(&fixture("keycloak-photo.jpg")).expect("decodes");
    assert_eq!(texts, vec![KEYCLOAK_URI.to_owned()]);
}

#[test]
fn dark_mode_fixture_reads_the_inverted_code() {
    let texts = scan_image_file(&fixture("dark-mode.png")).expect("decodes");
    assert_eq!(texts, vec![ONEGOV_URI.to_owned()]);
}

#[test]
fn transparent_background_counts_as_white() {
    let texts = scan_image_file(&fixture("transparent.png")).expect("decodes");
    assert_eq!(texts, vec![ONEGOV_URI.to_owned()]);
}

/// The `image_qr` fuzzer's slowest input: a WebP with no QR code in it, which
/// runs the whole cascade. It must end, with "no QR code found", and nothing else.
#[test]
fn fuzzer_image_without_a_code_runs_the_cascade_to_no_qr_found() {
    let result = scan_image_file(&fixture("fuzz-no-qr-780x781.webp"));
    assert!(matches!(result, Err(ScanError::NoQrFound)), "{result:?}");
}

/// The `image_qr` fuzzer's first real hang: capstones in this WebP make rqrr
/// 0.11's alignment-pattern search spiral for billions of steps (141 s for one
/// scan under the fuzzer's sanitizer; quirc, which rqrr ports, has the same bug,
/// its issue #162). Jeton ships rqrr patched (vendor/README.md): the scan must end
/// with "no QR code found". The deadline is a hang guard with a wide margin (the
/// patched scan takes well under a second in a debug build), not a speed figure.
#[test]
fn fuzzer_image_that_hung_rqrr_ends_with_no_qr_found() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(scan_image_file(&fixture("fuzz-rqrr-spiral-780x781.webp")));
    });
    let result = receiver
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the scan hung: rqrr's alignment search is unbounded again");
    assert!(matches!(result, Err(ScanError::NoQrFound)), "{result:?}");
}

#[test]
fn png_jpeg_and_webp_all_decode() {
    let image = DynamicImage::ImageLuma8(qr_image(KEYCLOAK_URI, 4));
    for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
        let bytes = encode(&image, format);
        assert_eq!(
            scan_image_bytes(&bytes).expect("decodes"),
            vec![KEYCLOAK_URI.to_owned()],
            "{format:?}"
        );
    }
}

/// `jpeg` without its DHT (Huffman table) segments: what many webcams send as
/// MJPEG frames, relying on the standard tables every JPEG encoder starts from.
fn without_huffman_tables(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec(); // SOI
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA {
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        if jpeg[at + 1] != 0xC4 {
            out.extend_from_slice(&jpeg[at..at + 2 + length]);
        }
        at += 2 + length;
    }
    out.extend_from_slice(&jpeg[at..]); // SOS, the scan, EOI
    out
}

/// Camera MJPEG frames (`camera.rs`) are decoded in pure Rust, with the standard
/// tables filled in where a webcam leaves them out; a whole JPEG reads too.
#[test]
fn mjpeg_frames_with_and_without_huffman_tables_read() {
    let image = DynamicImage::ImageLuma8(qr_image(KEYCLOAK_URI, 4));
    let jpeg = encode(&image, ImageFormat::Jpeg);
    let bare = without_huffman_tables(&jpeg);
    assert!(
        bare.len() < jpeg.len(),
        "the frame still has its DHT segments"
    );
    assert!(
        scan_image_bytes(&bare).is_err(),
        "a JPEG file without tables is not expected to decode"
    );
    for frame in [&jpeg, &bare] {
        let luma = LumaFrame::from_mjpeg(frame).expect("decodes");
        assert_eq!(decode_luma(&luma), vec![KEYCLOAK_URI.to_owned()]);
    }
}

#[test]
fn rgba_inverted_code_decodes() {
    let mut image = DynamicImage::ImageLuma8(qr_image(ONEGOV_URI, 4)).to_rgba8();
    image::imageops::invert(&mut image);
    let bytes = encode(&DynamicImage::ImageRgba8(image), ImageFormat::Png);
    assert_eq!(
        scan_image_bytes(&bytes).expect("decodes"),
        vec![ONEGOV_URI.to_owned()]
    );
}

#[test]
fn two_codes_give_two_texts_and_duplicates_collapse() {
    let left = qr_image(KEYCLOAK_URI, 4);
    let right = qr_image(ONEGOV_URI, 4);
    let width = left.width() + right.width();
    let height = left.height().max(right.height());
    let mut canvas = GrayImage::from_pixel(width, height, image::Luma([255]));
    image::imageops::replace(&mut canvas, &left, 0, 0);
    image::imageops::replace(&mut canvas, &right, i64::from(left.width()), 0);
    let bytes = encode(&DynamicImage::ImageLuma8(canvas), ImageFormat::Png);
    let mut texts = scan_image_bytes(&bytes).expect("decodes");
    texts.sort();
    assert_eq!(texts, vec![KEYCLOAK_URI.to_owned(), ONEGOV_URI.to_owned()]);

    let mut twice = GrayImage::from_pixel(left.width() * 2, left.height(), image::Luma([255]));
    image::imageops::replace(&mut twice, &left, 0, 0);
    image::imageops::replace(&mut twice, &left, i64::from(left.width()), 0);
    let bytes = encode(&DynamicImage::ImageLuma8(twice), ImageFormat::Png);
    assert_eq!(
        scan_image_bytes(&bytes).expect("decodes"),
        vec![KEYCLOAK_URI.to_owned()]
    );
}

#[test]
fn image_without_code_is_no_qr_found() {
    let blank = GrayImage::from_pixel(320, 240, image::Luma([230]));
    let err = scan_image_bytes(&encode(&DynamicImage::ImageLuma8(blank), ImageFormat::Png))
        .expect_err("no code");
    assert!(matches!(err, ScanError::NoQrFound), "{err:?}");
    assert_eq!(err.code(), "scan.no_qr_found");
}

#[test]
fn one_pixel_image_is_no_qr_found() {
    let pixel = GrayImage::from_pixel(1, 1, image::Luma([0]));
    let err = scan_image_bytes(&encode(&DynamicImage::ImageLuma8(pixel), ImageFormat::Png))
        .expect_err("no code");
    assert_eq!(err.code(), "scan.no_qr_found");
}

#[test]
fn random_and_empty_bytes_are_unsupported() {
    for bytes in [
        Vec::new(),
        noise(4096, 7),
        b"GIF89a\x01\x00\x01\x00".to_vec(),
    ] {
        let err = scan_image_bytes(&bytes).expect_err("garbage");
        assert_eq!(err.code(), "scan.unsupported_format", "{err}");
    }
}

#[test]
fn huge_dimension_headers_are_refused_before_decoding() {
    for (width, height) in [(100_000, 100_000), (16_385, 10), (9000, 9000)] {
        let err = scan_image_bytes(&png_claiming(width, height)).expect_err("bomb");
        assert!(
            matches!(err, ScanError::TooLarge { width: w, height: h } if (w, h) == (width, height)),
            "{width}x{height}: {err:?}"
        );
        assert_eq!(err.code(), "scan.too_large");
        assert!(err.to_string().contains("too large"), "{err}");
    }
}

#[test]
fn truncated_and_corrupted_files_fail_cleanly() {
    let image = DynamicImage::ImageLuma8(qr_image(KEYCLOAK_URI, 3));
    for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
        let bytes = encode(&image, format);
        for cut in (8..bytes.len()).step_by(bytes.len() / 23 + 1) {
            // Either a clean error or (for formats that tolerate a missing tail)
            // a result; what matters is no panic and no wrong text.
            if let Ok(texts) = scan_image_bytes(&bytes[..cut]) {
                assert_eq!(texts, vec![KEYCLOAK_URI.to_owned()], "{format:?} cut {cut}");
            }
        }
        let mut corrupted = bytes.clone();
        let tail = corrupted.len() / 3;
        corrupted[tail..].copy_from_slice(&noise(bytes.len() - tail, 99));
        if let Ok(texts) = scan_image_bytes(&corrupted) {
            assert_eq!(texts, vec![KEYCLOAK_URI.to_owned()], "{format:?} corrupted");
        }
    }
    let png = encode(&image, ImageFormat::Png);
    let err = scan_image_bytes(&png[..png.len() / 2]).expect_err("truncated PNG");
    assert_eq!(err.code(), "scan.unreadable_image", "{err}");
}

#[test]
fn missing_file_names_the_path() {
    let path = Path::new("/nonexistent/jeton/qr.png");
    let err = scan_image_file(path).expect_err("missing");
    assert_eq!(err.code(), "scan.file_unreadable");
    assert!(
        err.to_string().contains("/nonexistent/jeton/qr.png"),
        "{err}"
    );
}

#[test]
fn error_codes_are_stable_and_distinct() {
    let errors = [
        ScanError::FileUnreadable {
            path: "x".into(),
            source: std::io::Error::other("x"),
        },
        ScanError::UnsupportedFormat(String::new()),
        ScanError::UnreadableImage(String::new()),
        ScanError::TooLarge {
            width: 1,
            height: 1,
        },
        ScanError::InvalidFrame(String::new()),
        ScanError::Camera(String::new()),
        ScanError::NoQrFound,
    ];
    let codes: Vec<&str> = errors.iter().map(ScanError::code).collect();
    assert_eq!(
        codes,
        [
            "scan.file_unreadable",
            "scan.unsupported_format",
            "scan.unreadable_image",
            "scan.too_large",
            "scan.invalid_frame",
            "scan.camera",
            "scan.no_qr_found",
        ]
    );
}
