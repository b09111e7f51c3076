//! The `duo` importer (`jeton import --format duo`).
#![no_main]
jeton_fuzz::import_target!("duo");
