//! The `freeotp-xml` importer (`jeton import --format freeotp-xml`).
#![no_main]
jeton_fuzz::import_target!("freeotp-xml");
