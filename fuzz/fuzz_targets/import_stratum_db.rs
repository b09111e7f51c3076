//! The `stratum-db` importer (`jeton import --format stratum-db`).
#![no_main]
jeton_fuzz::import_target!("stratum-db");
