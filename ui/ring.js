// The countdown ring: an SVG circle drained by a CSS animation whose phase is set
// from the wall clock, so it moves smoothly without any per-frame JavaScript.

import { elapsedMs, isEnding, secondsLeft } from "./timing.js";

const ns = "http://www.w3.org/2000/svg";

/** A ring element for a code of `period` seconds, with the seconds left inside. */
export function createRing(period, size = "small") {
  const wrap = document.createElement("span");
  wrap.className = `ring ring-${size}`;
  wrap.setAttribute("aria-hidden", "true");
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 36 36");
  for (const name of ["ring-track", "ring-fill"]) {
    const circle = document.createElementNS(ns, "circle");
    circle.setAttribute("class", name);
    circle.setAttribute("cx", "18");
    circle.setAttribute("cy", "18");
    circle.setAttribute("r", "15");
    circle.setAttribute("pathLength", "100");
    svg.append(circle);
  }
  const seconds = document.createElement("span");
  seconds.className = "ring-seconds";
  wrap.append(svg, seconds);
  syncRing(wrap, period, Date.now());
  return wrap;
}

/** Re-aligns the ring's animation with the wall clock (cheap; done at each refresh). */
export function syncRing(ring, period, nowMs) {
  const fill = ring.querySelector(".ring-fill");
  fill.style.setProperty("animation-duration", `${period}s`);
  fill.style.setProperty("animation-delay", `-${elapsedMs(nowMs, period)}ms`);
  paintRing(ring, period, nowMs);
}

/** Updates the seconds shown and the "ending" colour. */
export function paintRing(ring, period, nowMs) {
  const left = String(secondsLeft(nowMs, period));
  const label = ring.lastChild;
  if (label.textContent !== left) label.textContent = left;
  ring.classList.toggle("ending", isEnding(nowMs, period));
}
