// The only door to Rust. Every call returns names and codes, never a decoded
// secret, except revealAccount and transferCodes (granted apart, by
// capabilities/reveal.json, and called only after the user confirmed); the camera
// preview, which shows what the camera sees, is the one image that comes back.
// Every failure is rejected as {code, message} so the UI can translate it.
//
// Commands that change the vault announce it with a "jeton:changed" event on
// `document` once they succeed: main.js then asks for the backup status, so a
// failed automatic backup is shown whichever change caused it.

/** Commands after which the vault may have changed (and a backup was attempted). */
const CHANGES = new Set([
  "add_link",
  "add_manual",
  "scan_image",
  "scan_clipboard",
  "scan_screen",
  "scan_with_phone_camera",
  "confirm_transfer",
  "rename_account",
  "delete_account",
  "restore_account",
  "purge_account",
  "hotp_next",
  "import_confirm",
  "recover_backup",
]);

function invoke(command, args) {
  return window.__TAURI__.core.invoke(command, args).then(
    (reply) => {
      if (CHANGES.has(command)) document.dispatchEvent(new CustomEvent("jeton:changed"));
      return reply;
    },
    (error) => {
      throw typeof error === "object" && error && "code" in error
        ? error
        : { code: "unknown", message: String(error) };
    },
  );
}

export const api = {
  appInfo: () => invoke("app_info"),
  clockStatus: () => invoke("clock_status"),
  listCodes: (query = "") => invoke("list_codes", { query }),
  accountCode: (id) => invoke("account_code", { id }),
  addLink: (link) => invoke("add_link", { link }),
  addManual: (entry) => invoke("add_manual", { entry }),
  scanImage: (bytes) => invoke("scan_image", bytes),
  scanClipboard: () => invoke("scan_clipboard"),
  scanScreen: () => invoke("scan_screen"),
  listCameras: () => invoke("list_cameras"),
  startCamera: (id, token, previews, events) =>
    invoke("start_camera", { id, token, previews, events }),
  stopCamera: (token) => invoke("stop_camera", { token }),
  scanWithPhoneCamera: () => invoke("scan_with_phone_camera"),
  cancelPhoneCamera: () => invoke("cancel_phone_camera"),
  confirmTransfer: () => invoke("confirm_transfer"),
  cancelTransfer: () => invoke("cancel_transfer"),
  rename: (id, issuer, account) => invoke("rename_account", { id, issuer, account }),
  remove: (id) => invoke("delete_account", { id }),
  restore: (id) => invoke("restore_account", { id }),
  purge: (id) => invoke("purge_account", { id }),
  listTrash: () => invoke("list_trash"),
  hotpNext: (id) => invoke("hotp_next", { id }),
  copyCode: (id) => invoke("copy_code", { id }),
  copyDeviceName: () => invoke("copy_device_name"),
  /** {configured, dir, keep, last_backup: {time, accounts, file}?, last_error: {code, message}?} */
  backupStatus: () => invoke("backup_status"),
  /** The folder chosen in a native dialog (display only), or null if cancelled. */
  chooseBackupFolder: (title) => invoke("choose_backup_folder", { title }),
  configureBackups: (keep, password) => invoke("configure_backups", { keep, password }),
  backupNow: () => invoke("backup_now"),
  /** {status: "cancelled" | "password_needed" | "preview", format?, entries?: [{issuer, account, status, reason?}]} */
  importChoose: (title) => invoke("import_choose", { title }),
  importUnlock: (password) => invoke("import_unlock", { password }),
  /** {added, duplicates} */
  importConfirm: () => invoke("import_confirm"),
  importCancel: () => invoke("import_cancel"),
  /** {written, file?, accounts, left_out: ["Issuer: account"]} */
  exportFile: (format, password, title) => invoke("export_file", { format, password, title }),
  /** {codes: [{width, modules}], left_out}: holds the keys (reveal capability). */
  transferCodes: () => invoke("transfer_codes"),
  /** {status: "cancelled" | "password_needed" | "restored", moved_aside?, restored?, skipped?} */
  recoverBackup: (password, title) => invoke("recover_backup", { password, title }),
  recoverCancel: () => invoke("recover_cancel"),
  /** Calls `onChange()` whenever the vault file changes (the CLI, another Jeton). */
  followChanges: (onChange) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = () => onChange();
    return invoke("follow_changes", { onChange: channel });
  },
  /** Tells Rust the page's language (the tray menu follows it). */
  setLanguage: (language) => invoke("set_language", { language }),
  /** {close_to_tray, tray_available, start_at_login, shortcut, shortcut_active, shortcut_note} */
  desktopSettings: () => invoke("desktop_settings"),
  setDesktopSettings: (settings) => invoke("set_desktop_settings", { settings }),
  /** Quick search: {typed, copied} */
  quickType: (id) => invoke("quick_type", { id }),
  quickClose: () => invoke("quick_close"),
  /** {qr: {width, modules}, key}: the account's secret (reveal capability). */
  revealAccount: (id) => invoke("reveal_account", { id }),
};
