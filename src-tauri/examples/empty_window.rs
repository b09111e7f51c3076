//! The baseline `tests/perf.rs` measures Jeton against: an empty Tauri 2 window
//! built the same way (same crate, profile, Tauri version and features), showing a
//! blank page. Launch to its page, against Jeton's launch to its first code, says
//! what Jeton itself adds to starting a webview.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!(
        "src-tauri/examples/empty-window/tauri.conf.json"
    )) {
        eprintln!("the empty window could not start: {error}");
        std::process::exit(1);
    }
}
