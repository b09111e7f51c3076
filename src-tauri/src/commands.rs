//! The commands the webview may call, one line of core each.
//!
//! They are `async` so Tauri runs them off the main thread: a keychain prompt or a
//! slow disk never freezes the window. Each returns names and codes only; secrets
//! typed or pasted by the user come in, but never go back out.

use jeton_core::{uri, Account, AccountSummary, Algorithm, CodeView, Kind, OtpParams};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

use crate::adding::{self, AddOutcome, TransferState};
use crate::backups::{
    self, BackupFlows, BackupStatusView, ExportDone, ImportDone, ImportStep, RecoverStep,
    TransferCodes,
};
use crate::camera::{self, CameraChoice, CameraEvent, CameraState};
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
    Uuid::parse_str(id.trim()).map_err(|_| AppError::InvalidId(id.to_string()))
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
    }
}

/// Whether the OS keeps the clock in sync.
#[tauri::command]
pub async fn clock_status() -> ClockStatus {
    ClockStatus {
        synchronised: system::clock_synchronised(),
    }
}

/// Current codes of the accounts in use matching `query` (all when empty).
#[tauri::command]
pub async fn list_codes(query: String, vault: State<'_, VaultState>) -> Result<CodeList, AppError> {
    let now = jeton_core::otp::now();
    let codes = vault.with(|v| v.code_views(&query, now))?;
    Ok(CodeList { now, codes })
}

/// Current code of one account (the enrolment helper).
#[tauri::command]
pub async fn account_code(id: String, vault: State<'_, VaultState>) -> Result<CodeView, AppError> {
    let id = parse_id(&id)?;
    vault.with(|v| v.in_use(id)?.code_view(jeton_core::otp::now()))
}

/// Adds the account(s) of a pasted link: `otpauth://`, `steam://`, or one part of
/// a Google Authenticator `otpauth-migration://` transfer.
#[tauri::command]
pub async fn add_link(
    mut link: String,
    vault: State<'_, VaultState>,
    transfers: State<'_, TransferState>,
) -> Result<AddOutcome, AppError> {
    let outcome = adding::add_text(&vault, &transfers, &link);
    link.zeroize();
    outcome
}

/// Adds an account typed by hand.
#[tauri::command]
pub async fn add_manual(
    entry: ManualEntry,
    vault: State<'_, VaultState>,
) -> Result<AddOutcome, AppError> {
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
    let id = vault.with(|v| v.add(account))?;
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
    vault: State<'_, VaultState>,
    transfers: State<'_, TransferState>,
) -> Result<AddOutcome, AppError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(jeton_scan::ScanError::UnsupportedFormat("no image data".into()).into());
    };
    let texts = zeroize::Zeroizing::new(jeton_scan::scan_image_bytes(bytes)?);
    adding::add_first_usable(&vault, &transfers, &texts)
}

/// Reads the QR code in the image on the clipboard (e.g. a screenshot) and adds
/// its account. The image never passes through the page.
#[tauri::command]
pub async fn scan_clipboard(
    app: AppHandle,
    vault: State<'_, VaultState>,
    transfers: State<'_, TransferState>,
) -> Result<AddOutcome, AppError> {
    let texts = zeroize::Zeroizing::new(clipboard::scan_image(&app)?);
    adding::add_first_usable(&vault, &transfers, &texts)
}

/// Reads the QR code shown anywhere on the screens (the enrolment page open in a
/// browser) and adds its account. Jeton's own window steps aside meanwhile so it
/// cannot cover the code.
#[tauri::command]
pub async fn scan_screen(
    app: AppHandle,
    vault: State<'_, VaultState>,
    transfers: State<'_, TransferState>,
    cameras: State<'_, CameraState>,
) -> Result<AddOutcome, AppError> {
    cameras.stop_all();
    let texts =
        zeroize::Zeroizing::new(system::with_window_hidden(&app, jeton_scan::scan_screens)?);
    adding::add_first_usable(&vault, &transfers, &texts)
}

/// The cameras the user can choose from (empty when none is connected).
#[tauri::command]
pub async fn list_cameras() -> Result<Vec<CameraChoice>, AppError> {
    camera::list()
}

/// Starts scanning camera `id` as the scan numbered `token`: grey previews arrive
/// on `previews`, what is read and added on `events`. Any scan already running
/// stops first.
#[tauri::command]
pub async fn start_camera(
    id: String,
    token: u64,
    previews: tauri::ipc::Channel<tauri::ipc::InvokeResponseBody>,
    events: tauri::ipc::Channel<CameraEvent>,
    app: AppHandle,
) -> Result<(), AppError> {
    camera::start(app, id, token, previews, events).await
}

/// Stops the camera scans numbered up to `token` (the page sends its first
/// token when it loads, which also stops any scan of an earlier page).
#[tauri::command]
pub async fn stop_camera(token: u64, cameras: State<'_, CameraState>) -> Result<(), AppError> {
    cameras.stop(token);
    Ok(())
}

/// Adds the previewed Google Authenticator transfer (skipping accounts already in Jeton).
#[tauri::command]
pub async fn confirm_transfer(
    vault: State<'_, VaultState>,
    transfers: State<'_, TransferState>,
) -> Result<AddOutcome, AppError> {
    adding::confirm_transfer(&vault, &transfers)
}

/// Forgets a Google Authenticator transfer left half-scanned.
#[tauri::command]
pub async fn cancel_transfer(transfers: State<'_, TransferState>) -> Result<(), AppError> {
    transfers.cancel();
    Ok(())
}

/// Sets an account's issuer and name.
#[tauri::command]
pub async fn rename_account(
    id: String,
    issuer: String,
    account: String,
    vault: State<'_, VaultState>,
) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    vault.with(|v| v.rename(id, &issuer, &account))
}

/// Moves an account to the trash.
#[tauri::command]
pub async fn delete_account(id: String, vault: State<'_, VaultState>) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    vault.with(|v| v.delete(id))
}

/// Brings an account back from the trash.
#[tauri::command]
pub async fn restore_account(id: String, vault: State<'_, VaultState>) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    vault.with(|v| v.restore(id))
}

/// Removes an account in the trash for good.
#[tauri::command]
pub async fn purge_account(id: String, vault: State<'_, VaultState>) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    vault.with(|v| v.purge(id))
}

/// Accounts in the trash (names only), most recently deleted first.
#[tauri::command]
pub async fn list_trash(vault: State<'_, VaultState>) -> Result<Vec<AccountSummary>, AppError> {
    vault.with(|v| Ok(v.trash().into_iter().map(Account::summary).collect()))
}

/// HOTP: moves to the next code and returns it.
#[tauri::command]
pub async fn hotp_next(id: String, vault: State<'_, VaultState>) -> Result<CodeView, AppError> {
    let id = parse_id(&id)?;
    vault.with(|v| v.hotp_next(id))
}

/// Copies an account's current code; it is cleared from the clipboard after 30 s.
#[tauri::command]
pub async fn copy_code(
    id: String,
    app: AppHandle,
    vault: State<'_, VaultState>,
) -> Result<(), AppError> {
    let id = parse_id(&id)?;
    let code = vault.with(|v| v.in_use(id)?.code_at(jeton_core::otp::now()))?;
    clipboard::copy_code(&app, code)
}

/// Copies the suggested device name.
#[tauri::command]
pub async fn copy_device_name(app: AppHandle) -> Result<(), AppError> {
    clipboard::copy_text(&app, &system::device_name())
}

/// Where automatic backups go and how the last one went (the page asks after
/// every change, to show a failed backup).
#[tauri::command]
pub async fn backup_status(vault: State<'_, VaultState>) -> Result<BackupStatusView, AppError> {
    backups::status(&vault)
}

/// Lets the user choose the folder for automatic backups (a native dialog titled
/// `title`); returns it for display, or nothing when cancelled.
#[tauri::command]
pub async fn choose_backup_folder(
    title: String,
    app: AppHandle,
) -> Result<Option<String>, AppError> {
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
    blocking(move || backups::import_choose(&app, &app.state(), &app.state(), &title)).await
}

/// Reads the chosen encrypted file with its password and previews it.
#[tauri::command]
pub async fn import_unlock(
    password: Zeroizing<String>,
    app: AppHandle,
) -> Result<ImportStep, AppError> {
    blocking(move || backups::import_unlock(&app.state(), &app.state(), &password)).await
}

/// Adds the previewed accounts Jeton does not have yet.
#[tauri::command]
pub async fn import_confirm(app: AppHandle) -> Result<ImportDone, AppError> {
    blocking(move || backups::import_confirm(&app.state(), &app.state())).await
}

/// Forgets the file being imported.
#[tauri::command]
pub async fn import_cancel(flows: State<'_, BackupFlows>) -> Result<(), AppError> {
    backups::import_cancel(&flows);
    Ok(())
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
    blocking(move || {
        let password = password.as_deref().map(String::as_str);
        backups::export_file(&app, &app.state(), &format, password, &title)
    })
    .await
}

/// The Google Authenticator transfer QR codes ("Move to a phone"): they hold the
/// keys, so this command is granted by the `reveal` capability only.
#[tauri::command]
pub async fn transfer_codes(vault: State<'_, VaultState>) -> Result<TransferCodes, AppError> {
    backups::transfer_codes(&vault)
}

/// Restores an unreadable vault from a backup the user chooses; called again with
/// the password when the backup is encrypted.
#[tauri::command]
pub async fn recover_backup(
    password: Option<Zeroizing<String>>,
    title: String,
    app: AppHandle,
) -> Result<RecoverStep, AppError> {
    blocking(move || {
        let password = password.as_deref().map(String::as_str);
        backups::recover(&app, &app.state(), &app.state(), password, &title)
    })
    .await
}

/// Forgets the backup chosen for a recovery.
#[tauri::command]
pub async fn recover_cancel(flows: State<'_, BackupFlows>) -> Result<(), AppError> {
    backups::recover_cancel(&flows);
    Ok(())
}

/// An account's QR code and key, after the user confirmed in the page: the one
/// reply that holds a secret, granted by the `reveal` capability only.
#[tauri::command]
pub async fn reveal_account(
    id: String,
    vault: State<'_, VaultState>,
) -> Result<Revealed, AppError> {
    reveal::reveal(&vault, parse_id(&id)?)
}
