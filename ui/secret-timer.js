// Hides what shows a secret (a QR code, a key) after 60 s, or as soon as the
// window loses focus or is hidden, whichever comes first.

const SHOW_MS = 60_000;

/** Calls `hide()` once, after 60 s or on blur; returns a function that cancels. */
export function hideSoon(hide) {
  let done = false;
  const fire = () => {
    if (done) return;
    done = true;
    cancel();
    hide();
  };
  const onVisibility = () => {
    if (document.hidden) fire();
  };
  const timer = setTimeout(fire, SHOW_MS);
  window.addEventListener("blur", fire);
  document.addEventListener("visibilitychange", onVisibility);
  function cancel() {
    done = true;
    clearTimeout(timer);
    window.removeEventListener("blur", fire);
    document.removeEventListener("visibilitychange", onVisibility);
  }
  return cancel;
}
