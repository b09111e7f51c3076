//! The shared real-photo sets: every decoded text must be the ground truth, and
//! the decode count must not fall below what the pipeline achieved when tuned.

mod common;

use common::photo_sets::{load_set, photos_root, zxing_multi};
use jeton_scan::scan_image_file;

/// Decodes every photo of `set`; fails on any wrong text or on fewer than
/// `floor` photos read, and returns the count.
fn check_set(set: &str, floor: usize) {
    let Some(root) = photos_root() else { return };
    let photos = load_set(&root, set);
    let mut decoded = 0;
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for photo in &photos {
        let texts = scan_image_file(&photo.path).unwrap_or_default();
        for text in texts.iter().filter(|t| !photo.accepts(t)) {
            wrong.push(format!("{}: {text:?}", photo.name));
        }
        if texts.iter().any(|t| photo.accepts(t)) {
            decoded += 1;
        } else {
            missed.push(photo.name.as_str());
        }
    }
    println!(
        "{set}: {decoded}/{} decoded; missed: {}",
        photos.len(),
        missed.join(" ")
    );
    assert!(
        wrong.is_empty(),
        "{set}: wrong texts:\n{}",
        wrong.join("\n")
    );
    assert!(decoded >= floor, "{set}: {decoded} decoded, floor {floor}");
}

// Floors: the counts reached when the cascade was tuned (zxing 172, zxing-cpp
// 127, jsQR 214), minus 2. For comparison, zbarimg reads 147 / 94 / 188.

#[test]
fn zxing_set() {
    check_set("zxing", 170);
}

#[test]
fn zxing_cpp_set() {
    check_set("zxing-cpp", 125);
}

#[test]
fn jsqr_set() {
    check_set("jsqr", 212);
}

#[test]
fn zxing_multi_code_photo_yields_all_four_texts() {
    let Some(root) = photos_root() else { return };
    let photo = zxing_multi(&root);
    let mut texts = scan_image_file(&photo.path).expect("decodes");
    texts.sort();
    let mut expected = photo.expected.clone();
    expected.sort();
    assert_eq!(texts, expected);
}
