//! The `authenticator-plus` importer (`jeton import --format authenticator-plus`).
#![no_main]
jeton_fuzz::import_target!("authenticator-plus");
