//! "Import a file…" without a format: every importer's recognition, then the
//! reader of whichever format claims the file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jeton_fuzz::import(data, None));
