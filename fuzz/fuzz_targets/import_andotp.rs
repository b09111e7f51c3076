//! The `andotp` importer (`jeton import --format andotp`).
#![no_main]
jeton_fuzz::import_target!("andotp");
