//! The `totp-authenticator-xml` importer (`jeton import --format totp-authenticator-xml`).
#![no_main]
jeton_fuzz::import_target!("totp-authenticator-xml");
