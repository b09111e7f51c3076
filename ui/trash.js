// The Trash view: deleted accounts wait here; restore brings one back, and
// "Delete forever" asks first, since only the site can issue the key again.

import { api } from "./api.js";
import { errorText, locale, t } from "./i18n.js";
import { icon } from "./icons.js";
import { displayName } from "./timing.js";
import { toast } from "./toast.js";

let onRestored = () => {};

/** Wires the view; `restored()` runs after an account comes back. */
export function initTrash({ restored }) {
  onRestored = restored;
}

/** The Trash view for the registry. */
export const trashView = { name: "trash", back: true, enter: () => openTrash() };

/** Loads and shows the accounts in the trash. */
export async function openTrash() {
  const list = document.getElementById("trash-list");
  let items = [];
  try {
    items = await api.listTrash();
  } catch (error) {
    toast(errorText(error));
  }
  document.getElementById("trash-empty").hidden = items.length > 0;
  list.replaceChildren(...items.map(trashRow));
  (list.querySelector("button") ?? document.getElementById("trash-back")).focus();
}

function trashRow(item) {
  const name = displayName(item.issuer, item.account, t("name.unnamed"));
  const li = document.createElement("li");
  li.className = "trash-row";
  li.dataset.id = item.id;
  const text = document.createElement("div");
  text.className = "names";
  const issuer = document.createElement("span");
  issuer.className = "issuer";
  issuer.textContent = item.issuer || item.account || t("name.unnamed");
  const account = document.createElement("span");
  account.className = "account";
  account.textContent = item.issuer ? item.account : "";
  const when = document.createElement("span");
  when.className = "deleted-on";
  if (item.deleted_at) {
    const date = new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(item.deleted_at * 1000),
    );
    when.textContent = t("trash.deleted_on", { date });
  }
  text.append(issuer, account, when);
  const actions = document.createElement("div");
  actions.className = "trash-actions";
  const restore = document.createElement("button");
  restore.type = "button";
  restore.className = "restore";
  restore.append(icon("restore"), t("trash.restore"));
  restore.setAttribute("aria-label", t("trash.restore_label", { name }));
  restore.addEventListener("click", () => restoreItem(item, name));
  const purge = document.createElement("button");
  purge.type = "button";
  purge.className = "danger purge";
  purge.textContent = t("trash.purge");
  purge.setAttribute("aria-label", t("trash.purge_label", { name }));
  purge.addEventListener("click", () => purgeItem(item, name));
  actions.append(restore, purge);
  li.append(text, actions);
  return li;
}

async function restoreItem(item, name) {
  try {
    await api.restore(item.id);
    toast(t("codes.restored", { name }));
    onRestored(item.id);
    await openTrash();
  } catch (error) {
    toast(errorText(error));
  }
}

async function purgeItem(item, name) {
  if (!(await confirmPurge(name))) return;
  try {
    await api.purge(item.id);
    toast(t("trash.purged", { name }));
    await openTrash();
  } catch (error) {
    toast(errorText(error));
  }
}

/** Asks in a modal dialog; resolves to true when the user confirms. */
function confirmPurge(name) {
  const dialog = document.getElementById("confirm-dialog");
  document.getElementById("confirm-text").textContent = t("trash.confirm_text", { name });
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById("confirm-cancel").focus();
  });
}
