// The phone build's page logic, which the e2e suite (a desktop build) never runs:
// the phone's texts, and the camera button driving the OS's scanner through Rust.
// `node --test tests/ui/`: a few stand-in page elements and a stand-in for Tauri's
// `invoke` (the real ones exist only in the app's webview), recording the commands
// the page sends to Rust.
import assert from "node:assert/strict";
import { test } from "node:test";

/** Just enough of an element for ui/platform.js and ui/camera.js. */
class Element {
  constructor() {
    this.attributes = new Map();
    this.listeners = new Map();
    this.dataset = {};
    this.hidden = false;
    const classes = new Set();
    this.classList = {
      toggle: (name, on) => (on ? classes.add(name) : classes.delete(name)),
      contains: (name) => classes.has(name),
    };
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  addEventListener(type, listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  click() {
    for (const listener of this.listeners.get("click") ?? []) listener({ target: this });
  }
  focus() {}
  contains() {
    return false;
  }
}

const elements = new Map();
const phoneText = new Element();
phoneText.dataset = { i18n: "add.camera", i18nPhone: "add.camera_phone" };
globalThis.document = {
  documentElement: new Element(),
  hidden: false,
  getElementById(id) {
    if (!elements.has(id)) elements.set(id, new Element());
    return elements.get(id);
  },
  querySelectorAll: (selector) => (selector === "[data-i18n-phone]" ? [phoneText] : []),
  addEventListener() {},
  dispatchEvent() {},
};
globalThis.CustomEvent ??= class extends Event {};

// Rust's side: every command the page sends, and the scans it has not answered.
const sent = [];
const pendingScans = [];
globalThis.window = {
  __TAURI__: {
    core: {
      invoke(command) {
        sent.push(command);
        if (command !== "scan_with_phone_camera") return Promise.resolve(null);
        return new Promise((resolve, reject) => pendingScans.push({ resolve, reject }));
      },
    },
  },
};

const { isPhone, setPhone } = await import("../../ui/platform.js");
const { initCamera, stopCamera } = await import("../../ui/camera.js");

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const scans = () => sent.filter((command) => command === "scan_with_phone_camera").length;

setPhone(true);
const handled = [];
const errors = [];
initCamera({
  handle: (outcome) => handled.push(outcome),
  setError: (text) => text && errors.push(text),
  setStatus: () => {},
});
const camera = document.getElementById("scan-camera");

test("a phone build is marked, and its texts are the phone's", () => {
  assert.ok(isPhone());
  assert.equal(phoneText.dataset.i18n, "add.camera_phone");
  // No desktop camera on a phone: nothing asked of the desktop camera's commands.
  assert.ok(!sent.includes("stop_camera"), sent.join());
  assert.equal(camera.getAttribute("aria-expanded"), null);
});

test("the camera button scans through Rust and hands over what adding did", async () => {
  camera.click();
  assert.equal(scans(), 1);
  assert.equal(camera.getAttribute("aria-busy"), "true");
  pendingScans.shift().resolve({ status: "added", ids: ["a"], warnings: [] });
  await settle();
  assert.deepEqual(handled, [{ status: "added", ids: ["a"], warnings: [] }]);
  assert.equal(camera.getAttribute("aria-busy"), null);
  assert.ok(!sent.includes("cancel_phone_camera"), "a finished scan was cancelled");
});

test("leaving cancels the scan silently, and no second scan starts before it ends", async () => {
  camera.click();
  assert.equal(scans(), 2);
  await stopCamera();
  assert.equal(sent.filter((command) => command === "cancel_phone_camera").length, 1);
  await stopCamera(); // leaving twice cancels once
  assert.equal(sent.filter((command) => command === "cancel_phone_camera").length, 1);
  camera.click();
  assert.equal(scans(), 2, "a second scan started while the first was ending");
  pendingScans.shift().reject({ code: "app.phone_camera", message: "cancelled" });
  await settle();
  assert.deepEqual(errors, [], "a cancelled scan said something");
  assert.equal(handled.length, 1);
  camera.click();
  assert.equal(scans(), 3, "no new scan once the cancelled one had ended");
  pendingScans.shift().reject({ code: "app.phone_camera", message: "camera permission denied" });
  await settle();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /camera/i);
});
