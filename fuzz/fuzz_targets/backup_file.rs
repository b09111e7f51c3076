//! A Jeton backup file as found in a folder: header, KDF caps, then the tag.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = zeroize::Zeroizing::new(jeton_fuzz::KEY);
    let _ = jeton_core::backup::jeton::read_header(data);
    let _ = jeton_core::backup::jeton::open_with_key(data, &key);
});
