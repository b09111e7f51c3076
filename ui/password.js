// A modal password prompt for encrypted files (import, recovery). The password is
// handed to `attempt` and wiped from the field at once; a wrong one shows the
// translated error and lets the user try again.

import { errorText } from "./i18n.js";

const $ = (id) => document.getElementById(id);

/**
 * Asks for a password titled `title`; resolves to what `attempt(password)`
 * resolves to, or null when the user cancels.
 */
export function askPassword(title, attempt) {
  const dialog = $("password-dialog");
  const form = $("password-form");
  const input = $("password-input");
  const error = $("password-error");
  const ok = $("password-ok");
  $("password-title").textContent = title;
  error.hidden = true;
  input.value = "";
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      input.value = "";
      form.removeEventListener("submit", onSubmit);
      $("password-cancel").removeEventListener("click", onCancel);
      dialog.removeEventListener("close", onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onCancel = () => finish(null);
    const onSubmit = async (event) => {
      event.preventDefault();
      const password = input.value;
      input.value = "";
      if (!password) return input.focus();
      ok.disabled = true;
      error.hidden = true;
      try {
        finish(await attempt(password));
      } catch (failure) {
        error.textContent = errorText(failure);
        error.hidden = false;
        input.focus();
      } finally {
        ok.disabled = false;
      }
    };
    form.addEventListener("submit", onSubmit);
    $("password-cancel").addEventListener("click", onCancel);
    dialog.addEventListener("close", onCancel);
    dialog.showModal();
    input.focus();
  });
}
