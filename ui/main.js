// Start-up and navigation: picks the language, registers the views (views.js
// shows one at a time), and handles what works everywhere: "/" to search, Escape
// to go back, the error banner (with "Restore from a backup…" when the vault
// cannot be opened), and the banner of a failed automatic backup.

import { addView, initAdd } from "./add.js";
import { api } from "./api.js";
import { codesView, count, focusList, initCodes, refresh, retranslate, setQuery } from "./codes.js";
import { enrolView, initEnrol, retranslateEnrol } from "./enrol.js";
import { chooseLanguage, errorText, language, setLanguage, t } from "./i18n.js";
import { placeIcons } from "./icons.js";
import { askPassword } from "./password.js";
import { initReveal } from "./reveal.js";
import { setPhone } from "./platform.js";
import { initSettings, retranslateSettings, settingsView, startSetup } from "./settings.js";
import { toast } from "./toast.js";
import { initTrash, trashView } from "./trash.js";
import { currentView, onViewChange, register, show } from "./views.js";

const LANGUAGE_KEY = "jeton.language";
/** Errors meaning the vault cannot be opened here any more: a backup can restore it. */
const UNREADABLE = new Set(["keychain.key_missing", "keychain.key_corrupt", "vault.corrupt"]);
let lastError = null;
let backup = null; // the last backup status
let reminderDismissed = false;

function $(id) {
  return document.getElementById(id);
}

function goHome(focusId = null) {
  show("codes", { focusId });
}

function onListChange(size) {
  hideError();
  const empty = size === 0;
  $("empty").hidden = !empty;
  $("code-list").hidden = empty;
  $("search-bar").hidden = empty;
  showReminder();
}

function showError(error) {
  lastError = error;
  $("error-text").textContent = errorText(error);
  $("error-recover").hidden = !UNREADABLE.has(error?.code);
  $("error-banner").hidden = false;
}

function hideError() {
  lastError = null;
  $("error-banner").hidden = true;
}

/** Shows the backup banner and the reminder as `status` says. */
function onBackupStatus(status) {
  backup = status;
  const failed = status?.last_error;
  $("backup-banner").hidden = !failed;
  if (failed) $("backup-banner-text").textContent = t("backups.failed", { reason: errorText(failed) });
  showReminder();
}

function checkBackup() {
  api
    .backupStatus()
    .then(onBackupStatus)
    .catch(() => {});
}

/** A calm reminder, on the codes view only, while there are accounts and no backups. */
function showReminder() {
  $("backup-reminder").hidden = reminderDismissed || !backup || backup.configured || count() === 0;
}

async function restoreFromBackup() {
  const title = t("recover.choose_title");
  const attempt = async (password) => {
    const step = await api.recoverBackup(password, title);
    return step;
  };
  try {
    let step = await attempt(null);
    if (step.status === "password_needed") {
      step = await askPassword(t("recover.password_title"), attempt);
    }
    if (!step || step.status === "cancelled") {
      api.recoverCancel().catch(() => {});
      return;
    }
    hideError();
    await refresh().catch(() => {});
    const text = step.moved_aside
      ? t("recover.done_aside", { count: step.restored, path: step.moved_aside })
      : t("recover.done", { count: step.restored });
    toast(text, null, 15000);
    checkBackup();
  } catch (error) {
    toast(errorText(error), null, 8000);
  }
}

function applyLanguage(lang) {
  setLanguage(lang);
  $("lang-button").lang = lang === "fr" ? "en" : "fr";
  if (lastError) $("error-text").textContent = errorText(lastError);
  retranslate();
  retranslateEnrol();
  retranslateSettings();
  if (backup) onBackupStatus(backup);
}

function onGlobalKey(event) {
  const typing = event.target.closest("input, textarea, select");
  const view = currentView();
  if (event.key === "/" && !typing && view?.name === "codes" && count() > 0) {
    event.preventDefault();
    $("search").focus();
    $("search").select();
  } else if (event.key === "Escape" && document.querySelector("dialog[open]")) {
    return;
  } else if (event.key === "Escape" && view?.back) {
    event.preventDefault();
    goHome();
  } else if (event.key === "Escape" && event.target === $("search")) {
    event.preventDefault();
    $("search").value = "";
    setQuery("");
    focusList();
  } else if (event.key === "ArrowDown" && event.target === $("search")) {
    event.preventDefault();
    focusList();
  }
}

async function start() {
  placeIcons();
  const info = await api.appInfo().catch(() => ({ locale: null, device_name: "Jeton", mobile: false }));
  setPhone(info.mobile);
  initCodes({ onChange: onListChange, showError });
  initAdd({
    added: (outcome) => {
      checkBackup();
      if (outcome.ids.length === 1) {
        show("enrol", { id: outcome.ids[0], warnings: outcome.warnings });
        refresh().catch(() => {});
      } else {
        goHome(outcome.ids[0]);
        toast(t("add.added_many", { count: outcome.ids.length }));
      }
    },
  });
  initEnrol({ deviceName: info.device_name, done: (id) => goHome(id) });
  initTrash({ restored: () => refresh().catch(() => {}) });
  initSettings({ status: onBackupStatus });
  initReveal();
  for (const view of [codesView, addView, enrolView, trashView, settingsView]) register(view);
  onViewChange((name) => {
    const onCodes = name === "codes";
    $("add-button").hidden = !onCodes;
    $("trash-button").hidden = !onCodes;
    $("settings-button").hidden = !onCodes;
  });
  applyLanguage(chooseLanguage(localStorage.getItem(LANGUAGE_KEY), info.locale, navigator.language));

  $("add-button").addEventListener("click", () => show("add"));
  $("empty-add").addEventListener("click", () => show("add"));
  $("trash-button").addEventListener("click", () => show("trash"));
  $("settings-button").addEventListener("click", () => show("settings"));
  $("backup-banner-open").addEventListener("click", () => show("settings"));
  $("reminder-setup").addEventListener("click", () => {
    show("settings");
    startSetup();
  });
  $("reminder-dismiss").addEventListener("click", () => {
    reminderDismissed = true;
    showReminder();
    focusList();
  });
  for (const back of document.querySelectorAll(".back")) back.addEventListener("click", () => goHome());
  $("search").addEventListener("input", (event) => setQuery(event.target.value));
  $("lang-button").addEventListener("click", () => {
    const next = language() === "fr" ? "en" : "fr";
    localStorage.setItem(LANGUAGE_KEY, next);
    applyLanguage(next);
    // The tray follows an explicit choice; otherwise it follows the OS, as the page does.
    api.setLanguage(next).catch(() => {});
  });
  $("error-retry").addEventListener("click", () => refresh().catch(() => {}));
  $("error-recover").addEventListener("click", restoreFromBackup);
  $("confirm-ok").addEventListener("click", () => $("confirm-dialog").close("confirm"));
  $("confirm-cancel").addEventListener("click", () => $("confirm-dialog").close("cancel"));
  document.addEventListener("keydown", onGlobalKey);
  document.addEventListener("jeton:changed", checkBackup);

  await show("codes");
  checkBackup();
  // A change made elsewhere (the CLI, a sync tool) shows within a second.
  api.followChanges(() => refresh().catch(() => {})).catch(() => {});
  api
    .clockStatus()
    .then((status) => ($("clock-banner").hidden = status.synchronised !== false))
    .catch(() => {});
}

start();
