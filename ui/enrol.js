// The enrolment helper, shown right after adding: the setup page now asks for
// the current code (the seeds' step 6, within 30 s) and often a device name, so
// both are shown large with the time left and a copy button.

import { api } from "./api.js";
import { errorText, t, warningText } from "./i18n.js";
import { createRing, paintRing, syncRing } from "./ring.js";
import { onTick } from "./ticker.js";
import { codeFor, displayName, groupDigits, secondsLeft, windowAt } from "./timing.js";
import { toast } from "./toast.js";

let state = null; // { view, window }
let fetching = false;

/** Wires the buttons; `done(id)` runs when the user is finished. */
export function initEnrol({ deviceName, done }) {
  document.getElementById("device-name").textContent = deviceName;
  document.getElementById("enrol-copy-code").addEventListener("click", copyCode);
  document.getElementById("enrol-code").addEventListener("click", copyCode);
  document.getElementById("enrol-copy-device").addEventListener("click", async () => {
    try {
      await api.copyDeviceName();
      toast(t("enrol.device_copied"));
    } catch (error) {
      toast(errorText(error));
    }
  });
  document.getElementById("enrol-done").addEventListener("click", () => {
    const id = state?.view.id;
    state = null;
    done(id);
  });
  onTick(paint);
}

/** The enrolment helper for the registry: entered with {id, warnings}. */
export const enrolView = {
  name: "enrol",
  enter: (added) => showEnrol(added),
  leave: () => {
    state = null;
  },
};

/** Shows the helper for the account just added (`added` = {id, warnings}). */
export async function showEnrol(added) {
  const warnings = document.getElementById("enrol-warnings");
  const list = document.getElementById("enrol-warning-list");
  list.replaceChildren(
    ...added.warnings.map((warning) => {
      const item = document.createElement("li");
      item.textContent = warningText(warning);
      return item;
    }),
  );
  warnings.hidden = added.warnings.length === 0;
  state = null;
  await load(added.id);
  document.getElementById("enrol-copy-code").focus();
}

/** Re-renders texts that depend on the language. */
export function retranslateEnrol() {
  if (state) render(Date.now());
}

async function load(id) {
  fetching = true;
  try {
    const view = await api.accountCode(id);
    const nowMs = Date.now();
    state = { view, window: 0 };
    if (view.kind !== "hotp") {
      // Rust computed the view a moment ago with `seconds_left`; if the clock has
      // crossed a boundary since, the view belongs to the previous period.
      const crossed = secondsLeft(nowMs, view.period) > view.seconds_left;
      state.window = windowAt(nowMs, view.period) - (crossed ? 1 : 0);
    }
    const ringSlot = document.getElementById("enrol-ring");
    ringSlot.replaceChildren();
    if (view.kind !== "hotp") {
      const ring = createRing(view.period, "large");
      ringSlot.append(ring);
      syncRing(ring, view.period, nowMs);
    }
    render(nowMs);
  } catch (error) {
    toast(errorText(error));
  } finally {
    fetching = false;
  }
}

function render(nowMs) {
  const { view } = state;
  document.getElementById("enrol-name").textContent = displayName(view.issuer, view.account, t("name.unnamed"));
  const timed = view.kind !== "hotp";
  let code = view.code;
  if (timed) {
    code = codeFor(view, state.window, windowAt(nowMs, view.period)) ?? view.code;
    document.getElementById("enrol-countdown").textContent = t("enrol.valid_for", {
      seconds: secondsLeft(nowMs, view.period),
    });
  } else {
    document.getElementById("enrol-countdown").textContent = t("enrol.hotp_help");
  }
  document.getElementById("enrol-code").textContent = groupDigits(code);
  const ring = document.querySelector("#enrol-ring .ring");
  if (ring) paintRing(ring, view.period, nowMs);
}

function paint(nowMs) {
  if (!state || document.getElementById("view-enrol").hidden) return;
  render(nowMs);
  const { view } = state;
  if (view.kind !== "hotp" && windowAt(nowMs, view.period) !== state.window && !fetching) {
    load(view.id);
  }
}

async function copyCode() {
  if (!state) return;
  try {
    await api.copyCode(state.view.id);
    toast(t("codes.copied_for", { name: displayName(state.view.issuer, state.view.account, t("name.unnamed")) }));
  } catch (error) {
    toast(errorText(error));
  }
}
