//! What the app asks of the operating system besides the vault: the user's
//! language, the host name (for the device name enrolment pages ask for), and
//! whether the clock is kept in sync (codes are only right if it is), and getting
//! the window out of the way of a screen capture.

use std::process::Command;

/// The OS locale as a BCP 47 tag ("fr-CA"), if the OS tells.
pub fn locale() -> Option<String> {
    sys_locale::get_locale()
}

/// The device name suggested to enrolment pages: "Jeton – <host name>".
pub fn device_name() -> String {
    let host = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_string();
    if host.is_empty() {
        "Jeton".to_string()
    } else {
        format!("Jeton – {host}")
    }
}

/// Whether the system clock is synchronised with network time: `Some(true)` or
/// `Some(false)` when the OS can tell, `None` when it cannot (then nothing is shown).
pub fn clock_synchronised() -> Option<bool> {
    if cfg!(target_os = "linux") {
        let output = Command::new("timedatectl")
            .args(["show", "--property=NTPSynchronized", "--value"])
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        parse_yes_no(&String::from_utf8_lossy(&output.stdout))
    } else {
        None
    }
}

/// Reads systemd's "yes"/"no" answer.
fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// Runs `capture` with the main window hidden (and shown and focused again after),
/// so a screen capture sees what is behind Jeton.
#[cfg(desktop)]
pub fn with_window_hidden<T>(app: &tauri::AppHandle, capture: impl FnOnce() -> T) -> T {
    use tauri::Manager;
    let window = app.get_webview_window("main");
    if let Some(window) = &window {
        let _ = window.hide();
        // Give the compositor a moment to remove the window from the screen.
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let result = capture();
    if let Some(window) = &window {
        let _ = window.show();
        let _ = window.set_focus();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_timedatectl_answers() {
        assert_eq!(parse_yes_no("yes\n"), Some(true));
        assert_eq!(parse_yes_no("no\n"), Some(false));
        assert_eq!(parse_yes_no(""), None);
    }

    #[test]
    fn device_name_starts_with_jeton() {
        assert!(device_name().starts_with("Jeton"));
    }
}
