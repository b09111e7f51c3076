// Pure time and formatting logic, kept apart so it can be tested with `node --test`.
// Codes follow the wall clock: every period starts at a multiple of `period`
// seconds since the Unix epoch, so all timing is derived from Date.now() at the
// moment it is needed, never from counting ticks (no drift, however long it is open).

/** Groups a code for reading: "123 456", "1234 5678", "123 4567"; others unchanged. */
export function groupDigits(code) {
  if (!/^\d{6,}$/.test(code)) return code;
  const split = Math.floor(code.length / 2);
  return `${code.slice(0, split)} ${code.slice(split)}`;
}

/** Index of the period that contains `ms` (milliseconds since the epoch). */
export function windowAt(ms, period) {
  return Math.floor(ms / 1000 / period);
}

/** Whole seconds left in the period containing `ms` (from `period` down to 1). */
export function secondsLeft(ms, period) {
  return period - (Math.floor(ms / 1000) % period);
}

/** Milliseconds already elapsed in the period containing `ms`. */
export function elapsedMs(ms, period) {
  return ms % (period * 1000);
}

/** Milliseconds from `ms` until the next whole second. */
export function msToNextSecond(ms) {
  return 1000 - (ms % 1000);
}

/** Whether the code is in its last seconds (the ring turns red, the next code shows). */
export function isEnding(ms, period, warnSeconds = 5) {
  return secondsLeft(ms, period) <= Math.min(warnSeconds, Math.floor(period / 3) || 1);
}

/**
 * Which code to show for a view computed at `viewWindow` when the clock says
 * `nowWindow`: the current code, the next one (already known), or none (stale).
 */
export function codeFor(view, viewWindow, nowWindow) {
  if (nowWindow === viewWindow) return view.code;
  if (nowWindow === viewWindow + 1 && view.next_code) return view.next_code;
  return null;
}

/** "Issuer (account)", or whichever is set. */
export function displayName(issuer, account, fallback) {
  if (issuer && account) return `${issuer} (${account})`;
  return issuer || account || fallback;
}
