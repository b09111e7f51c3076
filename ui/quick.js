// The quick-search popup (opened by the global shortcut): type, then Enter copies
// the selected account's code, Shift+Enter types it into the window that had the
// focus, Escape (or leaving the popup) closes it. Names and codes only.

import { chooseLanguage, errorText, setLanguage, t } from "./i18n.js";
import { displayName, groupDigits } from "./timing.js";

const invoke = (command, args) => window.__TAURI__.core.invoke(command, args);
const $ = (id) => document.getElementById(id);
/** Results shown: the popup is for the few accounts a few letters leave. */
const MAX_SHOWN = 8;
let results = [];
let resultsFor = null; // the query `results` answer
let selected = 0;
let busy = false;

function render() {
  const list = $("quick-results");
  list.replaceChildren();
  results.forEach((view, index) => {
    const item = document.createElement("li");
    item.id = `quick-${index}`;
    item.role = "option";
    item.setAttribute("aria-selected", String(index === selected));
    const name = document.createElement("span");
    name.className = "quick-name";
    name.textContent = displayName(view.issuer, view.account, view.account);
    const code = document.createElement("span");
    code.className = "quick-code";
    code.textContent = groupDigits(view.code);
    item.append(name, code);
    item.addEventListener("click", () => {
      selected = index;
      act(false);
    });
    list.append(item);
  });
  if (results.length === 0 && $("quick-input").value) {
    const none = document.createElement("li");
    none.className = "quiet";
    none.textContent = t("quick.none");
    list.append(none);
  }
  $("quick-input").setAttribute("aria-activedescendant", results.length ? `quick-${selected}` : "");
}

function search() {
  const query = $("quick-input").value.trim();
  const run = invoke("list_codes", { query })
    .then((list) => {
      if (query !== $("quick-input").value.trim()) return; // a later keystroke won
      results = list.codes.slice(0, MAX_SHOWN);
      resultsFor = query;
      selected = 0;
      render();
    })
    .catch((error) => {
      $("quick-note").textContent = errorText(error);
    });
  return run;
}

/** Whether `results` answer what the field says now: Enter typed fast acts on
 * the results of the full query, never on those of a few letters before. */
async function currentResults() {
  const now = () => $("quick-input").value.trim();
  if (resultsFor === now()) return true;
  await search();
  return resultsFor === now();
}

async function act(type) {
  if (busy) return;
  busy = true;
  try {
    const view = (await currentResults()) ? results[selected] : null;
    if (!view) return;
    if (!type) {
      await invoke("copy_code", { id: view.id });
      await invoke("quick_close");
      return;
    }
    const outcome = await invoke("quick_type", { id: view.id });
    if (!outcome.typed) {
      $("quick-note").textContent = t("quick.not_typed");
      setTimeout(() => invoke("quick_close"), 3000);
    }
  } catch (error) {
    $("quick-note").textContent = errorText(error);
  } finally {
    busy = false;
  }
}

function onKey(event) {
  if (event.key === "Escape") {
    event.preventDefault();
    invoke("quick_close");
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (results.length === 0) return;
    const step = event.key === "ArrowDown" ? 1 : -1;
    selected = (selected + step + results.length) % results.length;
    render();
  } else if (event.key === "Enter") {
    event.preventDefault();
    act(event.shiftKey);
  }
}

async function start() {
  const info = await invoke("app_info").catch(() => ({ locale: null }));
  setLanguage(chooseLanguage(localStorage.getItem("jeton.language"), info.locale, navigator.language));
  $("quick-input").addEventListener("input", search);
  document.addEventListener("keydown", onKey);
  // Leaving the popup closes it, as a menu would.
  window.addEventListener("blur", () => {
    if (!busy) invoke("quick_close");
  });
  $("quick-input").focus();
  search();
}

start();
