// "Show QR code" and "Show key" for one account: the one place the page receives
// a secret (its own command, granted by capabilities/reveal.json). The user
// confirms first; what is shown is wiped after 60 s, when the window loses focus,
// or when the dialog closes.

import { api } from "./api.js";
import { errorText, t } from "./i18n.js";
import { clearQr, drawQr } from "./qr.js";
import { hideSoon } from "./secret-timer.js";
import { toast } from "./toast.js";

const $ = (id) => document.getElementById(id);
let cancelTimer = () => {};
let returnFocus = null;

/** Wires the dialog once. */
export function initReveal() {
  const dialog = $("reveal-dialog");
  $("reveal-cancel").addEventListener("click", () => dialog.close());
  $("reveal-hide").addEventListener("click", () => dialog.close());
  $("reveal-show-qr").addEventListener("click", () => show("qr"));
  $("reveal-show-key").addEventListener("click", () => show("key"));
  dialog.addEventListener("close", wipe);
}

/** Asks to confirm, then shows the QR code or key of account `view` ({id, issuer, account}). */
export function revealAccount(view, name) {
  const dialog = $("reveal-dialog");
  returnFocus = document.activeElement;
  dialog.dataset.id = view.id;
  $("reveal-title").textContent = t("reveal.title", { name });
  $("reveal-ask").hidden = false;
  $("reveal-shown").hidden = true;
  dialog.showModal();
  $("reveal-cancel").focus();
}

async function show(what) {
  const dialog = $("reveal-dialog");
  try {
    const revealed = await api.revealAccount(dialog.dataset.id);
    if (!dialog.open) return;
    const canvas = $("reveal-canvas");
    const key = $("reveal-key");
    canvas.hidden = what !== "qr";
    key.hidden = what !== "key";
    if (what === "qr") drawQr(canvas, revealed.qr);
    else key.textContent = revealed.key;
    revealed.key = "";
    revealed.qr = null;
    $("reveal-ask").hidden = true;
    $("reveal-shown").hidden = false;
    $("reveal-hide").focus();
    cancelTimer = hideSoon(() => dialog.close());
  } catch (error) {
    dialog.close();
    toast(errorText(error));
  }
}

function wipe() {
  cancelTimer();
  cancelTimer = () => {};
  clearQr($("reveal-canvas"));
  $("reveal-key").textContent = "";
  $("reveal-shown").hidden = true;
  delete $("reveal-dialog").dataset.id;
  if (returnFocus?.isConnected) returnFocus.focus();
  returnFocus = null;
}
