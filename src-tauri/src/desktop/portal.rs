//! The desktop portals through which Wayland gives programs what X11 let any of
//! them do: typing into another program's window (RemoteDesktop) and a
//! system-wide keyboard shortcut (GlobalShortcuts). Both ask the desktop, which
//! asks the user once; where a desktop offers neither (GNOME before 48 has no
//! GlobalShortcuts, wlroots' portal has neither), Jeton copies instead of typing
//! and Settings says how to bind `jeton-app --quick` in the desktop's own
//! shortcut settings. Which desktops offer what is in docs/desktop.md.
//!
//! Portal calls run on their own thread with their own small executor (zbus's
//! async-io), never on Tauri's main thread or async workers: a portal may wait
//! for the user for as long as the user takes, within the bounds below.

use std::sync::OnceLock;
use std::time::Duration;

use ashpd::desktop::global_shortcuts::{GlobalShortcuts, NewShortcut};
use ashpd::desktop::remote_desktop::{
    DeviceType, KeyState, NotifyKeyboardKeysymOptions, RemoteDesktop, SelectDevicesOptions,
    StartOptions,
};
use ashpd::desktop::{CreateSessionOptions, PersistMode};
use futures_lite::StreamExt;

/// How long a portal may take to answer, a dialog the user answers included.
/// A desktop that never answers must not leave typing or the shortcut waiting
/// for ever.
const PORTAL_WAIT: Duration = Duration::from_secs(60);

/// The id of the quick-search shortcut, as the desktop's settings list it.
const SHORTCUT_ID: &str = "quick-search";

/// Whether this is a Wayland session (where X11's typing and shortcuts reach
/// only Xwayland's windows).
pub fn wayland_session() -> bool {
    std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// `task`, or an error once [`PORTAL_WAIT`] has passed without an answer.
async fn bounded<T>(
    task: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let timeout = async {
        async_io::Timer::after(PORTAL_WAIT).await;
        Err("the desktop portal did not answer".to_string())
    };
    futures_lite::future::or(task, timeout).await
}

/// Runs `task` on a thread of its own, bounded by [`PORTAL_WAIT`]. A panic in
/// the portal library (it asserts on the portal's replies) is an error here.
fn on_portal_thread<T: Send + 'static>(
    task: impl std::future::Future<Output = Result<T, String>> + Send + 'static,
) -> Result<T, String> {
    let worker = std::thread::spawn(move || {
        jeton_core::process::while_identifiable(|| async_io::block_on(bounded(task)))
    });
    worker
        .join()
        .unwrap_or_else(|_| Err("the desktop portal gave an answer Jeton could not read".into()))
}

/// The session bus to reach the portal on: `None` is the user's session bus
/// (the tests bring a private one).
type Bus = Option<ashpd::zbus::Connection>;

async fn remote_desktop(bus: Bus) -> Result<RemoteDesktop, String> {
    match bus {
        Some(bus) => RemoteDesktop::with_connection(bus).await,
        None => RemoteDesktop::new().await,
    }
    .map_err(|e| e.to_string())
}

/// Whether the desktop lets Jeton type through the RemoteDesktop portal (asked
/// once per run: the answer is a property of the desktop).
pub fn can_type() -> bool {
    static OFFERED: OnceLock<bool> = OnceLock::new();
    *OFFERED.get_or_init(|| wayland_session() && offers_keyboard(None))
}

fn offers_keyboard(bus: Bus) -> bool {
    on_portal_thread(async {
        let portal = remote_desktop(bus).await?;
        let types = portal
            .available_device_types()
            .await
            .map_err(|e| e.to_string())?;
        Ok(types.contains(DeviceType::Keyboard))
    })
    .unwrap_or(false)
}

/// Types `text` (digits and capital letters) into the focused window through
/// the RemoteDesktop portal. `restore_token` is the token of an earlier session,
/// which spares the user the desktop's dialog; the token to keep for next time
/// is returned.
pub fn type_text(text: &str, restore_token: Option<String>) -> Result<Option<String>, String> {
    type_text_on(None, text, restore_token)
}

fn type_text_on(
    bus: Bus,
    text: &str,
    restore_token: Option<String>,
) -> Result<Option<String>, String> {
    let keysyms: Vec<i32> = text
        .chars()
        .map(|c| {
            // Codes are printable ASCII, whose X keysym is its code point.
            c.is_ascii_graphic()
                .then_some(c as i32)
                .ok_or_else(|| format!("{c:?} cannot be typed"))
        })
        .collect::<Result<_, _>>()?;
    on_portal_thread(async move {
        let fail = |e: ashpd::Error| e.to_string();
        let portal = remote_desktop(bus).await?;
        let session = portal
            .create_session(CreateSessionOptions::default())
            .await
            .map_err(fail)?;
        portal
            .select_devices(
                &session,
                SelectDevicesOptions::default()
                    .set_devices(ashpd::enumflags2::BitFlags::from(DeviceType::Keyboard))
                    .set_persist_mode(PersistMode::ExplicitlyRevoked)
                    .set_restore_token(restore_token.as_deref()),
            )
            .await
            .map_err(fail)?
            .response()
            .map_err(fail)?;
        let started = portal
            .start(&session, None, StartOptions::default())
            .await
            .map_err(fail)?
            .response()
            .map_err(|_| "the desktop did not allow typing".to_string())?;
        if !started.devices().contains(DeviceType::Keyboard) {
            let _ = session.close().await;
            return Err("the desktop did not allow typing".into());
        }
        for keysym in keysyms {
            for state in [KeyState::Pressed, KeyState::Released] {
                portal
                    .notify_keyboard_keysym(
                        &session,
                        keysym,
                        state,
                        NotifyKeyboardKeysymOptions::default(),
                    )
                    .await
                    .map_err(fail)?;
            }
        }
        let token = started.restore_token().map(str::to_owned);
        let _ = session.close().await;
        Ok(token)
    })
}

/// The quick-search shortcut as the desktop bound it.
#[derive(Debug, Clone)]
pub struct BoundShortcut {
    /// How the desktop describes its trigger ("Ctrl+Alt+J"), shown in Settings.
    pub trigger: String,
}

/// Asks the desktop's GlobalShortcuts portal for the quick-search shortcut
/// (`preferred` in the shortcuts specification's form, "CTRL+ALT+j"), and calls
/// `activated` on every press, from the portal's thread, for as long as Jeton
/// runs. Returns once the desktop has answered: `Ok(None)` when it has no such
/// portal.
pub fn bind_shortcut(
    description: String,
    preferred: Option<String>,
    activated: impl Fn() + Send + 'static,
) -> Result<Option<BoundShortcut>, String> {
    if !wayland_session() {
        return Ok(None);
    }
    bind_shortcut_on(None, description, preferred, activated)
}

fn bind_shortcut_on(
    bus: Bus,
    description: String,
    preferred: Option<String>,
    activated: impl Fn() + Send + 'static,
) -> Result<Option<BoundShortcut>, String> {
    let (answer, answered) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let bind = async {
            let fail = |e: ashpd::Error| e.to_string();
            let portal = match bus {
                Some(bus) => GlobalShortcuts::with_connection(bus).await,
                None => GlobalShortcuts::new().await,
            };
            let Ok(portal) = portal else {
                return Ok(None);
            };
            let session = portal
                .create_session(CreateSessionOptions::default())
                .await
                .map_err(fail)?;
            let shortcut =
                NewShortcut::new(SHORTCUT_ID, description).preferred_trigger(preferred.as_deref());
            let bound = portal
                .bind_shortcuts(&session, &[shortcut], None, Default::default())
                .await
                .map_err(fail)?
                .response()
                .map_err(|_| "the desktop did not allow the shortcut".to_string())?;
            let trigger = bound
                .shortcuts()
                .iter()
                .find(|s| s.id() == SHORTCUT_ID)
                .map(|s| s.trigger_description().to_owned())
                .unwrap_or_default();
            let presses = portal.receive_activated().await.map_err(fail)?;
            Ok(Some((BoundShortcut { trigger }, portal, session, presses)))
        };
        let bound = jeton_core::process::while_identifiable(|| async_io::block_on(bounded(bind)));
        match bound {
            Ok(Some((shortcut, _portal, _session, mut presses))) => {
                let _ = answer.send(Ok(Some(shortcut)));
                // The session lives as long as this loop: for the whole run.
                async_io::block_on(async {
                    while let Some(press) = presses.next().await {
                        if press.shortcut_id() == SHORTCUT_ID {
                            activated();
                        }
                    }
                });
            }
            other => {
                let _ = answer.send(other.map(|_| None));
            }
        }
    });
    answered
        .recv()
        .unwrap_or_else(|_| Err("the desktop portal gave an answer Jeton could not read".into()))
}

/// `shortcut` ("Ctrl+Alt+J", Tauri's form) in the shortcuts specification's
/// form the portal takes ("CTRL+ALT+j").
pub fn portal_trigger(shortcut: &str) -> Option<String> {
    let mut parts: Vec<&str> = shortcut.split('+').map(str::trim).collect();
    let key = parts.pop().filter(|k| !k.is_empty())?;
    let mut trigger: Vec<String> = parts
        .iter()
        .map(|m| match m.to_ascii_lowercase().as_str() {
            "ctrl" | "control" => Some("CTRL".to_string()),
            "alt" => Some("ALT".to_string()),
            "shift" => Some("SHIFT".to_string()),
            "super" | "meta" | "logo" => Some("LOGO".to_string()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    trigger.push(if key.chars().count() == 1 {
        key.to_lowercase()
    } else {
        key.to_string()
    });
    Some(trigger.join("+"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, Mutex};

    use ashpd::zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};
    use ashpd::zbus::{self, interface, object_server::SignalEmitter};

    #[test]
    fn shortcuts_are_written_as_the_portal_reads_them() {
        assert_eq!(portal_trigger("Ctrl+Alt+J").as_deref(), Some("CTRL+ALT+j"));
        assert_eq!(
            portal_trigger("Super+Shift+F5").as_deref(),
            Some("LOGO+SHIFT+F5")
        );
        assert_eq!(portal_trigger("Hyper+J"), None);
        assert_eq!(portal_trigger(""), None);
    }

    // The portals' desktop side. Debian 12 has no backend that offers
    // RemoteDesktop or GlobalShortcuts without a full GNOME or KDE session
    // (xdg-desktop-portal-wlr has neither), so the test plays the desktop: a
    // backend on a private bus behind the real xdg-desktop-portal, which checks
    // and forwards Jeton's calls as on a real desktop. It grants what is asked
    // and records the keys.

    /// What the test desktop saw.
    #[derive(Default)]
    struct Seen {
        keys: Vec<(i32, u32)>,
        preferred_trigger: Option<String>,
        shortcut_session: Option<OwnedObjectPath>,
    }

    struct TestDesktop(Arc<Mutex<Seen>>);

    type Results = (u32, HashMap<String, OwnedValue>);

    fn granted(results: Vec<(&str, Value<'_>)>) -> Results {
        let results = results
            .into_iter()
            .map(|(k, v)| (k.to_string(), OwnedValue::try_from(v).expect("owned")))
            .collect();
        (0, results)
    }

    #[interface(name = "org.freedesktop.impl.portal.RemoteDesktop")]
    impl TestDesktop {
        #[zbus(property, name = "AvailableDeviceTypes")]
        fn available_device_types(&self) -> u32 {
            1 // keyboard
        }
        #[zbus(property, name = "version")]
        fn version(&self) -> u32 {
            2
        }
        #[zbus(name = "CreateSession")]
        fn create_session(
            &self,
            _handle: ObjectPath<'_>,
            _session: ObjectPath<'_>,
            _app_id: &str,
            _options: HashMap<String, OwnedValue>,
        ) -> Results {
            granted(vec![])
        }
        #[zbus(name = "SelectDevices")]
        fn select_devices(
            &self,
            _handle: ObjectPath<'_>,
            _session: ObjectPath<'_>,
            _app_id: &str,
            _options: HashMap<String, OwnedValue>,
        ) -> Results {
            granted(vec![])
        }
        #[zbus(name = "Start")]
        fn start(
            &self,
            _handle: ObjectPath<'_>,
            _session: ObjectPath<'_>,
            _app_id: &str,
            _parent: &str,
            _options: HashMap<String, OwnedValue>,
        ) -> Results {
            granted(vec![("devices", Value::U32(1))])
        }
        #[zbus(name = "NotifyKeyboardKeysym")]
        fn notify_keyboard_keysym(
            &self,
            _session: ObjectPath<'_>,
            _options: HashMap<String, OwnedValue>,
            keysym: i32,
            state: u32,
        ) {
            self.0.lock().unwrap().keys.push((keysym, state));
        }
    }

    struct TestShortcuts(Arc<Mutex<Seen>>);

    #[interface(name = "org.freedesktop.impl.portal.GlobalShortcuts")]
    impl TestShortcuts {
        #[zbus(property, name = "version")]
        fn version(&self) -> u32 {
            1
        }
        #[zbus(name = "CreateSession")]
        fn create_session(
            &self,
            _handle: ObjectPath<'_>,
            session: ObjectPath<'_>,
            _app_id: &str,
            _options: HashMap<String, OwnedValue>,
        ) -> Results {
            self.0.lock().unwrap().shortcut_session = Some(session.into());
            granted(vec![])
        }
        #[zbus(name = "BindShortcuts")]
        fn bind_shortcuts(
            &self,
            _handle: ObjectPath<'_>,
            _session: ObjectPath<'_>,
            shortcuts: Vec<(String, HashMap<String, OwnedValue>)>,
            _parent: &str,
            _options: HashMap<String, OwnedValue>,
        ) -> Results {
            let (id, info) = shortcuts.into_iter().next().expect("one shortcut");
            let preferred = info
                .get("preferred_trigger")
                .and_then(|v| String::try_from(v.try_clone().ok()?).ok());
            self.0.lock().unwrap().preferred_trigger = preferred;
            let bound: HashMap<String, Value> = HashMap::from([
                ("description".to_string(), Value::from("Jeton quick search")),
                ("trigger_description".to_string(), Value::from("Ctrl+Alt+J")),
            ]);
            granted(vec![("shortcuts", Value::from(vec![(id, bound)]))])
        }
        #[zbus(signal, name = "Activated")]
        async fn activated(
            emitter: &SignalEmitter<'_>,
            session: ObjectPath<'_>,
            id: &str,
            timestamp: u64,
            options: HashMap<String, Value<'_>>,
        ) -> zbus::Result<()>;
    }

    /// Keeps what `command` starts, and what it starts on demand (the real
    /// portals, a keyring daemon for them), off the session the tests run in:
    /// its own HOME, so no one opens that session's keyring files or portal
    /// stores, and no display, so no prompt can wait on a screen. (A keyring
    /// daemon started here in the tests' HOME once left the tests' keyring to
    /// a later daemon that asked to unlock it, and CI waited until it ran out.)
    fn isolated<'c>(command: &'c mut Command, home: &std::path::Path) -> &'c mut Command {
        // A runtime folder of its own too (0700, as the portals require): the
        // document portal mounts its FUSE folder there (see `unmount_documents`).
        let runtime = home.join("run");
        std::fs::create_dir_all(&runtime).unwrap();
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        command.env("HOME", home).env("XDG_RUNTIME_DIR", runtime);
        for variable in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "GNOME_KEYRING_CONTROL",
        ] {
            command.env_remove(variable);
        }
        command
    }

    /// Unmounts the FUSE folder the document portal of an `isolated` bus may
    /// have left in `home`, before the temporary folder is removed.
    fn unmount_documents(home: &std::path::Path) {
        let _ = Command::new("fusermount")
            .arg("-uz")
            .arg(home.join("run/doc"))
            .stderr(Stdio::null())
            .status();
    }

    /// A session bus of the test's own, with `home` as the HOME of what it
    /// starts, and its address.
    fn private_bus(home: &std::path::Path) -> (Child, String) {
        let mut bus = isolated(&mut Command::new("dbus-daemon"), home)
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon");
        let mut address = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(bus.stdout.take().unwrap()),
            &mut address,
        )
        .unwrap();
        (bus, address.trim().to_string())
    }

    /// A private session bus with the real xdg-desktop-portal in front of the
    /// test desktop; killed when dropped.
    struct PortalBus {
        children: Vec<Child>,
        address: String,
        seen: Arc<Mutex<Seen>>,
        backend: zbus::blocking::Connection,
        _dir: tempfile::TempDir,
    }

    impl Drop for PortalBus {
        fn drop(&mut self) {
            for child in self.children.iter_mut().rev() {
                let _ = child.kill();
                let _ = child.wait();
            }
            unmount_documents(self._dir.path());
        }
    }

    impl PortalBus {
        fn start() -> PortalBus {
            let frontend = "/usr/libexec/xdg-desktop-portal";
            assert!(
                std::path::Path::new(frontend).exists(),
                "{frontend} is needed (Debian package xdg-desktop-portal; scripts/install-deps --test)"
            );
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("jeton-test.portal"),
                "[portal]\nDBusName=org.jeton.TestDesktop\n\
                 Interfaces=org.freedesktop.impl.portal.RemoteDesktop;org.freedesktop.impl.portal.GlobalShortcuts;\n\
                 UseIn=jeton-test\n",
            )
            .unwrap();
            let (bus, address) = private_bus(dir.path());
            let mut children = vec![bus];
            let seen = Arc::new(Mutex::new(Seen::default()));
            let backend = zbus::blocking::connection::Builder::address(address.as_str())
                .unwrap()
                .name("org.jeton.TestDesktop")
                .unwrap()
                .serve_at("/org/freedesktop/portal/desktop", TestDesktop(seen.clone()))
                .unwrap()
                .serve_at(
                    "/org/freedesktop/portal/desktop",
                    TestShortcuts(seen.clone()),
                )
                .unwrap()
                .build()
                .expect("the test desktop on the bus");
            children.push(
                isolated(&mut Command::new(frontend), dir.path())
                    .env("DBUS_SESSION_BUS_ADDRESS", &address)
                    .env("XDG_DESKTOP_PORTAL_DIR", dir.path())
                    .env("XDG_CURRENT_DESKTOP", "jeton-test")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("xdg-desktop-portal"),
            );
            let dbus = zbus::blocking::fdo::DBusProxy::new(&backend).unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while !dbus
                .name_has_owner("org.freedesktop.portal.Desktop".try_into().unwrap())
                .unwrap_or(false)
            {
                assert!(
                    std::time::Instant::now() < deadline,
                    "xdg-desktop-portal did not start"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            PortalBus {
                children,
                address,
                seen,
                backend,
                _dir: dir,
            }
        }

        fn client(&self) -> Bus {
            let address = self.address.clone();
            Some(
                async_io::block_on(
                    zbus::connection::Builder::address(address.as_str())
                        .unwrap()
                        .build(),
                )
                .expect("client connection"),
            )
        }
    }

    #[test]
    fn codes_are_typed_through_the_remote_desktop_portal() {
        let portal = PortalBus::start();
        assert!(offers_keyboard(portal.client()));
        let kept = type_text_on(portal.client(), "492039", None).expect("typed");
        assert_eq!(kept, None, "the test desktop gives no restore token");
        let expected: Vec<(i32, u32)> = "492039"
            .chars()
            .flat_map(|c| [(c as i32, 1), (c as i32, 0)])
            .collect();
        assert_eq!(
            portal.seen.lock().unwrap().keys,
            expected,
            "each digit pressed, then released"
        );
        assert!(
            type_text_on(portal.client(), "12 34", None).is_err(),
            "only codes are typed"
        );
    }

    #[test]
    fn the_quick_search_shortcut_is_bound_through_the_global_shortcuts_portal() {
        let portal = PortalBus::start();
        let (pressed, presses) = std::sync::mpsc::channel();
        let bound = bind_shortcut_on(
            portal.client(),
            "Jeton quick search".into(),
            portal_trigger("Ctrl+Alt+J"),
            move || {
                let _ = pressed.send(());
            },
        )
        .expect("bound")
        .expect("the portal is there");
        assert_eq!(bound.trigger, "Ctrl+Alt+J");
        let session = {
            let seen = portal.seen.lock().unwrap();
            assert_eq!(seen.preferred_trigger.as_deref(), Some("CTRL+ALT+j"));
            seen.shortcut_session.clone().expect("a session")
        };
        // The desktop says the shortcut was pressed.
        let emitter =
            SignalEmitter::new(portal.backend.inner(), "/org/freedesktop/portal/desktop").unwrap();
        async_io::block_on(TestShortcuts::activated(
            &emitter,
            session.as_ref(),
            SHORTCUT_ID,
            0,
            HashMap::new(),
        ))
        .unwrap();
        presses
            .recv_timeout(Duration::from_secs(5))
            .expect("the press reached Jeton");
    }

    #[test]
    fn without_the_portals_typing_is_not_offered_and_no_shortcut_is_bound() {
        let home = tempfile::tempdir().unwrap();
        let (mut bus, address) = private_bus(home.path());
        let client = || {
            Some(
                async_io::block_on(
                    zbus::connection::Builder::address(address.as_str())
                        .unwrap()
                        .build(),
                )
                .unwrap(),
            )
        };
        assert!(!offers_keyboard(client()));
        let bound = bind_shortcut_on(client(), "Jeton".into(), None, || {});
        assert!(matches!(bound, Ok(None) | Err(_)), "{bound:?}");
        let _ = bus.kill();
        let _ = bus.wait();
        unmount_documents(home.path());
    }
}
