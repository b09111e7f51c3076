//! Typing a code into the window that had the keyboard focus when the quick
//! search opened, as KeePassXC's Auto-Type does. On X11 that is XTest: the focused
//! window is noted before the popup takes the focus, given it back, and sent the
//! code's key presses. Wayland lets no program do this without the desktop's
//! consent: there the code goes through the RemoteDesktop portal where the
//! desktop offers one ([`super::portal`]), else it is copied instead and the
//! popup says so (docs/desktop.md).

/// The window that had the focus (an X11 window id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target(#[allow(dead_code)] u32);

/// Whether codes can be typed here: X11, or a Wayland desktop whose
/// RemoteDesktop portal offers a keyboard.
pub fn can_type() -> bool {
    x11_typing() || super::portal::can_type()
}

/// Whether this is an X11 session (not Wayland, whose X11 compatibility server
/// only reaches its own windows).
fn x11_typing() -> bool {
    cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_some()
        && std::env::var("XDG_SESSION_TYPE").map_or(true, |t| t != "wayland")
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
}

#[cfg(target_os = "linux")]
mod x11 {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{
        ConnectionExt as _, InputFocus, KEY_PRESS_EVENT, KEY_RELEASE_EVENT,
    };
    use x11rb::protocol::xtest::ConnectionExt as _;

    use super::Target;

    /// X11's keysym for Shift_L.
    const SHIFT_L: u32 = 0xffe1;

    pub fn focused_window() -> Option<Target> {
        let (connection, _) = x11rb::connect(None).ok()?;
        let focus = connection.get_input_focus().ok()?.reply().ok()?.focus;
        // 0 is None and 1 is PointerRoot: no window to give the focus back to.
        (focus > 1).then_some(Target(focus))
    }

    /// Whether `window` has the focus; if not, gives it the focus.
    pub fn take_focus(window: u32) -> bool {
        let Ok((connection, _)) = x11rb::connect(None) else {
            return true;
        };
        let focused = connection
            .get_input_focus()
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|r| r.focus == window);
        if !focused {
            let _ = connection.set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME);
            let _ = connection.flush();
        }
        focused
    }

    /// Most time given to the user to let go of Shift (from Shift+Enter) or any
    /// other modifier: typed while Shift is held, "123456" would arrive as "!@#$%^".
    const MODIFIER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

    /// Waits until no modifier key (Shift, Ctrl, Alt, AltGr, Super) is held.
    fn wait_for_modifiers_up(connection: &impl Connection) {
        let Some(modifiers) = connection
            .get_modifier_mapping()
            .ok()
            .and_then(|c| c.reply().ok())
        else {
            return;
        };
        let started = std::time::Instant::now();
        while started.elapsed() < MODIFIER_PATIENCE {
            let Some(keymap) = connection.query_keymap().ok().and_then(|c| c.reply().ok()) else {
                return;
            };
            let held = modifiers.keycodes.iter().any(|&code| {
                code != 0 && keymap.keys[usize::from(code / 8)] & (1 << (code % 8)) != 0
            });
            if !held {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    pub fn type_text(target: Option<Target>, text: &str) -> Result<(), String> {
        let (connection, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
        let root = connection.setup().roots[screen].root;
        if let Some(Target(window)) = target {
            connection
                .set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)
                .map_err(|e| e.to_string())?;
        }
        let (min, max) = (
            connection.setup().min_keycode,
            connection.setup().max_keycode,
        );
        let mapping = connection
            .get_keyboard_mapping(min, max - min + 1)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| e.to_string())?;
        let per_key = usize::from(mapping.keysyms_per_keycode).max(1);
        // The keycode that gives `keysym`, and whether Shift is needed for it.
        let key_for = |keysym: u32| {
            mapping
                .keysyms
                .chunks(per_key)
                .enumerate()
                .find_map(|(i, syms)| {
                    let keycode = min.checked_add(u8::try_from(i).ok()?)?;
                    match syms.iter().take(2).position(|s| *s == keysym)? {
                        0 => Some((keycode, false)),
                        _ => Some((keycode, true)),
                    }
                })
        };
        let shift = key_for(SHIFT_L).map(|(keycode, _)| keycode);
        wait_for_modifiers_up(&connection);
        let press = |kind: u8, keycode: u8| {
            connection
                .xtest_fake_input(kind, keycode, x11rb::CURRENT_TIME, root, 0, 0, 0)
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        for character in text.chars() {
            // Codes are digits and, for Steam, capital letters: printable ASCII,
            // whose keysym is its code point.
            let (keycode, shifted) = key_for(u32::from(character))
                .filter(|_| character.is_ascii_graphic())
                .ok_or_else(|| format!("no key types {character:?} on this keyboard"))?;
            let shift = if shifted { shift } else { None };
            if let Some(shift) = shift {
                press(KEY_PRESS_EVENT, shift)?;
            }
            press(KEY_PRESS_EVENT, keycode)?;
            press(KEY_RELEASE_EVENT, keycode)?;
            if let Some(shift) = shift {
                press(KEY_RELEASE_EVENT, shift)?;
            }
        }
        // A round trip, so every key press reached the server before we return.
        connection
            .get_input_focus()
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The window that has the keyboard focus now (before the popup opens).
pub fn focused_window() -> Option<Target> {
    #[cfg(target_os = "linux")]
    if x11_typing() {
        return x11::focused_window();
    }
    None
}

/// The X11 id of one of Jeton's own windows (main thread only: GTK).
pub fn native_id(window: &tauri::WebviewWindow) -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        use gtk::glib::Cast;
        use gtk::prelude::WidgetExt;
        let gdk_window = window.gtk_window().ok()?.window()?;
        let x11_window = gdk_window.downcast::<gdkx11::X11Window>().ok()?;
        u32::try_from(x11_window.xid()).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = window;
        None
    }
}

/// Whether Jeton's window `id` has the keyboard focus; if not, gives it the focus.
pub fn take_focus(id: u32) -> bool {
    #[cfg(target_os = "linux")]
    if x11_typing() {
        return x11::take_focus(id);
    }
    let _ = id;
    true
}

/// Gives the focus back to `target` and types `text` into it (on Wayland, into
/// whatever window the desktop gives the focus to once the popup is gone).
pub fn type_text(target: Option<Target>, text: &str) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    if x11_typing() {
        return x11::type_text(target, text);
    }
    if super::portal::can_type() {
        let token = super::settings::load().remote_desktop_token;
        let kept = super::portal::type_text(text, token.clone())?;
        if kept != token {
            let _ = super::settings::update(|d| d.remote_desktop_token = kept);
        }
        return Ok(());
    }
    let _ = (target, text);
    Err("typing is not available on this desktop".to_string())
}
