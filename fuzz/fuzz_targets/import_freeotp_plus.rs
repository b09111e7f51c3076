//! The `freeotp-plus` importer (`jeton import --format freeotp-plus`).
#![no_main]
jeton_fuzz::import_target!("freeotp-plus");
