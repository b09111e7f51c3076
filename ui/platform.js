// Which kind of device the page runs on, as Rust says (app_info's `mobile`). A
// phone build has no screen capture, desktop camera or desktop settings (their
// commands are not even compiled in); it scans with the OS's camera scanner.
// The class on <html> also lets the stylesheet hide what a phone lacks.

/** Records what Rust said; called once at start-up. */
export function setPhone(mobile) {
  document.documentElement.classList.toggle("mobile", Boolean(mobile));
  // Texts that differ on a phone ("Scan with camera"), before the first translation.
  if (mobile) for (const el of document.querySelectorAll("[data-i18n-phone]")) el.dataset.i18n = el.dataset.i18nPhone;
}

/** Whether this is a phone build (Android, iOS). */
export function isPhone() {
  return document.documentElement.classList.contains("mobile");
}
