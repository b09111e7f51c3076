//! The `jeton` importer (`jeton import --format jeton`).
#![no_main]
jeton_fuzz::import_target!("jeton");
