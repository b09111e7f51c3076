//! What a vault file holds once decrypted: the fuzzer's bytes, sealed as an
//! authentic payload, go through every version's decoder.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = zeroize::Zeroizing::new(jeton_fuzz::KEY);
    let _ = jeton_core::vault::format::decrypt(&jeton_fuzz::vault_with_payload(data), &key);
});
