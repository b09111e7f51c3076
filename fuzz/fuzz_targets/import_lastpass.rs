//! The `lastpass` importer (`jeton import --format lastpass`).
#![no_main]
jeton_fuzz::import_target!("lastpass");
