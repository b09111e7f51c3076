//! The commands the webview may call, one line of core each.
//!
//! They are `async`, and every one that touches the keychain, the vault's file and
//! its lock, the disk, the clipboard, a scanner or a key derivation does that work
//! on a blocking thread ([`blocking`], [`with_vault`]): one slow call never holds
//! one of the async runtime's few workers, so it cannot freeze the window. Each
//! returns names and codes only; secrets typed or pasted by the user come in, but
//! never go back out. Text from the page is bounded ([`MAX_PAGE_TEXT_BYTES`])
//! before any work is done on it.

use jeton_core::{uri, Account, AccountSummary, Algorithm, CodeView, Kind, OtpParams, Vault};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

use crate::adding::{self, AddOutcome, TransferState};
use crate::backups::{
    self, BackupFlows, BackupStatusView, ExportDone, ImportDone, ImportStep, RecoverStep,
    TransferCodes,
};
#[cfg(desktop)]
use crate::camera::{self, CameraChoice, CameraEvent, CameraState};
#[cfg(desktop)]
use crate::desktop::{self, quick::TypeOutcome, settings::DesktopView};
use crate::reveal::{self, Revealed};
use crate::{clipboard, system, AppError, VaultState};

/// Facts about this machine the UI needs once.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// OS locale ("fr-CA"), if known.
    locale: Option<String>,
    /// Suggested device name for enrolment pages.
    device_name: String,
    /// Jeton's version.
    version: &'static str,
    /// A phone build (Android, iOS): no screen capture, desktop camera or desktop
    /// settings; the OS's camera scanner instead.
    mobile: bool,
}

/// Whether the clock can be trusted for codes.
#[derive(Debug, Serialize)]
pub struct ClockStatus {
    /// `Some(false)` when the OS says network time sync is off or not reached.
    synchronised: Option<bool>,
}

/// The codes of the accounts in use, all computed at the same second.
#[derive(Debug, Serialize)]
pub struct CodeList {
    /// The Unix time (seconds) the codes were computed for.
    now: u64,
    /// One view per account, in the user's order.
    codes: Vec<CodeView>,
}

/// An account typed by hand (Keycloak's "Unable to scan?" details).
#[derive(Deserialize)]
pub struct ManualEntry {
    /// Issuer ("CCOMTL"); may be empty.
    issuer: String,
    /// Account name at the issuer.
    account: String,
    /// Base32; spaces, dashes and lower case allowed. Wiped after use.
    secret: String,
    /// TOTP, HOTP or Steam (Steam ignores the fields below).
    kind: Kind,
    /// HMAC hash.
    algorithm: Algorithm,
    /// Code length.
    digits: u8,
    /// Seconds per code (TOTP).
    period: u64,
    /// Starting counter (HOTP).
    counter: u64,
}

impl Drop for ManualEntry {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    // The error repeats the id, so only its start (a real id is 36 characters).
    Uuid::parse_str(id.trim()).map_err(|_| AppError::InvalidId(id.chars().take(40).collect()))
}

/// The longest text the page may send in one argument: 16 KiB. The longest real
/// one is a transfer link (at most 7,089 bytes, a full QR code); names are at
/// most 256 characters, searches and passwords are typed. Anything longer is
/// refused before it is searched, parsed or fed to a key derivation.
pub const MAX_PAGE_TEXT_BYTES: usize = 16 * 1024;

/// Refuses a text argument longer than [`MAX_PAGE_TEXT_BYTES`].
fn bounded(text: &str) -> Result<&str, AppError> {
    if text.len() > MAX_PAGE_TEXT_BYTES {
        return Err(AppError::TextTooLong {
            size: text.len(),
            limit: MAX_PAGE_TEXT_BYTES,
        });
    }
    Ok(text)
}

/// Runs `action` on the up-to-date vault on a blocking thread (keychain, file
/// lock, disk), noting the automatic backup's outcome.
async fn with_vault<T: Send + 'static>(
    app: AppHandle,
    action: impl FnOnce(&mut Vault) -> jeton_core::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    blocking(move || app.state::<VaultState>().with(action)).await
}

/// Runs blocking work (a native dialog, a key derivation, a file read) on a
/// blocking thread, so Tauri's async workers stay free.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Task(e.to_string()))?
}

/// Locale, device name and version.
#[tauri::command]
pub async fn app_info() -> AppInfo {
    AppInfo {
        locale: system::locale(),
        device_name: system::device_name(),
        version: env!("CARGO_PKG_VERSION"),
        mobile: cfg!(mobile),
    }
}

/// Whether the OS keeps the clock in sync.
#[tauri::command]
pub async fn clock_status() -> Result<ClockStatus, AppError> {
    // Asks `timedatectl` (a process and a D-Bus call): on a blocking thread.
    blocking(|| {
        Ok(ClockStatus {
            synchronised: system::clock_synchronised(),
        })
    })
    .await
}

/// Current codes of the accounts in use matching `query` (all when empty).
#[tauri::command]
pub async fn list_codes(query: String, app: AppHandle) -> Result<CodeList, AppError> {
    bounded(&query)?;
    let now = jeton_core::otp::now();
    let codes = with_vault(app, move |v| v.code_views(&query, now)).await?;
    Ok(CodeList { now, codes })
}

/// Current code of one account (the enrolment helper).
#[tauri::command]
pub async fn account_code(id: String, app: AppHandle) -> Result<CodeView, AppError> {
    let id = parse_id(&id)?;
    with_vault(app, move |v| {
        v.in_use(id)?.code_view(jeton_core::otp::now())
    })
    .await
}

/// Adds the account(s) of a pasted link: `otpauth://`, `steam://`, or one part of
/// a Google Authenticator `otpauth-migration://` transfer.
#[tauri::command]
pub async fn add_link(link: Zeroizing<String>, app: AppHandle) -> Result<AddOutcome, AppError> {
    bounded(&link)?;
    blocking(move || adding::add_text(&app.state(), &app.state(), &link)).await
}

/// Adds an account typed by hand.
#[tauri::command]
pub async fn add_manual(entry: ManualEntry, app: AppHandle) -> Result<AddOutcome, AppError> {
    for text in [&entry.issuer, &entry.account, &entry.secret] {
        bounded(text)?;
    }
    let secret = uri::parse_manual_secret(&entry.secret)?;
    let params = match entry.kind {
        Kind::Steam => OtpParams::steam(),
        kind => OtpParams {
            kind,
            algorithm: entry.algorithm,
            digits: entry.digits,
            period: entry.period,
            counter: entry.counter,
        },
    };
    let account = Account::new(&entry.issuer, &entry.account, secret, params)?;
    let warnings = account.warnings();
    let id = with_vault(app, move |v| v.add(account)).await?;
    Ok(AddOutcome::Added {
        ids: vec![id],
        warnings,
    })
}

/// Reads the QR code in an image file the user opened (raw bytes as the request
/// body) and adds its account.
#[tauri::command]
pub async fn scan_image(
    request: tauri::ipc::Request<'_>,
    app: AppHandle,
) -> Result<AddOutcome, AppError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(jeton_scan::ScanError::UnsupportedFormat("no image data".into()).into());
    };
    if bytes.len() as u64 > jeton_scan::MAX_IMAGE_FILE_BYTES {
        return Err(jeton_scan::ScanError::FileTooLarge {
            size: bytes.len() as u64,
            limit: jeton_scan::MAX_IMAGE_FILE_BYTES,
        }
        .into());
    }
    let bytes = bytes.clone();
    blocking(move || {
        let texts = Zeroizing::new(jeton_scan::scan_image_bytes(&bytes)?);
        adding::add_first_usable(&app.state(), &app.state(), &texts)
    })
    .await
}

/// Reads the QR code in the image on the clipboard (e.g. a screenshot) and adds
/// its account. The image never passes through the page.
#[tauri::command]
pub async fn scan_clipboard(app: AppHandle) -> Result<AddOutcome, AppError> {
    blocking(move || {
        let texts = Zeroizing::new(clipboard::scan_image(&app)?);
        adding::add_first_usable(&app.state(), &app.state(), &texts)
    })
    .await
}

/// What "Scan from screen" added, and how the screens were seen: `capture` is
/// `"direct"` or `"portal"` (the desktop's screenshot portal), which the page says.
#[cfg(desktop)]
#[derive(Debug, Serialize)]
pub struct ScreenOutcome {
    #[serde(flatten)]
    outcome: AddOutcome,
    capture: &'static str,
}

/// Reads the QR code shown anywhere on the screens (the enrolment page open in a
/// browser) and adds its account. Jeton's own window steps aside meanwhile so it
/// cannot cover the code.
#[cfg(desktop)]
#[tauri::command]
pub async fn scan_screen(app: AppHandle) -> Result<ScreenOutcome, AppError> {
    blocking(move || {
        app.state::<CameraState>().stop_all();
        let scan = system::with_window_hidden(&app, || {
            jeton_core::process::while_identifiable(jeton_scan::scan_screens)
        })?;
        let texts = Zeroizing::new(scan.texts);
        Ok(ScreenOutcome {
            outcome: adding::add_first_usable(&app.state(), &app.state(), &texts)?,
            capture: scan.capture.code(),
        })
    })
    .await
}

/// The cameras the user can choose from (empty when none is connected).
#[cfg(desktop)]
#[tauri::command]
pub async fn list_cameras() -> Result<Vec<CameraChoice>, AppError> {
    blocking(camera::list).await
}

/// Starts scanning camera `id` as the scan numbered `token`: grey previews arrive
/// on `previews`, what is read and added on `events`. Any scan already running
/// stops first.
#[cfg(desktop)]
#[tauri::command]
pub async fn start_camera(
    id: String,
    token: u64,
    previews: tauri::ipc::Channel<tauri::ipc::InvokeResponseBody>,
    events: tauri::ipc::Channel<CameraEvent>,
    app: AppHandle,
) -> Result<(), AppError> {
    bounded(&id)?;
    camera::start(app, id, token, previews, events).await
}

/// Stops the camera scans numbered up to `token` (the page sends its first
/// token when it loads, which also stops any scan of an earlier page).
#[cfg(desktop)]
#[tauri::command]
pub async fn stop_camera(token: u64, app: AppHandle) -> Result<(), AppError> {
    // Waits for a scan that is adding what it read (the vault's lock): blocking.
    blocking(move || {
        app.state::<CameraState>().stop(token);
        Ok(())
    })
    .await
}

/// Phones: scans with the OS's camera scanner (asking for the camera the first
/// time) and adds what it read; the payload stays in Rust.
#[cfg(mobile)]
#[tauri::command]
pub async fn scan_with_phone_camera(app: AppHandle) -> Result<AddOutcome, AppError> {
    blocking(move || {
        let mut text = app
            .state::<crate::phone_camera::PhoneCamera<tauri::Wry>>()
            .scan()?;
        let texts = Zeroizing::new(vec![std::mem::take(&mut *text)]);
        adding::add_first_usable(&app.state(), &app.state(), &texts)
    })
    .await
}

/// Phones: ends the scan the user walked away from.
#[cfg(mobile)]
#[tauri::command]
pub async fn cancel_phone_camera(app: AppHandle) -> Result<(), AppError> {
    blocking(move || {
        app.state::<crate::phone_camera::PhoneCamera<tauri::Wry>>()
            .cancel()
    })
    .await
}

/// Adds the previewed Google Authenticator transfer (skipping accounts already in Jeton).
#[tauri::command]
pub async fn confirm_transfer(app: AppHandle) -> Result<AddOutcome, AppError> {
    blocking(move || adding::confirm_transfer(&app.state(), &app.state())).await
}

/// Forgets a Google Authenticator transfer left half-scanned.
#[tauri::command]
pub async fn cancel_transfer(app: AppHandle) -> Result<(), AppError> {
    // Blocking: an add holds the transfer while it waits for the vault's lock.
    blocking(move || {
        app.state::<TransferState>().cancel();
        Ok(())
    })
    .await
}

/// Sets an account's issuer and name.
#[tauri::command]
pub async fn rename_account(
    id: String,
    issuer: String,
    account: String,
    app: AppHandle,
) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    bounded(&issuer)?;
    bounded(&account)?;
    with_vault(app, move |v| v.rename(id, &issuer, &account)).await
}

/// Moves an account to the trash.
#[tauri::command]
pub async fn delete_account(id: String, app: AppHandle) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    with_vault(app, move |v| v.delete(id)).await
}

/// Brings an account back from the trash.
#[tauri::command]
pub async fn restore_account(id: String, app: AppHandle) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    with_vault(app, move |v| v.restore(id)).await
}

/// Removes an account in the trash for good.
#[tauri::command]
pub async fn purge_account(id: String, app: AppHandle) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    with_vault(app, move |v| v.purge(id)).await
}

/// Accounts in the trash (names only), most recently deleted first.
#[tauri::command]
pub async fn list_trash(app: AppHandle) -> Result<Vec<AccountSummary>, AppError> {
    with_vault(app, |v| {
        Ok(v.trash().into_iter().map(Account::summary).collect())
    })
    .await
}

/// HOTP: moves to the next code and returns it.
#[tauri::command]
pub async fn hotp_next(id: String, app: AppHandle) -> Result<CodeView, AppError> {
    let id = parse_id(&id)?;
    with_vault(app, move |v| v.hotp_next(id)).await
}

/// Copies an account's current code; it is cleared from the clipboard after 30 s.
#[tauri::command]
pub async fn copy_code(id: String, app: AppHandle) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    blocking(move || clipboard::copy_account_code(&app, id)).await
}

/// Calls `on_change` whenever the vault file changes (the CLI, a sync tool, this
/// app): the page then refreshes its list at once.
#[cfg(desktop)]
#[tauri::command]
pub async fn follow_changes(on_change: tauri::ipc::Channel<u32>, app: AppHandle) {
    app.state::<desktop::watch::VaultWatch>().follow(on_change);
}

/// The language the page shows (for the tray's menu while no window is open).
#[cfg(desktop)]
#[tauri::command]
pub async fn set_language(language: String, app: AppHandle) -> Result<(), AppError> {
    let language = bounded(&language)?.to_string();
    blocking(move || desktop::settings::set_language(&app, &language)).await
}

/// The tray, start-at-login and shortcut settings.
#[cfg(desktop)]
#[tauri::command]
pub async fn desktop_settings(app: AppHandle) -> Result<DesktopView, AppError> {
    blocking(move || Ok(desktop::settings::view(&app))).await
}

/// Changes the tray, start-at-login and shortcut settings.
#[cfg(desktop)]
#[tauri::command]
pub async fn set_desktop_settings(
    settings: DesktopView,
    app: AppHandle,
) -> Result<DesktopView, AppError> {
    bounded(&settings.shortcut)?;
    blocking(move || desktop::settings::apply(&app, settings)).await
}

/// Shift+Enter in the quick search: types the code into the window that had the
/// focus (or copies it where typing cannot be done).
#[cfg(desktop)]
#[tauri::command]
pub async fn quick_type(id: String, app: AppHandle) -> Result<TypeOutcome, AppError> {
    let id = parse_id(&id)?;
    blocking(move || desktop::quick::type_code(&app, id)).await
}

/// Escape in the quick search.
#[cfg(desktop)]
#[tauri::command]
pub async fn quick_close(app: AppHandle) {
    desktop::quick::close(&app);
}

/// Copies the suggested device name.
#[tauri::command]
pub async fn copy_device_name(app: AppHandle) -> Result<(), AppError> {
    blocking(move || clipboard::copy_text(&app, &system::device_name())).await
}

/// Where automatic backups go and how the last one went (the page asks after
/// every change, to show a failed backup).
#[tauri::command]
pub async fn backup_status(app: AppHandle) -> Result<BackupStatusView, AppError> {
    blocking(move || backups::status(&app.state())).await
}

/// Lets the user choose the folder for automatic backups (a native dialog titled
/// `title`); returns it for display, or nothing when cancelled.
#[tauri::command]
pub async fn choose_backup_folder(
    title: String,
    app: AppHandle,
) -> Result<Option<String>, AppError> {
    bounded(&title)?;
    blocking(move || {
        Ok(backups::choose_folder(
            &app,
            &app.state::<BackupFlows>(),
            &title,
        ))
    })
    .await
}

/// Sets up automatic backups into the chosen folder, keeping `keep`, protected by
/// `password`, and writes the first backup.
#[tauri::command]
pub async fn configure_backups(
    keep: usize,
    password: Zeroizing<String>,
    app: AppHandle,
) -> Result<BackupStatusView, AppError> {
    bounded(&password)?;
    blocking(move || backups::configure(&app.state(), &app.state(), keep, &password)).await
}

/// Writes an automatic backup now.
#[tauri::command]
pub async fn backup_now(app: AppHandle) -> Result<BackupStatusView, AppError> {
    blocking(move || backups::back_up_now(&app.state())).await
}

/// Lets the user choose a file to import, reads it and previews it (or asks for
/// its password). Nothing is added yet.
#[tauri::command]
pub async fn import_choose(title: String, app: AppHandle) -> Result<ImportStep, AppError> {
    bounded(&title)?;
    blocking(move || backups::import_choose(&app, &app.state(), &app.state(), &title)).await
}

/// Reads the chosen encrypted file with its password and previews it.
#[tauri::command]
pub async fn import_unlock(
    password: Zeroizing<String>,
    app: AppHandle,
) -> Result<ImportStep, AppError> {
    bounded(&password)?;
    blocking(move || backups::import_unlock(&app.state(), &app.state(), &password)).await
}

/// Adds the previewed accounts Jeton does not have yet.
#[tauri::command]
pub async fn import_confirm(app: AppHandle) -> Result<ImportDone, AppError> {
    blocking(move || backups::import_confirm(&app.state(), &app.state())).await
}

/// Forgets the file being imported.
#[tauri::command]
pub async fn import_cancel(app: AppHandle) -> Result<(), AppError> {
    blocking(move || {
        backups::import_cancel(&app.state());
        Ok(())
    })
    .await
}

/// Exports the accounts as `format` (jeton, aegis, aegis-plain, otpauth) to a
/// file the user chooses in a save dialog.
#[tauri::command]
pub async fn export_file(
    format: String,
    password: Option<Zeroizing<String>>,
    title: String,
    app: AppHandle,
) -> Result<ExportDone, AppError> {
    bounded(&format)?;
    bounded(&title)?;
    if let Some(password) = &password {
        bounded(password)?;
    }
    blocking(move || {
        let password = password.as_deref().map(String::as_str);
        backups::export_file(&app, &app.state(), &format, password, &title)
    })
    .await
}

/// The Google Authenticator transfer QR codes ("Move to a phone"): they hold the
/// keys, so this command is granted by the `reveal` capability only.
#[tauri::command]
pub async fn transfer_codes(app: AppHandle) -> Result<TransferCodes, AppError> {
    blocking(move || backups::transfer_codes(&app.state())).await
}

/// Restores an unreadable vault from a backup the user chooses; called again with
/// the password when the backup is encrypted.
#[tauri::command]
pub async fn recover_backup(
    password: Option<Zeroizing<String>>,
    title: String,
    app: AppHandle,
) -> Result<RecoverStep, AppError> {
    bounded(&title)?;
    if let Some(password) = &password {
        bounded(password)?;
    }
    blocking(move || {
        let password = password.as_deref().map(String::as_str);
        backups::recover(&app, &app.state(), &app.state(), password, &title)
    })
    .await
}

/// Forgets the backup chosen for a recovery.
#[tauri::command]
pub async fn recover_cancel(app: AppHandle) -> Result<(), AppError> {
    blocking(move || {
        backups::recover_cancel(&app.state());
        Ok(())
    })
    .await
}

/// An account's QR code and key, after the user confirmed in the page: the one
/// reply that holds a secret, granted by the `reveal` capability only.
#[tauri::command]
pub async fn reveal_account(id: String, app: AppHandle) -> Result<Revealed, AppError> {
    let id = parse_id(&id)?;
    blocking(move || reveal::reveal(&app.state(), id)).await
}

/// The reply types the page can receive, made from real calls on a vault holding
/// one known key, serialised as the IPC does it (JSON), and searched for that key
/// in every form it could leak in. Only the two commands of the `reveal`
/// capability (`reveal_account`, `transfer_codes`: QR matrices) are meant to carry
/// it. The replies that need a native dialog (exports, recovery) are recorded in
/// the real app by `tests/e2e_backup.rs` instead. Run inside a Secret Service
/// session (`scripts/with-session`), like the core's vault tests.
#[cfg(test)]
mod no_secret_in_replies {
    use data_encoding::{
        BASE32, BASE32_NOPAD, BASE64, BASE64URL, BASE64URL_NOPAD, BASE64_NOPAD, HEXLOWER, HEXUPPER,
    };
    use serde::Serialize;

    use super::*;

    /// The known key, printable so that even its raw bytes would be found.
    const KEY: &[u8] = b"Jeton-known-key-4Qz!";

    /// Every form of [`KEY`] found in `json`: as text, Base32 (grouped, lower
    /// case), hex and Base64, and inside any Base64 or hex run of the reply once
    /// decoded (a key inside a larger blob, such as a transfer link's payload).
    fn leaks(json: &str) -> Vec<String> {
        let base32 = BASE32_NOPAD.encode(KEY);
        let forms = [
            String::from_utf8(KEY.to_vec()).unwrap(),
            BASE32.encode(KEY),
            base32.clone(),
            base32.to_lowercase(),
            crate::reveal::grouped(&base32).to_string(),
            HEXLOWER.encode(KEY),
            HEXUPPER.encode(KEY),
            BASE64.encode(KEY),
            BASE64_NOPAD.encode(KEY),
            BASE64URL.encode(KEY),
            BASE64URL_NOPAD.encode(KEY),
        ];
        // A shorter piece of each form too: a key cut or wrapped is still a leak.
        let mut found: Vec<String> = forms
            .iter()
            .flat_map(|form| [form.clone(), form[..16.min(form.len())].to_string()])
            .filter(|form| json.contains(form.as_str()))
            .collect();
        let decoded = json
            .split(|c: char| !(c.is_ascii_alphanumeric() || "+/=_-%".contains(c)))
            .filter(|run| run.len() >= 16)
            // `name=value` runs (a link's query) are tried from after each `=`.
            .flat_map(|run| {
                let starts = run.match_indices('=').map(|(at, _)| at + 1);
                std::iter::once(0)
                    .chain(starts)
                    .map(move |at| run[at..].to_string())
            })
            .filter(|run| run.len() >= 16)
            .flat_map(|run| {
                let run = run
                    .replace("%2B", "+")
                    .replace("%2F", "/")
                    .replace("%3D", "=");
                [
                    BASE64,
                    BASE64_NOPAD,
                    BASE64URL,
                    BASE64URL_NOPAD,
                    HEXLOWER,
                    HEXUPPER,
                ]
                .into_iter()
                .filter_map(move |encoding| encoding.decode(run.as_bytes()).ok())
            });
        for bytes in decoded {
            if bytes.windows(KEY.len()).any(|w| w == KEY) {
                found.push("the key inside a decoded Base64 or hex run".into());
            }
        }
        found
    }

    fn check(what: &str, reply: &impl Serialize) {
        let json = serde_json::to_string(reply).expect("serialises");
        let found = leaks(&json);
        assert!(
            found.is_empty(),
            "{what} carries the key ({found:?}): {json}"
        );
    }

    #[test]
    fn only_the_reveal_capability_s_replies_carry_a_key() {
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("JETON_DATA_DIR", dir.path());
        let (vault, transfers, flows) = (
            VaultState::default(),
            TransferState::default(),
            BackupFlows::default(),
        );
        let base32 = BASE32_NOPAD.encode(KEY);
        let link = format!("otpauth://totp/Known:alice?secret={base32}&issuer=Known");

        let added = adding::add_text(&vault, &transfers, &link).unwrap();
        check("add_link", &added);
        let again = adding::add_text(&vault, &transfers, &link).unwrap_err();
        check("add_link (duplicate)", &again);
        let id = vault.with(|v| Ok(v.accounts()[0].id)).unwrap();
        let now = jeton_core::otp::now();
        let codes = vault.with(|v| v.code_views("", now)).unwrap();
        check("list_codes", &CodeList { now, codes });
        check(
            "account_code",
            &vault.with(|v| v.in_use(id)?.code_view(now)).unwrap(),
        );
        check("backup_status (off)", &backups::status(&vault).unwrap());
        let folder = tempfile::tempdir().unwrap();
        let settings = jeton_core::backup::auto::configure(
            dir.path(),
            &jeton_core::keychain::SystemKeychain,
            folder.path(),
            3,
            "correct horse battery staple",
        )
        .unwrap();
        vault.back_up_now().unwrap();
        check("backup_status (on)", &backups::status(&vault).unwrap());
        check(
            "app_info",
            &AppInfo {
                locale: None,
                device_name: "test".into(),
                version: "0",
                mobile: false,
            },
        );

        // A bad link that holds the key: the error names the problem, not the key.
        let bad = format!("otpauth://totp/Known:bob?secret={base32}&digits=99");
        check(
            "add_link (invalid)",
            &adding::add_text(&vault, &transfers, &bad).unwrap_err(),
        );
        let bad_secret = format!("{base32}!");
        check(
            "add_manual (invalid)",
            &AppError::from(uri::parse_manual_secret(&bad_secret).unwrap_err()),
        );

        // A Google transfer of the same key: its parts, its preview, its outcome.
        let accounts: Vec<Account> = vault
            .with(|v| Ok(v.accounts().into_iter().cloned().collect()))
            .unwrap();
        let export =
            jeton_core::backup::export::google_transfer(&accounts.iter().collect::<Vec<_>>())
                .unwrap();
        for part in &export.parts {
            let part = std::str::from_utf8(part).unwrap();
            // The link itself holds the key inside its Base64 payload: found.
            assert!(
                !leaks(part).is_empty(),
                "the search finds a key in a transfer link"
            );
            check(
                "add_link (transfer)",
                &adding::add_text(&vault, &transfers, part).unwrap(),
            );
        }
        check(
            "confirm_transfer",
            &adding::confirm_transfer(&vault, &transfers).unwrap(),
        );

        // An import: its preview, then its outcome.
        let file = Zeroizing::new(
            format!("{link}\notpauth://totp/Other:carol?secret=JBSWY3DPEHPK3PXP\n").into_bytes(),
        );
        check(
            "import_choose",
            &backups::import_bytes(&vault, &flows, file).unwrap(),
        );
        check(
            "import_confirm",
            &backups::import_confirm(&vault, &flows).unwrap(),
        );

        let counter = "otpauth://hotp/Known:dave?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=3";
        adding::add_text(&vault, &transfers, counter).unwrap();
        let hotp = vault
            .with(|v| Ok(v.accounts().iter().find(|a| a.name == "dave").map(|a| a.id)))
            .unwrap()
            .expect("the HOTP account");
        check("hotp_next", &vault.with(|v| v.hotp_next(hotp)).unwrap());
        vault.with(|v| v.delete(id)).unwrap();
        check(
            "list_trash",
            &vault
                .with(|v| {
                    Ok(v.trash()
                        .into_iter()
                        .map(Account::summary)
                        .collect::<Vec<_>>())
                })
                .unwrap(),
        );
        vault.with(|v| v.restore(id)).unwrap();

        // The one reply meant to carry the key does: the search above can fail.
        let revealed = reveal::reveal(&vault, id).unwrap();
        let json = serde_json::to_string(&revealed).unwrap();
        assert!(
            !leaks(&json).is_empty(),
            "reveal_account shows the key: {json}"
        );

        let _ = jeton_core::keychain::KeyStore::delete(
            &jeton_core::keychain::SystemKeychain,
            &jeton_core::keychain::backup_key_id(&settings.key_id.to_string()),
        );
        let vault_id = vault.with(|v| Ok(v.id())).unwrap().unwrap().to_string();
        let _ = jeton_core::keychain::KeyStore::delete(
            &jeton_core::keychain::SystemKeychain,
            &vault_id,
        );
    }
}
