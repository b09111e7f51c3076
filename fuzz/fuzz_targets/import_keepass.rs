//! The `keepass` importer (`jeton import --format keepass`).
#![no_main]
jeton_fuzz::import_target!("keepass");
