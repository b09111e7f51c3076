// The Add view: paste an otpauth:// link, read a QR code from the screen, the
// camera (camera.js), a pasted screenshot or an image file, or type the details
// shown under a setup page's "Unable to scan?". Inputs are emptied as soon as Rust
// has the secret, so it does not linger in the page; clipboard images go straight
// from the clipboard to Rust.

import { api } from "./api.js";
import { initCamera, stopCamera } from "./camera.js";
import { errorText, t } from "./i18n.js";
import { toast } from "./toast.js";

let onAdded = () => {};

/**
 * Wires the forms; `added(outcome)` runs after a success with Rust's outcome:
 * {status: "added", ids, warnings}.
 */
export function initAdd({ added }) {
  onAdded = added;
  initCamera({ handle, setError, setStatus });
  const fileInput = document.getElementById("scan-file-input");
  document.getElementById("scan-paste").addEventListener("click", (event) =>
    scan(event.currentTarget, () => api.scanClipboard()),
  );
  document.getElementById("scan-screen").addEventListener("click", (event) =>
    scan(event.currentTarget, () => api.scanScreen()),
  );
  document.getElementById("scan-file").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (file) {
      scan(document.getElementById("scan-file"), async () =>
        api.scanImage(new Uint8Array(await file.arrayBuffer())),
      );
    }
  });
  // Ctrl+V of an image anywhere in the view scans it.
  document.getElementById("view-add").addEventListener("paste", (event) => {
    const image = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith("image/"));
    if (image) {
      event.preventDefault();
      scan(document.getElementById("scan-paste"), async () =>
        api.scanImage(new Uint8Array(await image.arrayBuffer())),
      );
    }
  });
  document.getElementById("transfer-confirm").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    setError("");
    try {
      handle(await api.confirmTransfer());
    } catch (error) {
      setError(errorText(error));
      button.disabled = false;
    }
  });
  document.getElementById("transfer-cancel").addEventListener("click", () => {
    api.cancelTransfer().catch(() => {});
    hidePreview();
  });
  const linkForm = document.getElementById("link-form");
  const manualForm = document.getElementById("manual-form");
  linkForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = linkForm.elements.link;
    submit(linkForm, () => api.addLink(input.value), () => (input.value = ""));
  });
  manualForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const f = manualForm.elements;
    const entry = {
      issuer: f.issuer.value,
      account: f.account.value,
      secret: f.secret.value,
      kind: f.kind.value,
      algorithm: f.algorithm.value,
      digits: clampInt(f.digits.value, 0, 255),
      period: clampInt(f.period.value, 0, Number.MAX_SAFE_INTEGER),
      counter: clampInt(f.counter.value, 0, Number.MAX_SAFE_INTEGER),
    };
    submit(manualForm, () => api.addManual(entry), () => manualForm.reset());
  });
  manualForm.elements.kind.addEventListener("change", showKindFields);
  showKindFields();
}

/** The Add view for the registry. */
export const addView = { name: "add", back: true, enter: () => openAdd(), leave: () => clearForms() };

/** Resets the view and puts the cursor in the link field. */
export function openAdd() {
  clearForms();
  document.getElementById("link-input").focus();
}

/** Empties every field and forgets a half-scanned transfer (when leaving the view). */
export function clearForms() {
  // Once the camera has stopped, no part of a transfer can arrive after the cancel.
  stopCamera().then(() => api.cancelTransfer().catch(() => {}));
  hidePreview();
  setStatus("");
  document.getElementById("link-form").reset();
  document.getElementById("manual-form").reset();
  document.getElementById("manual-advanced").open = false;
  showKindFields();
  setError("");
}

function clampInt(text, min, max) {
  const value = Number.parseInt(text, 10);
  if (Number.isNaN(value)) return min;
  return Math.max(min, Math.min(max, value));
}

function showKindFields() {
  const form = document.getElementById("manual-form");
  const kind = form.elements.kind.value;
  document.getElementById("period-field").hidden = kind === "hotp";
  document.getElementById("counter-field").hidden = kind !== "hotp";
  form.elements.algorithm.disabled = kind === "steam";
  form.elements.digits.disabled = kind === "steam";
}

function setStatus(text) {
  const box = document.getElementById("add-status");
  box.textContent = text;
  box.hidden = !text;
}

function setError(text) {
  const box = document.getElementById("add-error");
  box.textContent = text;
  box.hidden = !text;
}

async function submit(form, call, clear) {
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  setError("");
  try {
    const outcome = await call();
    clear();
    handle(outcome);
  } catch (error) {
    setError(errorText(error));
  } finally {
    button.disabled = false;
  }
}

async function scan(button, call) {
  stopCamera();
  button.disabled = true;
  setError("");
  setStatus(t("add.scanning"));
  try {
    const outcome = await call();
    handle(outcome);
    // "Scan from screen" says how the screen was seen (directly, or by the
    // desktop's screenshot portal on Wayland).
    if (outcome.capture) toast(t(`add.captured_${outcome.capture}`));
  } catch (error) {
    setStatus("");
    setError(errorText(error));
  } finally {
    button.disabled = false;
  }
}

function handle(outcome) {
  if (outcome.status === "need_more") {
    setStatus(t("add.transfer_progress", outcome));
    return;
  }
  if (outcome.status === "preview") {
    setStatus("");
    showPreview(outcome.entries);
    return;
  }
  clearForms();
  onAdded(outcome);
}

/** Lists a complete transfer's accounts, duplicates marked; nothing is added yet. */
function showPreview(entries) {
  const list = document.getElementById("transfer-list");
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = [entry.issuer, entry.account].filter(Boolean).join(" – ");
      item.append(name);
      if (entry.duplicate_of) {
        item.classList.add("duplicate");
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = t("transfer.duplicate");
        item.append(badge);
      }
      return item;
    }),
  );
  const fresh = entries.filter((e) => !e.duplicate_of).length;
  const confirm = document.getElementById("transfer-confirm");
  confirm.textContent =
    fresh === 0
      ? t("transfer.nothing_new")
      : fresh === 1
        ? t("transfer.confirm_one")
        : t("transfer.confirm", { count: fresh });
  confirm.disabled = fresh === 0;
  const preview = document.getElementById("transfer-preview");
  preview.hidden = false;
  confirm.focus();
}

function hidePreview() {
  document.getElementById("transfer-preview").hidden = true;
  document.getElementById("transfer-list").replaceChildren();
}
