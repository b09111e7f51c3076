//! The `steam` importer (`jeton import --format steam`).
#![no_main]
jeton_fuzz::import_target!("steam");
