// The view registry: each view module exports {name, enter(params), leave(),
// back} and main.js switches through here, so a new view is one module plus one
// register() line. Leaving a view always runs its leave() (the camera stops, forms
// are wiped, a shown QR code is hidden). `back: true` views go home on Escape.

const views = new Map();
const listeners = [];
let current = null;

/** Adds a view; its section is #view-<name>. */
export function register(view) {
  views.set(view.name, view);
}

/** Shows view `name` (hiding the others), after the current one's leave(). */
export function show(name, params = {}) {
  const next = views.get(name);
  if (!next) throw new Error(`no view ${name}`);
  if (current && current !== next) current.leave?.();
  current = next;
  for (const view of views.values()) document.getElementById(`view-${view.name}`).hidden = view !== next;
  document.getElementById("main").scrollTop = 0;
  document.body.dataset.view = name;
  for (const listener of listeners) listener(name);
  return next.enter?.(params);
}

/** The view showing now. */
export function currentView() {
  return current;
}

/** Runs `listener(name)` after every switch. */
export function onViewChange(listener) {
  listeners.push(listener);
}
