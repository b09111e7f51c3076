//! A vault file as found on disk: header checks, then the authentication tag.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = zeroize::Zeroizing::new(jeton_fuzz::KEY);
    let _ = jeton_core::vault::format::decrypt(data, &key);
});
