//! The `proton-authenticator` importer (`jeton import --format proton-authenticator`).
#![no_main]
jeton_fuzz::import_target!("proton-authenticator");
