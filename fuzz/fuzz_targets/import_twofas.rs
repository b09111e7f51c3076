//! The `2fas` importer (`jeton import --format 2fas`).
#![no_main]
jeton_fuzz::import_target!("2fas");
