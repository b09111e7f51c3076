// The only door to Rust. Every call returns names and codes, never a secret (the
// camera preview, which shows what the camera sees, is the one image that comes
// back); every failure is rejected as {code, message} so the UI can translate it.

function invoke(command, args) {
  return window.__TAURI__.core.invoke(command, args).catch((error) => {
    throw typeof error === "object" && error && "code" in error
      ? error
      : { code: "unknown", message: String(error) };
  });
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
};
