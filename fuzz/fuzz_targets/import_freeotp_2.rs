//! The `freeotp-2` importer (`jeton import --format freeotp-2`).
#![no_main]
jeton_fuzz::import_target!("freeotp-2");
