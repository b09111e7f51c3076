//! The `otpauth` importer (`jeton import --format otpauth`).
#![no_main]
jeton_fuzz::import_target!("otpauth");
