// The codes list: one row per account, kept in step with the vault and the clock.
//
// Rows are keyed by account id and updated in place, so a refresh at a period
// boundary only rewrites the digits that changed. Rust sends each code with the
// next one and the second it computed them at; at a boundary the row switches to
// the already-known next code at once and a fresh list is requested.

import { api } from "./api.js";
import { errorText, t } from "./i18n.js";
import { icon } from "./icons.js";
import { createRing, paintRing, syncRing } from "./ring.js";
import { revealAccount } from "./reveal.js";
import { onTick } from "./ticker.js";
import { codeFor, displayName, groupDigits, isEnding, windowAt } from "./timing.js";
import { toast } from "./toast.js";

const rows = new Map(); // id -> { view, window, el, refs }
let listEl;
let onListChange = () => {};
let onError = () => {};
let query = "";
let refreshing = null;
let firstCodeMarked = false;
// Rows near the viewport; only they run their ring animation and repaint each
// second, so a vault of a thousand accounts costs the same as a dozen.
let observer;

const isTimed = (view) => view.kind !== "hotp";
const nameOf = (view) => displayName(view.issuer, view.account, t("name.unnamed"));

/** Wires the list; `onChange(count)` runs after each refresh, `showError` on failure. */
export function initCodes({ onChange, showError }) {
  listEl = document.getElementById("code-list");
  onListChange = onChange;
  onError = showError;
  listEl.addEventListener("keydown", onListKey);
  listEl.addEventListener("focusin", (event) => {
    const row = event.target.closest(".row");
    if (row) setCurrent(row);
  });
  // Any tap but on a "more" button closes the open actions (after the action ran).
  document.addEventListener(
    "click",
    (event) => event.target.closest?.(".row-more") || setTimeout(closeActions),
    true,
  );
  observer = new IntersectionObserver(onVisibility, {
    root: document.getElementById("main"),
    rootMargin: "300px 0px",
  });
  onTick(paint);
}

function onVisibility(entries) {
  const nowMs = Date.now();
  for (const entry of entries) {
    const row = rows.get(entry.target.dataset.id);
    if (!row) continue;
    row.onscreen = entry.isIntersecting;
    entry.target.classList.toggle("onscreen", row.onscreen);
    if (row.onscreen) {
      // The animation (re)starts now: set its phase from the clock.
      if (row.refs.ring) syncRing(row.refs.ring, row.view.period, nowMs);
      paintRow(row, nowMs);
    }
  }
}

/** The codes view for the registry: entered with {focusId} to focus that row. */
export const codesView = {
  name: "codes",
  enter: ({ focusId = null } = {}) =>
    refresh()
      .then(() => {
        const row = focusId && rows.get(focusId);
        if (row) {
          setCurrent(row.el);
          row.el.scrollIntoView({ block: "nearest" });
          row.refs.main.focus();
        } else focusList();
      })
      .catch(() => {}),
};

/** Fetches the codes from Rust and updates the rows. Concurrent calls share one request. */
export function refresh() {
  refreshing ??= api
    .listCodes("")
    .then((list) => {
      update(list);
      return list;
    })
    .catch((error) => {
      onError(error);
      throw error;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Number of accounts in the list. */
export function count() {
  return rows.size;
}

/** Filters the rows by issuer or account name, as the user types. */
export function setQuery(text) {
  query = text.trim().toLowerCase();
  applyFilter();
}

/** Moves keyboard focus to the first visible row (or the current one). */
export function focusList() {
  const current = listEl.querySelector('.row:not([hidden]) .row-main[tabindex="0"]');
  (current ?? visibleRows()[0]?.querySelector(".row-main"))?.focus();
}

/** Re-renders texts that depend on the language. */
export function retranslate() {
  for (const row of rows.values()) labelRow(row);
}

function update(list) {
  const nowMs = Date.now();
  const seen = new Set();
  let previous = null;
  for (const view of list.codes) {
    seen.add(view.id);
    let row = rows.get(view.id);
    if (!row) {
      row = createRow(view);
      rows.set(view.id, row);
      observer.observe(row.el);
    }
    row.view = view;
    row.window = isTimed(view) ? windowAt(list.now * 1000, view.period) : 0;
    fillRow(row, nowMs);
    // Keep DOM order equal to the vault's order, moving only rows out of place.
    const expected = previous ? previous.el.nextSibling : listEl.firstChild;
    if (expected !== row.el) listEl.insertBefore(row.el, expected);
    previous = row;
  }
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      observer.unobserve(row.el);
      row.el.remove();
      rows.delete(id);
    }
  }
  applyFilter();
  ensureCurrent();
  onListChange(rows.size);
  if (!firstCodeMarked && rows.size > 0) {
    firstCodeMarked = true;
    // Read by scripts/app-perf: launch-to-first-code time.
    requestAnimationFrame(() => performance.mark("jeton:first-code"));
  }
}

function createRow(view) {
  const el = document.createElement("li");
  el.className = "row";
  el.dataset.id = view.id;

  const main = document.createElement("button");
  main.type = "button";
  main.className = "row-main";
  main.tabIndex = -1;
  main.setAttribute("aria-describedby", "codes-hint");
  const names = document.createElement("span");
  names.className = "names";
  const issuer = document.createElement("span");
  issuer.className = "issuer";
  const account = document.createElement("span");
  account.className = "account";
  names.append(issuer, account);
  const code = document.createElement("span");
  code.className = "code";
  const next = document.createElement("span");
  next.className = "next";
  const nextLabel = document.createElement("span");
  nextLabel.className = "next-label";
  const nextCode = document.createElement("span");
  nextCode.className = "next-code";
  next.append(nextLabel, " ", nextCode);
  const copied = document.createElement("span");
  copied.className = "copied-chip";
  copied.append(icon("check"));
  const copiedText = document.createElement("span");
  copied.append(copiedText);
  const codeLine = document.createElement("span");
  codeLine.className = "code-line";
  codeLine.append(code, next, copied);
  main.append(names, codeLine);
  main.addEventListener("click", () => copy(row));

  const side = document.createElement("div");
  side.className = "row-side";
  let ring = null;
  let hotpButton = null;
  if (isTimed(view)) {
    ring = createRing(view.period);
    side.append(ring);
  } else {
    hotpButton = smallButton("next", () => nextHotp(row));
    hotpButton.classList.add("hotp-next");
    side.append(hotpButton);
  }
  const actions = document.createElement("div");
  actions.className = "row-actions";
  actions.id = `actions-${view.id}`;
  const revealButton = smallButton("qr", () => reveal(row));
  const renameButton = smallButton("pencil", () => startRename(row));
  const deleteButton = smallButton("trash", () => remove(row));
  revealButton.tabIndex = -1;
  revealButton.classList.add("reveal");
  renameButton.tabIndex = -1;
  deleteButton.tabIndex = -1;
  actions.append(revealButton, renameButton, deleteButton);
  // Where there is no hover (phones, touch screens), this opens the actions.
  const moreButton = smallButton("more", () => toggleActions(row));
  moreButton.classList.add("row-more");
  moreButton.tabIndex = -1;
  moreButton.setAttribute("aria-expanded", "false");
  moreButton.setAttribute("aria-controls", actions.id);
  side.append(moreButton);
  el.append(main, side, actions);

  const row = {
    view,
    window: 0,
    el,
    editing: false,
    onscreen: false,
    refs: { main, names, issuer, account, code, next, nextLabel, nextCode, copiedText, ring, hotpButton, revealButton, renameButton, deleteButton, moreButton },
  };
  return row;
}

/**
 * Shows or hides the row's actions (the touch way to them), one row at a time;
 * opening moves the focus to the first action, so a screen reader is there too.
 */
function toggleActions(row) {
  const open = !row.el.classList.contains("actions-open");
  closeActions();
  row.el.classList.toggle("actions-open", open);
  row.refs.moreButton.setAttribute("aria-expanded", String(open));
  if (open) row.refs.revealButton.focus();
}

function closeActions() {
  for (const openRow of listEl.querySelectorAll(".row.actions-open")) {
    openRow.classList.remove("actions-open");
    openRow.querySelector(".row-more").setAttribute("aria-expanded", "false");
  }
}

function smallButton(iconName, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon-button small";
  button.append(icon(iconName));
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return button;
}

function labelRow(row) {
  const { view, refs } = row;
  const name = nameOf(view);
  refs.issuer.textContent = view.issuer || view.account || t("name.unnamed");
  refs.account.textContent = view.issuer ? view.account : "";
  refs.nextLabel.textContent = t("codes.next");
  refs.copiedText.textContent = t("codes.copied");
  refs.revealButton.setAttribute("aria-label", t("codes.reveal_label", { name }));
  refs.revealButton.title = `${t("codes.reveal")} (K)`;
  refs.renameButton.setAttribute("aria-label", t("codes.rename_label", { name }));
  refs.renameButton.title = `${t("codes.rename")} (F2)`;
  refs.deleteButton.setAttribute("aria-label", t("codes.delete_label", { name }));
  refs.deleteButton.title = `${t("codes.delete")} (${t("keys.delete")})`;
  refs.moreButton.setAttribute("aria-label", t("codes.actions_label", { name }));
  if (refs.hotpButton) {
    refs.hotpButton.setAttribute("aria-label", t("codes.hotp_next_label", { name }));
    refs.hotpButton.title = t("codes.hotp_next");
  }
}

function fillRow(row, nowMs) {
  if (!row.editing) labelRow(row);
  if (row.refs.ring && row.onscreen) syncRing(row.refs.ring, row.view.period, nowMs);
  paintRow(row, nowMs);
}

/** Updates one row for the moment `nowMs`; returns false if its codes are stale. */
function paintRow(row, nowMs) {
  const { view, refs } = row;
  if (!isTimed(view)) {
    setText(refs.code, groupDigits(view.code));
    return true;
  }
  const nowWindow = windowAt(nowMs, view.period);
  const code = codeFor(view, row.window, nowWindow);
  setText(refs.code, code === null ? "–".repeat(view.digits) : groupDigits(code));
  const ending = isEnding(nowMs, view.period);
  const next = nowWindow === row.window ? view.next_code : null;
  row.el.classList.toggle("ending", ending);
  row.el.classList.toggle("show-next", ending && next !== null);
  if (next !== null) setText(refs.nextCode, groupDigits(next));
  paintRing(refs.ring, view.period, nowMs);
  return nowWindow === row.window;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function paint(nowMs) {
  let stale = false;
  for (const row of rows.values()) {
    const current = row.onscreen
      ? paintRow(row, nowMs)
      : !isTimed(row.view) || windowAt(nowMs, row.view.period) === row.window;
    if (!current) stale = true;
  }
  if (stale && !refreshing) refresh().catch(() => {});
}

function visibleRows() {
  return [...listEl.querySelectorAll(".row:not([hidden])")];
}

function applyFilter() {
  let visible = 0;
  for (const row of rows.values()) {
    const { issuer, account } = row.view;
    const match =
      !query || issuer.toLowerCase().includes(query) || account.toLowerCase().includes(query);
    if (row.el.hidden === match) row.el.hidden = !match;
    if (match) visible += 1;
  }
  document.getElementById("no-match").hidden = visible > 0 || rows.size === 0;
}

function setCurrent(rowEl) {
  for (const main of listEl.querySelectorAll('.row-main[tabindex="0"]')) main.tabIndex = -1;
  rowEl.querySelector(".row-main").tabIndex = 0;
}

function ensureCurrent() {
  const current = listEl.querySelector('.row-main[tabindex="0"]');
  if (!current || current.closest(".row").hidden) {
    const first = visibleRows()[0];
    if (first) setCurrent(first);
  }
}

function rowOf(el) {
  const rowEl = el.closest(".row");
  return rowEl ? rows.get(rowEl.dataset.id) : null;
}

function onListKey(event) {
  if (event.target.closest(".rename-form")) return;
  const row = rowOf(event.target);
  if (!row) return;
  if (event.key === "Escape" && row.el.classList.contains("actions-open")) {
    event.preventDefault();
    event.stopPropagation();
    closeActions();
    row.refs.moreButton.focus();
    return;
  }
  const visible = visibleRows();
  const index = visible.indexOf(row.el);
  const move = (to) => {
    const target = visible[Math.max(0, Math.min(visible.length - 1, to))];
    if (target) {
      setCurrent(target);
      target.querySelector(".row-main").focus();
      target.scrollIntoView({ block: "nearest" });
    }
  };
  switch (event.key) {
    case "ArrowDown":
      move(index + 1);
      break;
    case "ArrowUp":
      if (index === 0) document.getElementById("search").focus();
      else move(index - 1);
      break;
    case "Home":
      move(0);
      break;
    case "End":
      move(visible.length - 1);
      break;
    case "Delete":
      remove(row);
      break;
    case "F2":
      startRename(row);
      break;
    case "k":
    case "K":
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      reveal(row);
      break;
    default:
      return;
  }
  event.preventDefault();
}

function reveal(row) {
  revealAccount(row.view, nameOf(row.view));
}

async function copy(row) {
  try {
    await api.copyCode(row.view.id);
    row.el.classList.add("copied");
    clearTimeout(row.copiedTimer);
    row.copiedTimer = setTimeout(() => row.el.classList.remove("copied"), 1500);
    toast(t("codes.copied_for", { name: nameOf(row.view) }));
  } catch (error) {
    toast(errorText(error));
  }
}

async function nextHotp(row) {
  try {
    const view = await api.hotpNext(row.view.id);
    row.view = view;
    fillRow(row, Date.now());
  } catch (error) {
    toast(errorText(error));
  }
}

async function remove(row) {
  const { id } = row.view;
  const name = nameOf(row.view);
  const visible = visibleRows();
  const neighbour = visible[visible.indexOf(row.el) + 1] ?? visible[visible.indexOf(row.el) - 1];
  try {
    await api.remove(id);
    await refresh();
    if (neighbour?.isConnected) {
      setCurrent(neighbour);
      neighbour.querySelector(".row-main").focus();
    }
    toast(t("codes.deleted", { name }), {
      label: t("codes.undo"),
      run: () => undoDelete(id, name),
    });
  } catch (error) {
    toast(errorText(error));
  }
}

async function undoDelete(id, name) {
  try {
    await api.restore(id);
    await refresh();
    const rowEl = rows.get(id)?.el;
    if (rowEl) {
      setCurrent(rowEl);
      rowEl.querySelector(".row-main").focus();
    }
    toast(t("codes.restored", { name }));
  } catch (error) {
    toast(errorText(error));
  }
}

function startRename(row) {
  if (row.editing) return;
  row.editing = true;
  const { view, refs } = row;
  const form = document.createElement("form");
  form.className = "rename-form";
  const field = (labelKey, value, name) => {
    const label = document.createElement("label");
    const caption = document.createElement("span");
    caption.textContent = t(labelKey);
    const input = document.createElement("input");
    input.name = name;
    input.value = value;
    input.autocomplete = "off";
    input.spellcheck = false;
    label.append(caption, input);
    return label;
  };
  const buttons = document.createElement("div");
  buttons.className = "rename-buttons";
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "primary";
  save.textContent = t("rename.save");
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = t("rename.cancel");
  buttons.append(cancel, save);
  form.append(field("rename.issuer", view.issuer, "issuer"), field("rename.account", view.account, "account"), buttons);
  row.el.classList.add("editing");
  row.el.prepend(form);
  form.elements.issuer.focus();
  form.elements.issuer.select();

  const finish = () => {
    form.remove();
    row.editing = false;
    row.el.classList.remove("editing");
    labelRow(row);
    setCurrent(row.el);
    refs.main.focus();
  };
  cancel.addEventListener("click", finish);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      finish();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api.rename(view.id, form.elements.issuer.value, form.elements.account.value);
      row.editing = false;
      await refresh();
      finish();
      toast(t("rename.saved"));
    } catch (error) {
      toast(errorText(error));
    }
  });
}
