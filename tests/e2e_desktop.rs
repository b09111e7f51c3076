//! End-to-end tests of Jeton on the desktop, outside its window, driven the way
//! the desktop itself drives it: the tray through a StatusNotifierWatcher and the
//! dbusmenu protocol on the session bus (what a panel does), GNOME Shell's search
//! provider through its D-Bus interface (what the Activities overview does), and
//! the global shortcut with real X11 key events (xdotool), typing the code into
//! another X11 window this test owns.
//!
//! The app is launched directly, not through WebDriver: closing its window to the
//! tray would end a WebDriver session, and nothing here reads the page.
//!
//! Run inside `scripts/with-session --display --fresh-home` (scripts/test does);
//! each test is `#[ignore]`d so a plain `cargo test` does not need a desktop.

mod support;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::*;
use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{self, ConnectionExt as _};
use x11rb::wrapper::ConnectionExt as _;
use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

/// The app started on a data folder of its own, with private web and config folders.
struct DesktopApp {
    child: Child,
    data_dir: tempfile::TempDir,
    _home: tempfile::TempDir,
}

impl DesktopApp {
    fn launch(data_dir: tempfile::TempDir) -> DesktopApp {
        let home = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(app_binary());
        let child = app_environment(&mut command, data_dir.path(), &home.path().join("data"), EN)
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the app starts");
        DesktopApp {
            child,
            data_dir,
            _home: home,
        }
    }

    fn vault(&self) -> jeton_core::Vault {
        open_vault(self.data_dir.path())
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().expect("wait on the app").is_none()
    }
}

impl Drop for DesktopApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits up to `limit` for `find` to give a value.
fn wait_for<T>(what: &str, limit: Duration, mut find: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = find() {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn clipboard_text() -> Option<String> {
    arboard::Clipboard::new().ok()?.get_text().ok()
}

/// Whether the clipboard holds `expected` within 5 s (an error to retry across a
/// period boundary otherwise).
fn clipboard_becomes(expected: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = clipboard_text();
        if now.as_deref() == Some(expected) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the clipboard holds {now:?}, not {expected}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------
// The panel's side of the tray: a StatusNotifierWatcher and a dbusmenu client.

/// The watcher a panel runs: items register with it.
struct Watcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // The item names either its object path (on its own connection) or a bus name.
        let item = if service.starts_with('/') {
            (sender, service.to_string())
        } else {
            (service.to_string(), "/StatusNotifierItem".to_string())
        };
        self.items.lock().unwrap().push(item);
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        let items = self.items.lock().unwrap();
        items
            .iter()
            .map(|(name, path)| format!("{name}{path}"))
            .collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// A dbusmenu layout node: id, properties, children (each a node in a variant).
type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);
/// Tray items as registered: (bus name, object path).
type Items = Arc<Mutex<Vec<(String, String)>>>;

/// One entry of a dbusmenu layout: its id and label.
#[derive(Debug)]
struct MenuEntry {
    id: i32,
    label: String,
}

/// The tray item's menu as a panel reads it (`com.canonical.dbusmenu.GetLayout`).
struct TrayMenu<'a> {
    proxy: Proxy<'a>,
}

impl<'a> TrayMenu<'a> {
    fn of(bus: &'a Connection, item: &(String, String)) -> TrayMenu<'a> {
        let item_proxy = Proxy::new(
            bus,
            item.0.as_str(),
            item.1.as_str(),
            "org.kde.StatusNotifierItem",
        )
        .expect("the tray item");
        let menu: OwnedObjectPath = item_proxy.get_property("Menu").expect("its Menu");
        let proxy =
            Proxy::new(bus, item.0.clone(), menu, "com.canonical.dbusmenu").expect("the tray menu");
        TrayMenu { proxy }
    }

    fn entries(&self) -> Vec<MenuEntry> {
        let (_revision, (_id, _props, children)): (u32, Layout) = self
            .proxy
            .call("GetLayout", &(0i32, 1i32, Vec::<String>::new()))
            .expect("GetLayout");
        children
            .into_iter()
            .filter_map(|child| {
                let (id, props, _): Layout = child.try_into().ok()?;
                let label = props
                    .get("label")
                    .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
                    .unwrap_or_default();
                Some(MenuEntry {
                    id,
                    label: label.replace("__", "_"),
                })
            })
            .collect()
    }

    fn revision(&self) -> u32 {
        let (revision, _): (u32, Layout) = self
            .proxy
            .call("GetLayout", &(0i32, 1i32, Vec::<String>::new()))
            .expect("GetLayout");
        revision
    }

    fn labels(&self) -> Vec<String> {
        self.entries().into_iter().map(|e| e.label).collect()
    }

    fn click(&self, label: &str) {
        self.send_click(label).expect("Event clicked");
    }

    /// Clicks an entry whose action may end the item's process before it
    /// answers (Show Jeton, from the lean tray, restarts it).
    fn click_and_let_go(&self, label: &str) {
        let _ = self.send_click(label);
    }

    fn send_click(&self, label: &str) -> zbus::Result<()> {
        let entries = self.entries();
        let entry = entries
            .iter()
            .find(|e| e.label == label)
            .unwrap_or_else(|| panic!("no {label:?} in the tray menu: {entries:?}"));
        self.proxy
            .call("Event", &(entry.id, "clicked", Value::from(""), 0u32))
    }
}

/// The newest tray item registered from another bus name than `than`'s (the
/// process after a restart).
fn newer_item(items: &Items, than: &(String, String)) -> Option<(String, String)> {
    let newest = items.lock().unwrap().last().cloned()?;
    (newest.0 != than.0).then_some(newest)
}

/// The session bus with a watcher on it, and the items that registered.
fn panel() -> (Connection, Items) {
    let items = Arc::new(Mutex::new(Vec::new()));
    let bus = zbus::blocking::connection::Builder::session()
        .expect("session bus")
        .name("org.kde.StatusNotifierWatcher")
        .expect("watcher name")
        .serve_at(
            "/StatusNotifierWatcher",
            Watcher {
                items: items.clone(),
            },
        )
        .expect("watcher object")
        .build()
        .expect("the watcher on the session bus");
    (bus, items)
}

// ---------------------------------------------------------------------------
// X11: the windows on screen, and a window of our own that receives keys.

/// Top-level windows whose name is `name` and that are on screen now.
fn viewable_windows(x: &impl x11rb::connection::Connection, root: u32, name: &str) -> Vec<u32> {
    let Ok(Ok(tree)) = x.query_tree(root).map(|c| c.reply()) else {
        return Vec::new();
    };
    tree.children
        .into_iter()
        .filter(|w| {
            let viewable = x
                .get_window_attributes(*w)
                .ok()
                .and_then(|c| c.reply().ok())
                .is_some_and(|a| a.map_state == xproto::MapState::VIEWABLE);
            viewable && window_name(x, *w).as_deref() == Some(name)
        })
        .collect()
}

/// The X11 atom named `name`.
fn atom(x: &impl x11rb::connection::Connection, name: &[u8]) -> Option<u32> {
    Some(x.intern_atom(false, name).ok()?.reply().ok()?.atom)
}

fn window_name(x: &impl x11rb::connection::Connection, window: u32) -> Option<String> {
    let (utf8, net_name) = (atom(x, b"UTF8_STRING")?, atom(x, b"_NET_WM_NAME")?);
    let reply = x
        .get_property(false, window, net_name, utf8, 0, 256)
        .ok()?
        .reply()
        .ok()?;
    let reply = if reply.value.is_empty() {
        x.get_property(
            false,
            window,
            xproto::AtomEnum::WM_NAME,
            xproto::AtomEnum::STRING,
            0,
            256,
        )
        .ok()?
        .reply()
        .ok()?
    } else {
        reply
    };
    String::from_utf8(reply.value).ok()
}

/// Asks `window` to close, as a window manager's close button does.
fn close_window(x: &impl x11rb::connection::Connection, window: u32) {
    let protocols = atom(x, b"WM_PROTOCOLS").expect("the WM_PROTOCOLS atom");
    let delete = atom(x, b"WM_DELETE_WINDOW").expect("the WM_DELETE_WINDOW atom");
    let event = xproto::ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    x.send_event(false, window, xproto::EventMask::NO_EVENT, event)
        .unwrap();
    x.flush().unwrap();
}

fn xdotool(args: &[&str]) {
    let status = Command::new("xdotool")
        .args(args)
        .status()
        .expect("xdotool (scripts/install-deps --test installs it)");
    assert!(status.success(), "xdotool {args:?} failed");
}

/// An X11 window of this test (an `xterm`-like target): what it is typed.
struct TypingTarget {
    x: x11rb::rust_connection::RustConnection,
    window: u32,
}

impl TypingTarget {
    fn open() -> TypingTarget {
        let (x, screen) = x11rb::connect(None).expect("the X display");
        let screen = &x.setup().roots[screen];
        let window = x.generate_id().unwrap();
        x.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            screen.root,
            20,
            20,
            300,
            120,
            0,
            xproto::WindowClass::INPUT_OUTPUT,
            0,
            &xproto::CreateWindowAux::new()
                .background_pixel(screen.white_pixel)
                .event_mask(xproto::EventMask::KEY_PRESS),
        )
        .unwrap();
        x.change_property8(
            xproto::PropMode::REPLACE,
            window,
            xproto::AtomEnum::WM_NAME,
            xproto::AtomEnum::STRING,
            b"login form",
        )
        .unwrap();
        x.map_window(window).unwrap();
        x.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let target = TypingTarget { x, window };
        target.focus();
        target
    }

    fn focus(&self) {
        self.x
            .set_input_focus(xproto::InputFocus::PARENT, self.window, x11rb::CURRENT_TIME)
            .unwrap();
        self.x.sync().unwrap();
    }

    /// The characters typed into this window during `within`.
    fn typed(&self, within: Duration) -> String {
        let setup = self.x.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let mapping = self
            .x
            .get_keyboard_mapping(min, max - min + 1)
            .unwrap()
            .reply()
            .unwrap();
        let per_key = usize::from(mapping.keysyms_per_keycode);
        let mut text = String::new();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            match self.x.poll_for_event().unwrap() {
                Some(x11rb::protocol::Event::KeyPress(key)) => {
                    let shifted = u16::from(key.state) & u16::from(xproto::KeyButMask::SHIFT) != 0;
                    let index = usize::from(key.detail - min) * per_key + usize::from(shifted);
                    if let Some(c) = mapping.keysyms.get(index).and_then(|s| char::from_u32(*s)) {
                        if c.is_ascii_graphic() {
                            text.push(c);
                        }
                    }
                }
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        text
    }
}

fn x_root() -> (x11rb::rust_connection::RustConnection, u32) {
    let (x, screen) = x11rb::connect(None).expect("the X display");
    let root = x.setup().roots[screen].root;
    (x, root)
}

// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs the desktop session of scripts/test"]
fn the_tray_lists_the_accounts_copies_a_code_and_keeps_jeton_running_with_the_window_closed() {
    let (bus, items) = panel();
    let mut app = DesktopApp::launch(data_dir_with(three_accounts()));
    let item = wait_for("the tray item to register", Duration::from_secs(20), || {
        items.lock().unwrap().first().cloned()
    });
    let menu = TrayMenu::of(&bus, &item);
    let labels = wait_for(
        "the accounts in the tray menu",
        Duration::from_secs(10),
        || {
            let labels = menu.labels();
            labels
                .iter()
                .any(|l| l.starts_with("CCOMTL"))
                .then_some(labels)
        },
    );
    assert!(
        labels.contains(&"CCOMTL — WXYZ2620".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"Show Jeton".to_string()), "{labels:?}");
    assert!(labels.contains(&"Quit Jeton".to_string()), "{labels:?}");
    // Idle, the menu stays as it is: reading the vault is no change to follow.
    let revision = menu.revision();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        menu.revision(),
        revision,
        "the tray menu is remade while nothing changes"
    );

    // A click copies the current code, as the window's list would.
    retry_across_boundary(|| {
        menu.click("CCOMTL — WXYZ2620");
        clipboard_becomes(&code_now(&app.vault(), "CCOMTL"))
    });

    // An account the CLI adds is in the menu within a second (file watching).
    let added = Command::new(cli_binary())
        .env("JETON_DATA_DIR", app.data_dir.path())
        .args([
            "add",
            "otpauth://totp/Payroll:jean?secret=JBSWY3DPEHPK3PXP&issuer=Payroll",
        ])
        .output()
        .expect("jeton add");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let seen = Instant::now();
    wait_for(
        "the CLI's account in the tray menu",
        Duration::from_secs(1),
        || {
            menu.labels()
                .contains(&"Payroll — jean".to_string())
                .then_some(())
        },
    );
    eprintln!(
        "tray menu followed the CLI's change in {} ms",
        seen.elapsed().as_millis()
    );

    // Closing the window: said once, then Jeton stays in the tray, its webview gone.
    let first_item = item.clone();
    let (x, root) = x_root();
    let window = wait_for("the main window", Duration::from_secs(20), || {
        viewable_windows(&x, root, "Jeton").first().copied()
    });
    close_window(&x, window);
    let notice = wait_for("the one-time tray notice", Duration::from_secs(10), || {
        viewable_windows(&x, root, "Jeton")
            .into_iter()
            .find(|w| *w != window)
    });
    std::thread::sleep(Duration::from_millis(500));
    // No window manager here: the dialog is given the focus as one would give it.
    x.set_input_focus(xproto::InputFocus::PARENT, notice, x11rb::CURRENT_TIME)
        .unwrap();
    x.sync().unwrap();
    xdotool(&["key", "Return"]);
    let pid = app.child.id();
    let gone = Instant::now() + Duration::from_secs(20);
    // WebKit's network process is shared by every webview and stays; the web
    // process that held the page must go.
    let web_processes = |pid: u32| -> Vec<String> {
        descendants(pid)
            .iter()
            .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/comm")).ok())
            .filter(|name| name.starts_with("WebKitWebProces"))
            .collect()
    };
    while !(viewable_windows(&x, root, "Jeton").is_empty() && web_processes(pid).is_empty()) {
        let left = web_processes(pid);
        assert!(
            Instant::now() < gone,
            "the window or its web processes stayed: windows {:?}, processes {left:?}",
            viewable_windows(&x, root, "Jeton")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(app.running(), "closing the window quit Jeton");
    assert!(
        !notice_pending(&app),
        "the tray notice is to be shown once only"
    );
    // Then Jeton restarts itself in the tray without WebKit (desktop::relaunch):
    // once the copied code has been cleared, the same process id registers a new
    // tray item, whose menu lists the accounts again.
    let item = wait_for(
        "Jeton to restart in the tray without WebKit",
        Duration::from_secs(60),
        || newer_item(&items, &first_item),
    );
    assert!(app.running(), "restarting in the tray quit Jeton");
    let menu = TrayMenu::of(&bus, &item);
    wait_for(
        "the accounts in the restarted tray's menu",
        Duration::from_secs(10),
        || {
            menu.labels()
                .contains(&"CCOMTL — WXYZ2620".to_string())
                .then_some(())
        },
    );
    let webkit_left = || -> Vec<String> {
        descendants(pid)
            .iter()
            .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/stat")).ok())
            .filter(|stat| stat.contains("(WebKit"))
            .collect()
    };
    let gone = Instant::now() + Duration::from_secs(10);
    while !webkit_left().is_empty() {
        assert!(
            Instant::now() < gone,
            "WebKit's processes stayed after the restart in the tray: {:?}",
            webkit_left()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(2));
    let mb = |kb: u64| kb as f64 / 1024.0;
    let (rss, private, pss) = (
        mb(tree_memory_kb(pid, "status", "VmRSS:")),
        mb(tree_memory_kb(pid, "status", "RssAnon:")),
        mb(tree_pss_kb(pid)),
    );
    let figures = format!(
        "in the tray, window closed (restarted without WebKit): \
         RSS {rss:.1} MB, of which private (anonymous) {private:.1} MB; PSS {pss:.1} MB"
    );
    eprintln!("{figures}");
    let _ = std::fs::write(std::env::temp_dir().join("jeton-tray-memory"), figures);

    // Launching Jeton again (its menu entry) brings the window back: the lean
    // tray restarts into a Jeton with a window, whose tray item registers anew.
    let second = Command::new(app_binary())
        .env("JETON_DATA_DIR", app.data_dir.path())
        .status()
        .expect("a second launch");
    assert!(second.success(), "the second launch hands over and exits");
    let window = wait_for(
        "the window from a second launch",
        Duration::from_secs(20),
        || viewable_windows(&x, root, "Jeton").first().copied(),
    );
    let with_window = wait_for(
        "the tray item of the Jeton with a window",
        Duration::from_secs(20),
        || newer_item(&items, &item),
    );
    // Closed again, with no copied code waiting: back in the lean tray at once.
    std::thread::sleep(Duration::from_secs(2));
    close_window(&x, window);
    let item = wait_for("the lean tray again", Duration::from_secs(20), || {
        newer_item(&items, &with_window)
    });
    let menu = TrayMenu::of(&bus, &item);
    wait_for(
        "Show in the lean tray's menu",
        Duration::from_secs(10),
        || {
            menu.labels()
                .contains(&"Show Jeton".to_string())
                .then_some(())
        },
    );

    // "Show Jeton" makes the window again the same way; "Quit Jeton" ends it.
    menu.click_and_let_go("Show Jeton");
    wait_for("the window to come back", Duration::from_secs(20), || {
        viewable_windows(&x, root, "Jeton").first().copied()
    });
    let lean_item = item;
    let item = wait_for(
        "the tray item of the Jeton with a window",
        Duration::from_secs(20),
        || newer_item(&items, &lean_item),
    );
    let menu = TrayMenu::of(&bus, &item);
    wait_for("Quit in its menu", Duration::from_secs(10), || {
        menu.labels()
            .contains(&"Quit Jeton".to_string())
            .then_some(())
    });
    menu.click("Quit Jeton");
    wait_for("Jeton to quit", Duration::from_secs(10), || {
        (!app.running()).then_some(())
    });
}

/// Whether the settings still say the tray notice is to be shown.
fn notice_pending(app: &DesktopApp) -> bool {
    let settings =
        std::fs::read_to_string(app.data_dir.path().join("settings.json")).unwrap_or_default();
    !settings.contains("\"tray_notice_shown\": true")
}

#[test]
#[ignore = "needs the desktop session of scripts/test"]
fn the_search_provider_finds_accounts_and_choosing_one_copies_its_code() {
    let app = DesktopApp::launch(data_dir_with(three_accounts()));
    let bus = Connection::session().expect("session bus");
    let provider = wait_for(
        "the search provider on the bus",
        Duration::from_secs(20),
        || {
            let proxy = Proxy::new(
                &bus,
                "org.jeton.Jeton.SearchProvider",
                "/org/jeton/Jeton/SearchProvider",
                "org.gnome.Shell.SearchProvider2",
            )
            .ok()?;
            proxy
                .call::<_, _, Vec<String>>("GetInitialResultSet", &(vec!["x"],))
                .ok()
                .map(|_| proxy)
        },
    );
    let search = |terms: &[&str]| -> Vec<String> {
        provider
            .call("GetInitialResultSet", &(terms.to_vec(),))
            .expect("GetInitialResultSet")
    };
    let found = search(&["ccom"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(search(&["nothing-like-this"]).is_empty());
    assert_eq!(search(&["CCOMTL", "wxyz"]), found, "every term, any case");
    let narrower: Vec<String> = provider
        .call("GetSubsearchResultSet", &(found.clone(), vec!["ccomtl"]))
        .expect("GetSubsearchResultSet");
    assert_eq!(narrower, found);

    let metas: Vec<HashMap<String, OwnedValue>> = provider
        .call("GetResultMetas", &(found.clone(),))
        .expect("GetResultMetas");
    let text = |key: &str| String::try_from(metas[0][key].try_clone().unwrap()).unwrap();
    assert_eq!(text("name"), "CCOMTL");
    assert_eq!(text("description"), "WXYZ2620");
    assert!(!metas[0].contains_key("code"), "no code on the overview");

    retry_across_boundary(|| {
        let _: () = provider
            .call("ActivateResult", &(found[0].as_str(), vec!["ccom"], 0u32))
            .expect("ActivateResult");
        clipboard_becomes(&code_now(&app.vault(), "CCOMTL"))
    });
}

#[test]
#[ignore = "needs the desktop session of scripts/test"]
fn the_shortcut_opens_the_quick_search_and_shift_enter_types_the_code_into_the_window_in_use() {
    let app = DesktopApp::launch(data_dir_with(three_accounts()));
    let (x, root) = x_root();
    wait_for("the main window", Duration::from_secs(20), || {
        viewable_windows(&x, root, "Jeton").first().copied()
    });
    // Let the page settle, then put the login form in front, as the user would.
    std::thread::sleep(Duration::from_secs(2));
    let target = TypingTarget::open();

    let pressed = Instant::now();
    xdotool(&["key", "ctrl+alt+j"]);
    wait_for("the quick search", Duration::from_secs(10), || {
        viewable_windows(&x, root, "Jeton quick search")
            .first()
            .copied()
    });
    let visible_ms = pressed.elapsed().as_millis();
    eprintln!("quick search on screen {visible_ms} ms after the shortcut");
    let _ = std::fs::write(
        std::env::temp_dir().join("jeton-quick-visible-ms"),
        format!("{visible_ms}\n"),
    );
    // The popup's page loads, then takes the keys.
    std::thread::sleep(Duration::from_millis(1500));
    xdotool(&["type", "--delay", "40", "github"]);
    std::thread::sleep(Duration::from_millis(700));
    let before = code_now(&app.vault(), "GitHub");
    // Shift is still held a moment after Enter, as a person's finger is: the code
    // must still arrive as digits.
    xdotool(&[
        "keydown", "shift", "key", "Return", "sleep", "0.3", "keyup", "shift",
    ]);
    let typed = target.typed(Duration::from_secs(3));
    let after = code_now(&app.vault(), "GitHub");
    assert!(
        typed == before || typed == after,
        "the login form received {typed:?}, GitHub's code is {before}"
    );
    assert!(
        viewable_windows(&x, root, "Jeton quick search").is_empty(),
        "the popup closes once it has typed"
    );

    // Enter copies instead; Escape closes without doing anything.
    target.focus();
    xdotool(&["key", "ctrl+alt+j"]);
    wait_for("the quick search again", Duration::from_secs(10), || {
        viewable_windows(&x, root, "Jeton quick search")
            .first()
            .copied()
    });
    std::thread::sleep(Duration::from_millis(1500));
    xdotool(&["type", "--delay", "40", "ccom"]);
    std::thread::sleep(Duration::from_millis(700));
    let went_behind = target.typed(Duration::from_millis(200));
    assert_eq!(
        went_behind, "",
        "the search letters went to the window behind the popup"
    );
    retry_across_boundary(|| {
        xdotool(&["key", "Return"]);
        clipboard_becomes(&code_now(&app.vault(), "CCOMTL"))
    });
    wait_for("the popup to close", Duration::from_secs(5), || {
        viewable_windows(&x, root, "Jeton quick search")
            .is_empty()
            .then_some(())
    });
    assert_eq!(
        target.typed(Duration::from_millis(300)),
        "",
        "Enter types nothing"
    );

    // `jeton-app --quick` (what a Wayland desktop shortcut runs) opens it in the
    // running Jeton; Escape closes it.
    let second = Command::new(app_binary())
        .arg("--quick")
        .env("JETON_DATA_DIR", app.data_dir.path())
        .status()
        .expect("a second launch");
    assert!(second.success(), "the second launch hands over and exits");
    wait_for(
        "the quick search from --quick",
        Duration::from_secs(10),
        || {
            viewable_windows(&x, root, "Jeton quick search")
                .first()
                .copied()
        },
    );
    std::thread::sleep(Duration::from_millis(1500));
    xdotool(&["key", "Escape"]);
    wait_for("Escape to close the popup", Duration::from_secs(5), || {
        viewable_windows(&x, root, "Jeton quick search")
            .is_empty()
            .then_some(())
    });
}
