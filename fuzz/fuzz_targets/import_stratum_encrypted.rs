//! The `stratum-encrypted` importer (`jeton import --format stratum-encrypted`).
#![no_main]
jeton_fuzz::import_target!("stratum-encrypted");
