//! "Import a file…" without a format: every importer's recognition, then the
//! reader of whichever format claims the file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (password, file) = jeton_fuzz::password_and_file(data);
    let _ = jeton_core::backup::read(file, None, password);
});
