// Start-up and navigation: picks the language, shows one view at a time, and
// handles the keys that work everywhere ("/" to search, Escape to go back).

import { api } from "./api.js";
import { clearForms, initAdd, openAdd } from "./add.js";
import { count, focusList, initCodes, refresh, retranslate, setQuery } from "./codes.js";
import { initEnrol, retranslateEnrol, showEnrol } from "./enrol.js";
import { chooseLanguage, errorText, language, setLanguage, t } from "./i18n.js";
import { placeIcons } from "./icons.js";
import { toast } from "./toast.js";
import { initTrash, openTrash } from "./trash.js";

const LANGUAGE_KEY = "jeton.language";
const views = ["codes", "add", "enrol", "trash"];
let currentView = "codes";
let lastError = null;

function $(id) {
  return document.getElementById(id);
}

/** Shows one view and hides the others. */
function showView(name) {
  $("main").scrollTop = 0;
  if (currentView === "add" && name !== "add") clearForms();
  currentView = name;
  for (const view of views) $(`view-${view}`).hidden = view !== name;
  const onCodes = name === "codes";
  $("add-button").hidden = !onCodes;
  $("trash-button").hidden = !onCodes;
  document.body.dataset.view = name;
}

function goHome(focusId = null) {
  showView("codes");
  refresh()
    .then(() => {
      const row = focusId && document.querySelector(`.row[data-id="${focusId}"] .row-main`);
      if (row) {
        row.closest(".row").scrollIntoView({ block: "nearest" });
        row.focus();
      } else focusList();
    })
    .catch(() => {});
}

function onListChange(size) {
  hideError();
  const empty = size === 0;
  $("empty").hidden = !empty;
  $("code-list").hidden = empty;
  $("search-bar").hidden = empty;
}

function showError(error) {
  lastError = error;
  $("error-text").textContent = errorText(error);
  $("error-banner").hidden = false;
}

function hideError() {
  lastError = null;
  $("error-banner").hidden = true;
}

function applyLanguage(lang) {
  setLanguage(lang);
  $("lang-button").lang = lang === "fr" ? "en" : "fr";
  if (lastError) $("error-text").textContent = errorText(lastError);
  retranslate();
  retranslateEnrol();
}

function onGlobalKey(event) {
  const typing = event.target.closest("input, textarea, select");
  if (event.key === "/" && !typing && currentView === "codes" && count() > 0) {
    event.preventDefault();
    $("search").focus();
    $("search").select();
  } else if (event.key === "Escape" && $("confirm-dialog").open) {
    return;
  } else if (event.key === "Escape" && (currentView === "add" || currentView === "trash")) {
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
  const info = await api.appInfo().catch(() => ({ locale: null, device_name: "Jeton" }));
  applyLanguage(chooseLanguage(localStorage.getItem(LANGUAGE_KEY), info.locale, navigator.language));

  initCodes({ onChange: onListChange, showError });
  initAdd({
    added: (outcome) => {
      if (outcome.ids.length === 1) {
        showView("enrol");
        showEnrol({ id: outcome.ids[0], warnings: outcome.warnings });
        refresh().catch(() => {});
      } else {
        goHome(outcome.ids[0]);
        toast(t("add.added_many", { count: outcome.ids.length }));
      }
    },
  });
  initEnrol({ deviceName: info.device_name, done: (id) => goHome(id) });
  initTrash({ restored: () => refresh().catch(() => {}) });

  $("add-button").addEventListener("click", () => {
    showView("add");
    openAdd();
  });
  $("empty-add").addEventListener("click", () => {
    showView("add");
    openAdd();
  });
  $("trash-button").addEventListener("click", () => {
    showView("trash");
    openTrash();
  });
  for (const back of document.querySelectorAll(".back")) back.addEventListener("click", () => goHome());
  $("search").addEventListener("input", (event) => setQuery(event.target.value));
  $("lang-button").addEventListener("click", () => {
    const next = language() === "fr" ? "en" : "fr";
    localStorage.setItem(LANGUAGE_KEY, next);
    applyLanguage(next);
  });
  $("error-retry").addEventListener("click", () => refresh().catch(() => {}));
  $("confirm-ok").addEventListener("click", () => $("confirm-dialog").close("confirm"));
  $("confirm-cancel").addEventListener("click", () => $("confirm-dialog").close("cancel"));
  document.addEventListener("keydown", onGlobalKey);

  showView("codes");
  await refresh().catch(() => {});
  focusList();
  api
    .clockStatus()
    .then((status) => ($("clock-banner").hidden = status.synchronised !== false))
    .catch(() => {});
}

start();
