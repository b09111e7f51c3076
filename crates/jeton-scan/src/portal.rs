//! The desktop portal's Screenshot interface (`org.freedesktop.portal.Screenshot`):
//! how a Wayland program may see the screen at all.
//!
//! Wayland compositors do not let programs read other windows' pixels; GNOME
//! refuses its own screenshot interface to programs it has not listed, and only
//! wlroots compositors offer a direct capture protocol. The portal is the path
//! every desktop governs: the desktop takes the screenshot (after asking the user
//! where it wants to), saves it as a PNG file and hands back its URI. Jeton reads
//! that file with the same bounds as any image file, then deletes it: the picture
//! holds the QR code, so the account's secret, and must not stay in a screenshots
//! folder.

use std::path::PathBuf;
use std::time::Duration;

use ashpd::desktop::screenshot::Screenshot;
use ashpd::desktop::ResponseError;

use crate::{image_input, LumaFrame, ScanError};

/// How long Jeton waits for the portal's answer. Long enough for a person to read
/// and answer the desktop's permission dialog; a portal that never answers must
/// not leave "Scan from screen" busy for ever.
const PORTAL_WAIT: Duration = Duration::from_secs(120);

/// What asking the portal gave.
pub(crate) enum PortalShot {
    /// The screen, as one frame (every monitor, as the desktop composes them).
    Frame(LumaFrame),
    /// No portal offers screenshots here (no portal service, or its backend has
    /// no Screenshot interface): another path may be tried.
    Absent(String),
}

/// Asks the portal for a non-interactive screenshot of the whole screen.
///
/// A refusal (the user said no, or the desktop's policy did) is an error, not
/// [`PortalShot::Absent`]: trying another path after the user said no would go
/// against their answer.
pub(crate) fn capture() -> Result<PortalShot, ScanError> {
    let request = async {
        Screenshot::request()
            .interactive(false)
            .modal(false)
            .send()
            .await?
            .response()
    };
    let timeout = async {
        async_io::Timer::after(PORTAL_WAIT).await;
        Err(ashpd::Error::NoResponse)
    };
    let answer = async_io::block_on(futures_lite::future::or(request, timeout));
    let uri = match answer {
        Ok(screenshot) => screenshot.uri().as_str().to_owned(),
        Err(ashpd::Error::Response(ResponseError::Cancelled)) => {
            return Err(unavailable("the screenshot was refused"))
        }
        Err(ashpd::Error::NoResponse) => {
            return Err(unavailable(
                "the desktop's screenshot portal did not answer",
            ))
        }
        Err(e) if is_absent(&e) => return Ok(PortalShot::Absent(e.to_string())),
        Err(e) => return Err(unavailable(format!("the screenshot portal failed: {e}"))),
    };
    let path = file_path(&uri)?;
    let bytes = crate::read_file(&path);
    // The screenshot shows the QR code, so the secret: it goes whatever happens.
    let _ = std::fs::remove_file(&path);
    Ok(PortalShot::Frame(image_input::decode_to_luma(&bytes?)?))
}

/// Whether `error` means "no Screenshot portal here" rather than "it failed".
fn is_absent(error: &ashpd::Error) -> bool {
    use ashpd::zbus::{fdo, Error as Bus};
    let bus = match error {
        ashpd::Error::PortalNotFound(_) => return true,
        ashpd::Error::Zbus(bus) | ashpd::Error::Portal(ashpd::PortalError::ZBus(bus)) => bus,
        _ => return false,
    };
    match bus {
        Bus::InterfaceNotFound | Bus::Address(_) | Bus::InputOutput(_) | Bus::Handshake(_) => true,
        Bus::FDO(fdo) => matches!(
            **fdo,
            fdo::Error::ServiceUnknown(_)
                | fdo::Error::NameHasNoOwner(_)
                | fdo::Error::UnknownMethod(_)
                | fdo::Error::UnknownInterface(_)
                | fdo::Error::UnknownObject(_)
        ),
        Bus::MethodError(name, _, _) => [
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.UnknownMethod",
            "org.freedesktop.DBus.Error.UnknownInterface",
            "org.freedesktop.DBus.Error.UnknownObject",
        ]
        .contains(&name.as_str()),
        _ => false,
    }
}

/// The local path a `file://` URI names (percent-decoded: GNOME's names have
/// spaces). Any other URI is refused: Jeton reads only local files.
fn file_path(uri: &str) -> Result<PathBuf, ScanError> {
    url::Url::parse(uri)
        .ok()
        .filter(|url| url.scheme() == "file")
        .and_then(|url| url.to_file_path().ok())
        .ok_or_else(|| unavailable("the screenshot portal gave no local file"))
}

fn unavailable(reason: impl Into<String>) -> ScanError {
    ScanError::ScreenUnavailable(reason.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_decoded_and_others_refused() {
        assert_eq!(
            file_path("file:///home/marie/Pictures/Screenshot%20from%202026.png").unwrap(),
            PathBuf::from("/home/marie/Pictures/Screenshot from 2026.png")
        );
        for uri in [
            "https://example.org/shot.png",
            "file://host/shot.png",
            "not a uri",
        ] {
            assert!(
                matches!(file_path(uri), Err(ScanError::ScreenUnavailable(_))),
                "{uri}"
            );
        }
    }
}
