//! The tray icon (a StatusNotifierItem on Linux, through libayatana-appindicator):
//! a menu of the accounts, where a click copies the account's current code (with
//! the usual clearing after 30 s), then "Show Jeton" and "Quit Jeton". The menu is
//! made again whenever the vault changes ([`refresh`], called by the file watcher).

use tauri::menu::{Menu, MenuBuilder, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use uuid::Uuid;

use super::text::{strings, Text};
use crate::{clipboard, AppError, VaultState};

/// Id of Jeton's one tray icon.
pub const TRAY_ID: &str = "jeton";
/// Accounts listed in the menu: a menu taller than the screen helps nobody, and
/// the window's search finds the others.
pub const MAX_TRAY_ACCOUNTS: usize = 25;
/// Characters of an account's label in the menu: names are bounded (the core's
/// limits), but a 200-character menu entry would make the menu as wide as the screen.
const MAX_LABEL_CHARS: usize = 60;
/// Menu ids: "copy:<account id>", and the two fixed entries.
const COPY_PREFIX: &str = "copy:";
const SHOW_ID: &str = "show";
const QUIT_ID: &str = "quit";

/// Adds the tray icon with Show and Quit, then fills in the accounts from another
/// thread: opening the vault may wait on a keychain prompt, which must never
/// hold the main thread at start-up.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let strings = strings();
    let menu = MenuBuilder::new(app)
        .text(SHOW_ID, strings.show)
        .text(QUIT_ID, strings.quit)
        .build()?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip(strings.tooltip)
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()));
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    let app = app.clone();
    std::thread::spawn(move || refresh(&app));
    Ok(())
}

/// Makes the menu again from the vault as it is now.
pub fn refresh(app: &AppHandle) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let strings = strings();
    match menu(app, strings) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
            let _ = tray.set_tooltip(Some(strings.tooltip));
        }
        Err(error) => eprintln!("Jeton: the tray menu could not be made: {error}"),
    }
}

/// The menu: the first accounts (in the user's order), then Show and Quit.
fn menu(app: &AppHandle, text: &Text) -> tauri::Result<Menu<tauri::Wry>> {
    let mut builder = MenuBuilder::new(app);
    match tray_accounts(app) {
        Ok((accounts, more)) => {
            if accounts.is_empty() {
                builder = builder.item(&disabled(app, text.no_accounts)?);
            }
            for (id, label) in accounts {
                builder = builder.text(format!("{COPY_PREFIX}{id}"), menu_label(&label));
            }
            if more {
                builder = builder.text(SHOW_ID, text.more_accounts);
            }
        }
        Err(_) => builder = builder.item(&disabled(app, text.vault_unavailable)?),
    }
    builder
        .separator()
        .text(SHOW_ID, text.show)
        .text(QUIT_ID, text.quit)
        .build()
}

/// The accounts the menu lists (id and "Issuer — account"), and whether there are more.
pub fn tray_accounts(app: &AppHandle) -> Result<(Vec<(Uuid, String)>, bool), AppError> {
    app.state::<VaultState>().with(|vault| {
        let accounts = vault.accounts();
        let more = accounts.len() > MAX_TRAY_ACCOUNTS;
        let listed = accounts
            .into_iter()
            .take(MAX_TRAY_ACCOUNTS)
            .map(|a| (a.id, label(&a.issuer, &a.name)))
            .collect();
        Ok((listed, more))
    })
}

/// How an account is named outside the window: "Issuer — account", or whichever is set.
pub fn label(issuer: &str, account: &str) -> String {
    match (issuer.is_empty(), account.is_empty()) {
        (false, false) => format!("{issuer} — {account}"),
        (false, true) => issuer.to_string(),
        _ => account.to_string(),
    }
}

fn disabled(app: &AppHandle, label: &str) -> tauri::Result<MenuItem<tauri::Wry>> {
    MenuItem::new(app, label, false, None::<&str>)
}

/// An account's menu label: at most [`MAX_LABEL_CHARS`] characters, and `&` doubled
/// (menus take it as a mnemonic marker; an issuer such as "AT&T" must show as typed).
fn menu_label(label: &str) -> String {
    let mut shown: String = label.chars().take(MAX_LABEL_CHARS).collect();
    if label.chars().count() > MAX_LABEL_CHARS {
        shown.push('…');
    }
    shown.replace('&', "&&")
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        SHOW_ID => super::show_main(app),
        QUIT_ID => app.exit(0),
        _ => {
            let Some(account) = id.strip_prefix(COPY_PREFIX) else {
                return;
            };
            let Ok(account) = Uuid::parse_str(account) else {
                return;
            };
            let app = app.clone();
            // The keychain and the vault file: off the main thread.
            std::thread::spawn(move || {
                if let Err(error) = clipboard::copy_account_code(&app, account) {
                    eprintln!("Jeton: the code could not be copied: {error}");
                }
            });
        }
    }
}

/// Whether the desktop shows tray icons: on Linux, a StatusNotifierWatcher is on
/// the session bus (KDE, most panels; GNOME only with the AppIndicator extension).
pub fn host_present() -> bool {
    #[cfg(target_os = "linux")]
    {
        super::search_provider::name_has_owner("org.kde.StatusNotifierWatcher")
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ampersand_in_an_issuer_shows_as_typed() {
        assert_eq!(menu_label("AT&T — jean"), "AT&&T — jean");
        let long = "x".repeat(200);
        assert_eq!(menu_label(&long).chars().count(), MAX_LABEL_CHARS + 1);
    }

    #[test]
    fn a_label_names_what_is_set() {
        assert_eq!(label("CCOMTL", "WXYZ2620"), "CCOMTL — WXYZ2620");
        assert_eq!(label("", "jean@example.com"), "jean@example.com");
        assert_eq!(label("GitHub", ""), "GitHub");
    }
}
