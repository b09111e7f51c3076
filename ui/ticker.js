// One timer for the whole UI, fired just after each whole second of the wall clock.
// Each tick reads Date.now() afresh, so a sleeping laptop or a busy main thread
// never makes the countdowns drift: the next tick simply shows the right time.

import { msToNextSecond } from "./timing.js";

const listeners = new Set();
let timer = null;

function tick() {
  const now = Date.now();
  for (const listener of listeners) listener(now);
  timer = setTimeout(tick, msToNextSecond(Date.now()) + 1);
}

/** Calls `listener(nowMs)` every second; returns a function that stops it. */
export function onTick(listener) {
  listeners.add(listener);
  if (timer === null) timer = setTimeout(tick, msToNextSecond(Date.now()) + 1);
  return () => listeners.delete(listener);
}

// Timers are throttled while the window is hidden: catch up as soon as it shows.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && timer !== null) {
    clearTimeout(timer);
    tick();
  }
});
