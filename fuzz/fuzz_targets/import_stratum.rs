//! The `stratum` importer (`jeton import --format stratum`).
#![no_main]
jeton_fuzz::import_target!("stratum");
