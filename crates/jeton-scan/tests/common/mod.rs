//! Helpers shared by the integration tests (and, via `#[path]`, the benchmark).
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod photo_sets;
pub mod qr_render;
