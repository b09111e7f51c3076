//! An `otpauth://` link as a scanned QR code or a pasted line gives it.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let _ = jeton_core::uri::parse(text);
    let _ = jeton_core::uri::label_names(text);
    let _ = jeton_core::link::parse(text);
});
