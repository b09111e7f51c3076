//! "Open an image…": an image file (PNG, JPEG, WebP) decoded, then searched for
//! QR codes, the whole pipeline the app and `jeton add --image` run.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = jeton_scan::scan_image_bytes(data);
});
