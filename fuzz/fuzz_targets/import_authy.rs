//! The `authy` importer (`jeton import --format authy`).
#![no_main]
jeton_fuzz::import_target!("authy");
