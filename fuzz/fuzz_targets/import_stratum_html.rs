//! The `stratum-html` importer (`jeton import --format stratum-html`).
#![no_main]
jeton_fuzz::import_target!("stratum-html");
