//! The `google-authenticator-db` importer (`jeton import --format google-authenticator-db`).
#![no_main]
jeton_fuzz::import_target!("google-authenticator-db");
