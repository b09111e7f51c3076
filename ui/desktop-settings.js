// The "On the desktop" card of Settings: keep Jeton in the tray when the window
// closes, start at login, and the quick-search shortcut. Rust applies each choice
// (autostart entry, shortcut registration) and answers with what took effect, so
// the card shows a shortcut that is taken or a desktop without a tray as it is.

import { api } from "./api.js";
import { errorText, t } from "./i18n.js";
import { toast } from "./toast.js";

const $ = (id) => document.getElementById(id);
let shown = null;

/** Wires the card. */
export function initDesktopSettings() {
  $("desktop-form").addEventListener("submit", save);
}

/** Reads the settings from Rust and shows them. */
export async function loadDesktopSettings() {
  try {
    show(await api.desktopSettings());
  } catch (error) {
    showError(error);
  }
}

/** Translates the parts the card writes itself. */
export function retranslateDesktopSettings() {
  if (shown) show(shown);
}

function show(settings) {
  shown = settings;
  $("desktop-tray").checked = settings.close_to_tray;
  $("desktop-login").checked = settings.start_at_login;
  $("desktop-shortcut").value = settings.shortcut;
  $("desktop-tray-help").textContent = t(settings.tray_available ? "desktop.tray_help" : "desktop.no_tray");
  let help = t("desktop.shortcut_help");
  if (settings.shortcut_note === "wayland") help = t("desktop.shortcut_wayland");
  else if (settings.shortcut_note === "portal") {
    help = t("desktop.shortcut_portal", { trigger: settings.shortcut_trigger || settings.shortcut });
  }
  else if (settings.shortcut && !settings.shortcut_active) help = t("desktop.shortcut_inactive");
  $("desktop-shortcut-help").textContent = help;
  showError(null);
}

async function save(event) {
  event.preventDefault();
  try {
    show(
      await api.setDesktopSettings({
        close_to_tray: $("desktop-tray").checked,
        start_at_login: $("desktop-login").checked,
        shortcut: $("desktop-shortcut").value.trim(),
      }),
    );
    toast(t("desktop.saved"));
  } catch (error) {
    showError(error);
  }
}

function showError(error) {
  const banner = $("desktop-error");
  banner.hidden = !error;
  banner.textContent = error ? errorText(error) : "";
}
