//! A Google Authenticator transfer QR code: the fuzzer writes the protobuf
//! payload, the target wraps it in a link, and the parts are collected as a batch.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let link = jeton_fuzz::transfer_link(data);
    if let Ok(part) = jeton_core::migration::parse_link(&link) {
        let mut batch = jeton_core::migration::Batch::default();
        let _ = batch.add(part);
        let _ = batch.progress();
        let _ = batch.take_accounts();
    }
});
