// The Add view: paste an otpauth:// link, or type the details shown under a
// setup page's "Unable to scan?". Inputs are emptied as soon as Rust has the
// secret, so it does not linger in the page. Scanning buttons wait for the scan crate.

import { api } from "./api.js";
import { errorText, t } from "./i18n.js";

let onAdded = () => {};

/** Wires the forms; `added(result)` runs with {id, warnings} after a success. */
export function initAdd({ added }) {
  onAdded = added;
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

/** Resets the view and puts the cursor in the link field. */
export function openAdd() {
  clearForms();
  document.getElementById("link-input").focus();
}

/** Empties every field (also called when leaving the view). */
export function clearForms() {
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
    const added = await call();
    clear();
    clearForms();
    onAdded(added);
  } catch (error) {
    setError(errorText(error));
  } finally {
    button.disabled = false;
  }
}
