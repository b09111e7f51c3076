//! Camera-style frames: pixel-format constructors, degenerate frames, and the
//! `FrameSource` scanning loop over real photos converted to YUYV, NV12 and RGB.

mod common;

use std::path::{Path, PathBuf};

use common::photo_sets::{load_set, photos_root};
use common::qr_render::{render_qr, KEYCLOAK_URI};
use image::RgbImage;
use jeton_scan::{decode_luma, scan_source, FrameSource, ImageFileSource, LumaFrame, ScanError};

/// The pixel layouts a camera may deliver.
#[derive(Debug, Clone, Copy)]
enum PixelFormat {
    Rgb8,
    Rgba8,
    Yuyv,
    Nv12,
}

/// BT.601 full-range Y, U, V of an RGB pixel.
fn yuv(px: &image::Rgb<u8>) -> (u8, u8, u8) {
    let [r, g, b] = px.0.map(f32::from);
    let y = 0.299 * r + 0.587 * g + 0.114 * b;
    let u = 128.0 + 0.564 * (b - y);
    let v = 128.0 + 0.713 * (r - y);
    let clamp = |c: f32| c.round().clamp(0.0, 255.0) as u8;
    (clamp(y), clamp(u), clamp(v))
}

/// `image` laid out as a camera would deliver it in `format`.
fn camera_frame(image: &RgbImage, format: PixelFormat) -> LumaFrame {
    let (width, height) = image.dimensions();
    match format {
        PixelFormat::Rgb8 => LumaFrame::from_rgb8(width, height, image.as_raw()),
        PixelFormat::Rgba8 => {
            let rgba = image::DynamicImage::ImageRgb8(image.clone()).to_rgba8();
            LumaFrame::from_rgba8(width, height, rgba.as_raw())
        }
        PixelFormat::Yuyv => {
            let mut bytes = Vec::with_capacity((width * height * 2) as usize);
            for row in image.rows() {
                let pixels: Vec<_> = row.collect();
                for pair in pixels.chunks_exact(2) {
                    let (y0, u0, v0) = yuv(pair[0]);
                    let (y1, u1, v1) = yuv(pair[1]);
                    let u = ((u16::from(u0) + u16::from(u1)) / 2) as u8;
                    let v = ((u16::from(v0) + u16::from(v1)) / 2) as u8;
                    bytes.extend([y0, u, y1, v]);
                }
            }
            LumaFrame::from_yuyv(width, height, &bytes)
        }
        PixelFormat::Nv12 => {
            let mut bytes: Vec<u8> = image.pixels().map(|px| yuv(px).0).collect();
            for y in (0..height).step_by(2) {
                for x in (0..width).step_by(2) {
                    let (_, u, v) = yuv(image.get_pixel(x, y));
                    bytes.extend([u, v]);
                }
            }
            LumaFrame::from_nv12(width, height, &bytes)
        }
    }
    .expect("well-formed frame")
}

/// A scripted camera: yields the given frames, then stops.
struct ScriptedCamera {
    frames: std::vec::IntoIter<Result<LumaFrame, ScanError>>,
    delivered: usize,
}

impl ScriptedCamera {
    fn new(frames: Vec<Result<LumaFrame, ScanError>>) -> Self {
        Self {
            frames: frames.into_iter(),
            delivered: 0,
        }
    }
}

impl FrameSource for ScriptedCamera {
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, ScanError> {
        let next = self.frames.next().transpose()?;
        self.delivered += usize::from(next.is_some());
        Ok(next)
    }
}

fn grey_frame(width: u32, height: u32, value: u8) -> LumaFrame {
    LumaFrame::from_luma(width, height, vec![value; (width * height) as usize]).expect("frame")
}

fn keycloak_frame() -> LumaFrame {
    let (side, pixels) = render_qr(KEYCLOAK_URI, 4);
    LumaFrame::from_luma(side, side, pixels).expect("frame")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn constructors_reject_mismatched_buffers() {
    let cases = [
        LumaFrame::from_luma(4, 4, vec![0; 15]),
        LumaFrame::from_rgb8(4, 4, &[0; 47]),
        LumaFrame::from_rgba8(4, 4, &[0; 48]),
        LumaFrame::from_yuyv(4, 4, &[0; 31]),
        LumaFrame::from_yuyv(3, 4, &[0; 24]),
        LumaFrame::from_nv12(4, 4, &[0; 16]),
        LumaFrame::from_luma(0, 4, Vec::new()),
    ];
    for result in cases {
        let err = result.expect_err("mismatch");
        assert_eq!(err.code(), "scan.invalid_frame", "{err}");
    }
    assert!(
        LumaFrame::from_nv12(3, 3, &[0; 9 + 8]).is_ok(),
        "odd NV12 sizes round up"
    );
}

#[test]
fn constructors_refuse_huge_frames_before_touching_the_buffer() {
    let err = LumaFrame::from_luma(100_000, 100_000, Vec::new()).expect_err("huge");
    assert!(matches!(
        err,
        ScanError::TooLarge {
            width: 100_000,
            height: 100_000
        }
    ));
}

#[test]
fn pixel_formats_agree_on_luma() {
    let mut image = RgbImage::new(4, 2);
    for (i, px) in image.pixels_mut().enumerate() {
        *px = image::Rgb([(i * 30) as u8, (255 - i * 20) as u8, (i * 7) as u8]);
    }
    let rgb = camera_frame(&image, PixelFormat::Rgb8);
    for format in [PixelFormat::Rgba8, PixelFormat::Yuyv, PixelFormat::Nv12] {
        let other = camera_frame(&image, format);
        assert_eq!((other.width(), other.height()), (4, 2));
        for (a, b) in rgb.data().iter().zip(other.data()) {
            assert!(a.abs_diff(*b) <= 1, "{format:?}: {a} vs {b}");
        }
    }
}

#[test]
fn degenerate_frames_decode_to_nothing_without_panicking() {
    let frames = [
        grey_frame(1, 1, 0),
        grey_frame(1, 500, 128),
        grey_frame(500, 1, 128),
        grey_frame(2, 2, 255),
        grey_frame(300, 200, 0),
        grey_frame(300, 200, 255),
        LumaFrame::from_luma(
            256,
            256,
            (0..256 * 256)
                .map(|i| if (i / 3) % 2 == 0 { 0 } else { 255 })
                .collect(),
        )
        .expect("stripes"),
        LumaFrame::from_luma(
            333,
            217,
            (0..333u32 * 217)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect(),
        )
        .expect("noise"),
    ];
    for frame in &frames {
        assert!(decode_luma(frame).is_empty(), "{frame:?}");
    }
}

#[test]
fn scan_source_stops_on_the_first_frame_that_decodes() {
    let mut camera = ScriptedCamera::new(vec![
        Ok(grey_frame(64, 48, 200)),
        Ok(grey_frame(64, 48, 20)),
        Ok(keycloak_frame()),
        Ok(keycloak_frame()),
    ]);
    let found = scan_source(&mut camera, 10).expect("no error");
    assert_eq!(found, Some(vec![KEYCLOAK_URI.to_owned()]));
    assert_eq!(camera.delivered, 3, "stops reading after the hit");
}

#[test]
fn scan_source_gives_up_after_max_frames_or_when_the_source_ends() {
    let mut camera = ScriptedCamera::new(vec![Ok(grey_frame(8, 8, 0)), Ok(keycloak_frame())]);
    assert_eq!(scan_source(&mut camera, 1).expect("no error"), None);
    assert_eq!(camera.delivered, 1);

    let mut camera = ScriptedCamera::new(vec![Ok(grey_frame(8, 8, 0))]);
    assert_eq!(scan_source(&mut camera, 100).expect("no error"), None);
}

#[test]
fn scan_source_passes_camera_errors_on() {
    let mut camera = ScriptedCamera::new(vec![
        Ok(grey_frame(8, 8, 0)),
        Err(ScanError::Camera("unplugged".into())),
        Ok(keycloak_frame()),
    ]);
    let err = scan_source(&mut camera, 10).expect_err("camera failed");
    assert_eq!(err.code(), "scan.camera");
}

#[test]
fn image_file_source_reads_files_in_order() {
    let mut source = ImageFileSource::new([fixture("keycloak-photo.jpg")]);
    assert_eq!(
        scan_source(&mut source, 5).expect("reads"),
        Some(vec![KEYCLOAK_URI.to_owned()])
    );
    assert_eq!(source.next_frame().expect("empty"), None);

    let mut source = ImageFileSource::new([fixture("README.md"), fixture("dark-mode.png")]);
    let err = scan_source(&mut source, 5).expect_err("README.md is no image");
    assert_eq!(err.code(), "scan.unsupported_format");
}

/// Real photos through every camera pixel format: each frame must decode to the
/// photo's text (or to nothing), never to a wrong one.
#[test]
fn real_photos_decode_as_yuyv_nv12_and_rgb_frames() {
    let Some(root) = photos_root() else { return };
    let photos = load_set(&root, "zxing");
    // Every tenth photo keeps the test quick while covering all six folders.
    let sample: Vec<_> = photos.iter().step_by(10).collect();
    let mut decoded = 0;
    for photo in &sample {
        let mut image = image::open(&photo.path).expect("photo").to_rgb8();
        if image.width() % 2 == 1 {
            image = image::imageops::crop_imm(&image, 0, 0, image.width() - 1, image.height())
                .to_image();
        }
        let formats = [
            PixelFormat::Rgb8,
            PixelFormat::Rgba8,
            PixelFormat::Yuyv,
            PixelFormat::Nv12,
        ];
        let frames = formats
            .iter()
            .map(|&format| Ok(camera_frame(&image, format)))
            .collect();
        let mut camera = ScriptedCamera::new(frames);
        // One frame at a time, so every format is checked on its own.
        let results: Vec<Vec<String>> = formats
            .iter()
            .filter_map(|_| scan_source(&mut camera, 1).expect("frames"))
            .collect();
        for texts in &results {
            for text in texts {
                assert!(photo.accepts(text), "{}: wrong text {text:?}", photo.name);
            }
        }
        if results.len() == formats.len() {
            decoded += 1;
        }
    }
    println!(
        "{decoded}/{} sampled photos decoded in all four formats",
        sample.len()
    );
    assert!(decoded + 2 >= sample.len(), "{decoded}/{}", sample.len());
}

#[cfg(feature = "camera")]
#[test]
fn opening_a_missing_camera_says_no_camera() {
    let err = jeton_scan::CameraSource::open("97").expect_err("no such camera");
    assert_eq!(err.code(), "scan.no_camera", "{err}");
}

#[cfg(feature = "camera")]
#[test]
fn listing_cameras_on_a_machine_without_any_is_empty_not_an_error() {
    let cameras = jeton_scan::list_cameras().expect("listing never fails for lack of cameras");
    let has_video_nodes = std::fs::read_dir("/dev")
        .map(|dir| {
            dir.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("video"))
        })
        .unwrap_or(false);
    if !has_video_nodes {
        assert_eq!(cameras, Vec::new());
    }
}
