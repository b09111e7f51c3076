//! The `raivo` importer (`jeton import --format raivo`).
#![no_main]
jeton_fuzz::import_target!("raivo");
