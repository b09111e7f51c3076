//! The `bitwarden` importer (`jeton import --format bitwarden`).
#![no_main]
jeton_fuzz::import_target!("bitwarden");
