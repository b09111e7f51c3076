//! What a Jeton backup holds once decrypted (its JSON), sealed as authentic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = zeroize::Zeroizing::new(jeton_fuzz::KEY);
    let _ = jeton_core::backup::jeton::open_with_key(&jeton_fuzz::backup_with_payload(data), &key);
});
