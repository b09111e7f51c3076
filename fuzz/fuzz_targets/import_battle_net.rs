//! The `battle-net` importer (`jeton import --format battle-net`).
#![no_main]
jeton_fuzz::import_target!("battle-net");
