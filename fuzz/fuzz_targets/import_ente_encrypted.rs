//! The `ente-encrypted` importer (`jeton import --format ente-encrypted`).
#![no_main]
jeton_fuzz::import_target!("ente-encrypted");
