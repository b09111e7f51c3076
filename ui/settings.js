// The Settings view: automatic backups (folder, how many kept, the last backup or
// failure, set up / change, back up now), import from another authenticator with
// a preview, and export (encrypted or plain files, or transfer QR codes for a
// phone). Files are chosen in native dialogs Rust opens; passwords typed here are
// sent once and wiped from their fields.

import { api } from "./api.js";
import { isPhone } from "./platform.js";
import { initDesktopSettings, loadDesktopSettings, retranslateDesktopSettings } from "./desktop-settings.js";
import { errorText, locale, t } from "./i18n.js";
import { askPassword } from "./password.js";
import { clearQr, drawQr } from "./qr.js";
import { hideSoon } from "./secret-timer.js";
import { displayName } from "./timing.js";
import { toast } from "./toast.js";

const $ = (id) => document.getElementById(id);
const MIN_PASSWORD = 8;
let onStatus = () => {};
let lastStatus = null;
let transfer = null; // { codes, index, cancelTimer }

/** The Settings view for the registry. */
export const settingsView = {
  name: "settings",
  back: true,
  enter: () => {
    loadStatus();
    if (!isPhone()) loadDesktopSettings();
    $("settings-back").focus();
  },
  leave: () => {
    hideBackupForm();
    hideImport();
    hideTransfer();
    wipe($("export-form"));
    showBanner($("export-error"), "");
  },
};

/** Wires the view; `status(status)` runs whenever the backup status is known. */
export function initSettings({ status }) {
  onStatus = status;
  initDesktopSettings();
  $("backup-setup").addEventListener("click", showBackupForm);
  $("backup-cancel").addEventListener("click", hideBackupForm);
  $("backup-choose").addEventListener("click", chooseFolder);
  $("backup-form").addEventListener("submit", configure);
  $("backup-now").addEventListener("click", backUpNow);
  $("import-choose").addEventListener("click", chooseImport);
  $("import-cancel").addEventListener("click", () => {
    api.importCancel().catch(() => {});
    hideImport();
    $("import-choose").focus();
  });
  $("import-confirm").addEventListener("click", confirmImport);
  $("export-form").addEventListener("change", showExportChoice);
  $("export-form").addEventListener("submit", exportNow);
  $("transfer-prev").addEventListener("click", () => showPart(transfer.index - 1));
  $("transfer-next").addEventListener("click", () => showPart(transfer.index + 1));
  $("transfer-hide").addEventListener("click", () => {
    hideTransfer();
    $("export-submit").focus();
  });
  showExportChoice();
}

/** Re-renders texts that depend on the language. */
export function retranslateSettings() {
  retranslateDesktopSettings();
  if (lastStatus) renderStatus(lastStatus);
  showExportChoice();
  if (transfer) showPart(transfer.index);
}

/** Opens the set-up form (from the reminder on the codes view). */
export function startSetup() {
  showBackupForm();
}

function showBanner(box, text) {
  box.textContent = text;
  box.hidden = !text;
}

function wipe(form) {
  for (const input of form.querySelectorAll('input[type="password"]')) input.value = "";
}

function formatTime(seconds) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(seconds * 1000),
  );
}

// --- Automatic backups ------------------------------------------------------

async function loadStatus() {
  try {
    renderStatus(await api.backupStatus());
  } catch (error) {
    showBanner($("backup-error"), errorText(error));
  }
}

function renderStatus(status) {
  lastStatus = status;
  onStatus(status);
  $("backup-summary").textContent = status.configured
    ? t("backups.on", { dir: status.dir, keep: status.keep })
    : t("backups.off");
  const last = status.last_backup;
  $("backup-last").textContent = last
    ? t("backups.last", { time: formatTime(last.time), count: last.accounts })
    : "";
  showBanner(
    $("backup-error"),
    status.last_error ? t("backups.failed", { reason: errorText(status.last_error) }) : "",
  );
  $("backup-setup").textContent = status.configured ? t("backups.change") : t("backups.setup");
  $("backup-now").hidden = !status.configured;
}

function showBackupForm() {
  const form = $("backup-form");
  form.hidden = false;
  form.dataset.folder = "";
  $("backup-folder").textContent = t("backups.no_folder");
  form.elements.keep.value = String(lastStatus?.keep ?? 20);
  showBanner($("backup-form-error"), "");
  $("backup-setup").hidden = true;
  $("backup-choose").focus();
}

function hideBackupForm() {
  const form = $("backup-form");
  wipe(form);
  form.hidden = true;
  $("backup-setup").hidden = false;
}

async function chooseFolder() {
  const button = $("backup-choose");
  button.disabled = true;
  try {
    const folder = await api.chooseBackupFolder(t("backups.choose_title"));
    if (folder) {
      $("backup-form").dataset.folder = folder;
      $("backup-folder").textContent = folder;
      $("backup-form").elements.password.focus();
    }
  } catch (error) {
    showBanner($("backup-form-error"), errorText(error));
  } finally {
    button.disabled = false;
  }
}

/** The new password of a form with `password` and `again`, or an error text. */
function newPassword(form) {
  const password = form.elements.password.value;
  const again = form.elements.again.value;
  if ([...password].length < MIN_PASSWORD) return { error: t("password.too_short", { min: MIN_PASSWORD }) };
  if (password !== again) return { error: t("password.mismatch") };
  return { password };
}

async function configure(event) {
  event.preventDefault();
  const form = $("backup-form");
  const error = $("backup-form-error");
  if (!form.dataset.folder) return showBanner(error, t("backups.no_folder"));
  const { password, error: problem } = newPassword(form);
  if (problem) {
    wipe(form);
    form.elements.password.focus();
    return showBanner(error, problem);
  }
  wipe(form);
  const keep = Math.max(1, Math.min(1000, Number.parseInt(form.elements.keep.value, 10) || 20));
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  showBanner(error, "");
  try {
    const status = await api.configureBackups(keep, password);
    hideBackupForm();
    renderStatus(status);
    toast(status.last_error ? t("backups.failed", { reason: errorText(status.last_error) }) : t("backups.done"));
    $("backup-setup").focus();
  } catch (failure) {
    showBanner(error, errorText(failure));
  } finally {
    submit.disabled = false;
  }
}

async function backUpNow() {
  const button = $("backup-now");
  button.disabled = true;
  try {
    const status = await api.backupNow();
    renderStatus(status);
    if (!status.last_error) toast(t("backups.written"));
  } catch (error) {
    showBanner($("backup-error"), errorText(error));
  } finally {
    button.disabled = false;
  }
}

// --- Import -------------------------------------------------------------------

async function chooseImport() {
  const button = $("import-choose");
  button.disabled = true;
  hideImport();
  try {
    let step = await api.importChoose(t("import.choose_title"));
    if (step.status === "password_needed") {
      step = await askPassword(t("import.password_title"), (password) => api.importUnlock(password));
      if (!step) {
        api.importCancel().catch(() => {});
        return;
      }
    }
    if (step.status === "preview") showPreview(step);
  } catch (error) {
    showBanner($("import-error"), errorText(error));
  } finally {
    button.disabled = false;
  }
}

function showPreview(step) {
  const counts = { new: 0, duplicate: 0, skipped: 0 };
  const list = $("import-list");
  list.replaceChildren(
    ...step.entries.map((entry) => {
      counts[entry.status] += 1;
      const item = document.createElement("li");
      item.className = `import-${entry.status}`;
      item.dataset.status = entry.status;
      const name = document.createElement("span");
      name.className = "import-name";
      name.textContent = displayName(entry.issuer, entry.account, t("name.unnamed"));
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent =
        entry.status === "new"
          ? t("import.new")
          : entry.status === "duplicate"
            ? t("transfer.duplicate")
            : t("import.skipped", { reason: errorText(entry.reason) });
      item.append(name, badge);
      return item;
    }),
  );
  $("import-summary").textContent = t("import.summary", {
    total: step.entries.length,
    fresh: counts.new,
    duplicates: counts.duplicate,
    skipped: counts.skipped,
  });
  const confirm = $("import-confirm");
  confirm.textContent =
    counts.new === 0
      ? t("transfer.nothing_new")
      : counts.new === 1
        ? t("transfer.confirm_one")
        : t("transfer.confirm", { count: counts.new });
  confirm.disabled = counts.new === 0;
  confirm.dataset.count = String(counts.new);
  $("import-preview").hidden = false;
  (counts.new ? confirm : $("import-cancel")).focus();
}

function hideImport() {
  $("import-preview").hidden = true;
  $("import-list").replaceChildren();
  showBanner($("import-error"), "");
}

async function confirmImport() {
  const button = $("import-confirm");
  button.disabled = true;
  try {
    const done = await api.importConfirm();
    hideImport();
    toast(done.added === 1 ? t("import.added_one") : t("import.added", { count: done.added }));
    $("import-choose").focus();
  } catch (error) {
    showBanner($("import-error"), errorText(error));
    button.disabled = false;
  }
}

// --- Export -------------------------------------------------------------------

const ENCRYPTED = new Set(["jeton", "aegis"]);

function chosenFormat() {
  return $("export-form").elements.format.value;
}

function showExportChoice() {
  const format = chosenFormat();
  $("export-passwords").hidden = !ENCRYPTED.has(format);
  $("export-plain-warning").hidden = ENCRYPTED.has(format);
  $("export-plain-text").textContent = format === "google" ? t("export.google_warning") : t("export.plain_warning");
  $("export-submit").textContent = format === "google" ? t("export.show_codes") : t("export.save");
}

async function exportNow(event) {
  event.preventDefault();
  const form = $("export-form");
  const error = $("export-error");
  const format = chosenFormat();
  showBanner(error, "");
  if (format === "google") return showTransfer();
  let password = null;
  if (ENCRYPTED.has(format)) {
    const checked = newPassword(form);
    wipe(form);
    if (checked.error) {
      form.elements.password.focus();
      return showBanner(error, checked.error);
    }
    password = checked.password;
  }
  const submit = $("export-submit");
  submit.disabled = true;
  try {
    const done = await api.exportFile(format, password, t("export.save_title"));
    if (done.written) {
      toast(t("export.done", { count: done.accounts, file: done.file }), null, 6000);
      if (done.left_out.length) showBanner(error, t("export.left_out", { names: done.left_out.join(", ") }));
    }
  } catch (failure) {
    showBanner(error, errorText(failure));
  } finally {
    submit.disabled = false;
  }
}

async function showTransfer() {
  try {
    const { codes, left_out: leftOut } = await api.transferCodes();
    if (codes.length === 0) return showBanner($("export-error"), t("export.google_none"));
    if (leftOut.length) showBanner($("export-error"), t("export.left_out", { names: leftOut.join(", ") }));
    transfer = { codes, index: 0, cancelTimer: hideSoon(hideTransfer) };
    $("export-form").hidden = true;
    $("transfer-show").hidden = false;
    showPart(0);
    $("transfer-next").focus();
  } catch (error) {
    showBanner($("export-error"), errorText(error));
  }
}

function showPart(index) {
  if (!transfer) return;
  const total = transfer.codes.length;
  transfer.index = Math.max(0, Math.min(total - 1, index));
  const canvas = $("transfer-canvas");
  drawQr(canvas, transfer.codes[transfer.index]);
  const count = t("export.part", { index: transfer.index + 1, total });
  $("transfer-count").textContent = count;
  canvas.setAttribute("aria-label", t("export.part_label", { index: transfer.index + 1, total }));
  $("transfer-prev").disabled = transfer.index === 0;
  $("transfer-next").disabled = transfer.index === total - 1;
}

function hideTransfer() {
  if (!transfer) return;
  transfer.cancelTimer();
  for (const code of transfer.codes) code.modules = "";
  transfer = null;
  clearQr($("transfer-canvas"));
  $("transfer-show").hidden = true;
  $("export-form").hidden = false;
}
