//! Following the vault file: when the CLI, a sync tool or another Jeton replaces
//! `vault.jeton` (always by a rename, so one event per change), the open window
//! and the tray menu show the change within a second instead of at the next
//! period boundary. The page subscribes with `follow_changes` (a channel it owns,
//! so no event permission is granted).

use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode, Watcher};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};

/// Events closer together than this are one change (a write is a temp file and a
/// rename; an import writes once, but a backup beside it touches the folder too).
const SETTLE: Duration = Duration::from_millis(120);

/// The watcher (kept alive here) and the pages that follow changes.
#[derive(Default)]
pub struct VaultWatch {
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    followers: Mutex<Vec<Channel<u32>>>,
}

impl VaultWatch {
    /// Adds a page's channel; it is dropped once sending on it fails (page gone).
    pub fn follow(&self, channel: Channel<u32>) {
        crate::vault_state::lock(&self.followers).push(channel);
    }

    fn notify(&self, serial: u32) {
        crate::vault_state::lock(&self.followers).retain(|c| c.send(serial).is_ok());
    }
}

/// Starts watching the data folder (made first, private, if it is not there yet).
pub fn start(app: &AppHandle) {
    if let Err(error) = try_start(app) {
        eprintln!("Jeton: changes made elsewhere show at the next code period: {error}");
    }
}

fn try_start(app: &AppHandle) -> Result<(), String> {
    let dir = jeton_core::vault::default_data_dir().map_err(|e| e.to_string())?;
    jeton_core::vault::create_private_dir(&dir).map_err(|e| e.to_string())?;
    let (sender, changes) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Only changes count: reading the vault (every refresh does) is an
        // access event too, and following it would refresh forever.
        let changes_vault = event.is_ok_and(|event| {
            matches!(
                event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Data(_))
            ) && event
                .paths
                .iter()
                .any(|p| p.file_name() == Some(jeton_core::vault::VAULT_FILE.as_ref()))
        });
        if changes_vault {
            let _ = sender.send(());
        }
    })
    .map_err(|e| e.to_string())?;
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(|e| e.to_string())?;
    *crate::vault_state::lock(&app.state::<VaultWatch>().watcher) = Some(watcher);
    let app = app.clone();
    std::thread::Builder::new()
        .name("jeton-vault-watch".into())
        .spawn(move || {
            let mut serial = 0u32;
            while changes.recv().is_ok() {
                std::thread::sleep(SETTLE);
                while changes.try_recv().is_ok() {}
                serial = serial.wrapping_add(1);
                super::tray::refresh(&app);
                app.state::<VaultWatch>().notify(serial);
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}
