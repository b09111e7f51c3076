//! Entry point of the Jeton desktop app; everything else lives in the library so the
//! same code can later serve mobile targets.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(error) = jeton_app::run() {
        eprintln!("Jeton could not start: {error}");
        std::process::exit(1);
    }
}
