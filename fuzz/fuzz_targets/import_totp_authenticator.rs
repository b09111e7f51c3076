//! The `totp-authenticator` importer (`jeton import --format totp-authenticator`).
#![no_main]
jeton_fuzz::import_target!("totp-authenticator");
