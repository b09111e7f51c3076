//! The `bitwarden-csv` importer (`jeton import --format bitwarden-csv`).
#![no_main]
jeton_fuzz::import_target!("bitwarden-csv");
