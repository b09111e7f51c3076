//! The `andotp-encrypted` importer (`jeton import --format andotp-encrypted`).
#![no_main]
jeton_fuzz::import_target!("andotp-encrypted");
