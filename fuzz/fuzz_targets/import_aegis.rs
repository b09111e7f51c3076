//! The `aegis` importer (`jeton import --format aegis`).
#![no_main]
jeton_fuzz::import_target!("aegis");
