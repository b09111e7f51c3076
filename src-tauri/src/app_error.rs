//! The one error shape the webview receives: `{code, message}`.
//!
//! The UI translates by `code` and falls back to the English `message`; neither
//! ever holds a secret (core messages name at most one bad character of a key;
//! scan errors name the file or image size, never the QR payload).

use serde::ser::SerializeStruct;

/// Anything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// An error from the core (vault, keychain, links, secrets).
    #[error(transparent)]
    Core(#[from] jeton_core::Error),
    /// A QR code could not be read from an image.
    #[error(transparent)]
    Scan(#[from] jeton_scan::ScanError),
    /// The system clipboard could not be used.
    #[error("the clipboard could not be used: {0}")]
    Clipboard(String),
    /// The clipboard holds no image to scan.
    #[error("the clipboard holds no image")]
    NoClipboardImage,
    /// The webview sent an account id that is not a UUID.
    #[error("not an account id: {0:?}")]
    InvalidId(String),
    /// A file the user chose could not be read (its name, why).
    #[error("{0} could not be read: {1}")]
    File(String, String),
    /// Confirming an import or recovery with no file chosen (or already done).
    #[error("no file is waiting: choose it again")]
    NothingPending,
    /// Setting up backups before a folder was chosen.
    #[error("choose the backup folder first")]
    NoFolderChosen,
    /// A QR code could not be made (too much data for one code).
    #[error("the QR code could not be made: {0}")]
    Qr(String),
    /// The page sent a text argument longer than any real one.
    #[error("this text is far too long ({size} bytes; the most accepted is {limit})")]
    TextTooLong {
        /// Its length in bytes.
        size: usize,
        /// The most accepted.
        limit: usize,
    },
    /// The code could not be typed into the window that had the focus.
    #[error("the code could not be typed: {0}")]
    Typing(String),
    /// A global shortcut this desktop cannot register ("Ctrl+Alt+J" is one it can).
    #[error("this shortcut cannot be used: {0}")]
    BadShortcut(String),
    /// Start at login could not be turned on or off.
    #[error("start at login could not be changed: {0}")]
    Autostart(String),
    /// The phone's scanner could not run (camera refused, none, or it failed).
    #[error("the camera could not scan: {0}")]
    PhoneCamera(String),
    /// Work moved to a blocking thread did not finish.
    #[error("the task stopped: {0}")]
    Task(String),
}

impl From<jeton_core::backup::BackupError> for AppError {
    fn from(error: jeton_core::backup::BackupError) -> Self {
        AppError::Core(error.into())
    }
}

impl AppError {
    /// Stable key the UI maps to a translated message.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Core(error) => error.code(),
            AppError::Scan(error) => error.code(),
            AppError::Clipboard(_) => "clipboard.failed",
            AppError::NoClipboardImage => "clipboard.no_image",
            AppError::InvalidId(_) => "app.invalid_id",
            AppError::File(..) => "file.unreadable",
            AppError::NothingPending => "app.nothing_pending",
            AppError::NoFolderChosen => "app.no_folder",
            AppError::Qr(_) => "app.qr_failed",
            AppError::TextTooLong { .. } => "app.text_too_long",
            AppError::Typing(_) => "app.typing",
            AppError::BadShortcut(_) => "app.bad_shortcut",
            AppError::Autostart(_) => "app.autostart",
            AppError::PhoneCamera(_) => "app.phone_camera",
            AppError::Task(_) => "unknown",
        }
    }
}

/// Serialised as `{ "code": ..., "message": ... }`, like the core's errors.
impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AppError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_code_and_message() {
        let error = AppError::InvalidId("nope".into());
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "app.invalid_id");
        assert_eq!(json["message"], "not an account id: \"nope\"");
    }

    #[test]
    fn core_errors_keep_their_code() {
        let error = AppError::from(jeton_core::Error::MissingSecret);
        assert_eq!(
            serde_json::to_value(&error).unwrap()["code"],
            "secret.missing"
        );
    }
}
