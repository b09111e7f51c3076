//! GNOME Shell's search provider (`org.gnome.Shell.SearchProvider2` on the
//! session bus): typing an issuer in the Activities overview lists the matching
//! accounts, and choosing one copies its current code. The Shell finds the
//! provider through `org.jeton.Jeton.search-provider.ini` (in the package) and
//! starts Jeton hidden through D-Bus activation when it is not running.
//!
//! Results carry ids and names only, never a code: the overview is on screen for
//! anyone to see, and the code goes to the clipboard only when the user chooses.

use std::collections::HashMap;
use std::sync::OnceLock;

use tauri::{AppHandle, Manager};
use uuid::Uuid;
use zbus::blocking::Connection;
use zbus::zvariant::Value;

use crate::{clipboard, VaultState};

/// The provider's well-known name and object (as in the `.ini`).
pub const BUS_NAME: &str = "org.jeton.Jeton.SearchProvider";
/// The provider's object path.
pub const OBJECT_PATH: &str = "/org/jeton/Jeton/SearchProvider";
/// Results listed for one search: the overview shows a handful per provider.
pub const MAX_RESULTS: usize = 20;
/// Search terms considered, and their length: the Shell sends what the user
/// types, but any program on the bus may call, so both are bounded.
const MAX_TERMS: usize = 8;
const MAX_TERM_CHARS: usize = 64;

/// The provider's session-bus connection (made once; `None` without a session bus).
/// Its handlers run on the connection's own thread and may wait for the vault.
fn provider_bus() -> Option<&'static Connection> {
    static BUS: OnceLock<Option<Connection>> = OnceLock::new();
    connect(&BUS)
}

/// A second connection for quick questions (is there a tray host?), asked from
/// the main thread: it never waits behind a provider call that waits for the vault.
fn query_bus() -> Option<&'static Connection> {
    static BUS: OnceLock<Option<Connection>> = OnceLock::new();
    connect(&BUS)
}

fn connect(bus: &'static OnceLock<Option<Connection>>) -> Option<&'static Connection> {
    bus.get_or_init(|| match Connection::session() {
        Ok(connection) => Some(connection),
        Err(error) => {
            eprintln!("Jeton: no D-Bus session bus: {error}");
            None
        }
    })
    .as_ref()
}

/// Whether some program owns `name` on the session bus.
pub fn name_has_owner(name: &str) -> bool {
    let Some(connection) = query_bus() else {
        return false;
    };
    let Ok(name) = zbus::names::BusName::try_from(name) else {
        return false;
    };
    zbus::blocking::fdo::DBusProxy::new(connection)
        .ok()
        .and_then(|proxy| proxy.name_has_owner(name).ok())
        .unwrap_or(false)
}

/// Serves the provider on the session bus (reported and skipped when it cannot).
pub fn start(app: &AppHandle) {
    let Some(connection) = provider_bus() else {
        return;
    };
    let provider = SearchProvider { app: app.clone() };
    let served = connection
        .object_server()
        .at(OBJECT_PATH, provider)
        .and_then(|_| connection.request_name(BUS_NAME));
    if let Err(error) = served {
        eprintln!("Jeton: the GNOME search provider is not available: {error}");
    }
}

struct SearchProvider {
    app: AppHandle,
}

impl SearchProvider {
    /// Ids of the accounts (in the user's order) whose issuer or name contains
    /// every term, case-insensitively; none when the vault cannot be opened.
    fn search(&self, terms: &[String]) -> Vec<String> {
        let terms: Vec<String> = terms
            .iter()
            .take(MAX_TERMS)
            .map(|t| {
                t.chars()
                    .take(MAX_TERM_CHARS)
                    .collect::<String>()
                    .to_lowercase()
            })
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return Vec::new();
        }
        self.app
            .state::<VaultState>()
            .with(|vault| {
                Ok(vault
                    .accounts()
                    .into_iter()
                    .filter(|a| {
                        let haystack = format!("{}\n{}", a.issuer, a.name).to_lowercase();
                        terms.iter().all(|t| haystack.contains(t.as_str()))
                    })
                    .take(MAX_RESULTS)
                    .map(|a| a.id.to_string())
                    .collect())
            })
            .unwrap_or_default()
    }
}

#[zbus::interface(name = "org.gnome.Shell.SearchProvider2")]
impl SearchProvider {
    /// The accounts matching what the user typed.
    fn get_initial_result_set(&self, terms: Vec<String>) -> Vec<String> {
        self.search(&terms)
    }

    /// The accounts matching a longer search (searched again: the vault is small).
    fn get_subsearch_result_set(
        &self,
        _previous_results: Vec<String>,
        terms: Vec<String>,
    ) -> Vec<String> {
        self.search(&terms)
    }

    /// Names of the results: the issuer as the title, the account below it.
    fn get_result_metas(&self, identifiers: Vec<String>) -> Vec<HashMap<String, Value<'static>>> {
        let ids: Vec<Uuid> = identifiers
            .iter()
            .take(MAX_RESULTS)
            .filter_map(|id| Uuid::parse_str(id).ok())
            .collect();
        self.app
            .state::<VaultState>()
            .with(|vault| {
                Ok(ids
                    .iter()
                    .filter_map(|id| vault.in_use(*id).ok())
                    .map(|a| {
                        let (title, description) = if a.issuer.is_empty() {
                            (a.name.clone(), String::new())
                        } else {
                            (a.issuer.clone(), a.name.clone())
                        };
                        HashMap::from([
                            ("id".to_string(), Value::from(a.id.to_string())),
                            ("name".to_string(), Value::from(title)),
                            ("description".to_string(), Value::from(description)),
                            ("gicon".to_string(), Value::from(crate::APP_ID.to_string())),
                        ])
                    })
                    .collect())
            })
            .unwrap_or_default()
    }

    /// Copies the chosen account's current code.
    fn activate_result(&self, identifier: String, _terms: Vec<String>, _timestamp: u32) {
        let Ok(id) = Uuid::parse_str(&identifier) else {
            return;
        };
        if let Err(error) = clipboard::copy_account_code(&self.app, id) {
            eprintln!("Jeton: the code could not be copied: {error}");
        }
    }

    /// Opens Jeton (the user pressed the provider's icon in the overview).
    fn launch_search(&self, _terms: Vec<String>, _timestamp: u32) {
        let app = self.app.clone();
        let _ = self.app.run_on_main_thread(move || super::show_main(&app));
    }
}
