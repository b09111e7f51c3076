//! The `microsoft-authenticator-db` importer (`jeton import --format microsoft-authenticator-db`).
#![no_main]
jeton_fuzz::import_target!("microsoft-authenticator-db");
