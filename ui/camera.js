// The camera in the Add view. Rust opens the camera, reads and adds the code; the
// page only draws the small grey preview Rust streams and says what happened.
// The camera stops when an account is added, when the user stops it, leaves the
// view or hides the window, and when another way of scanning starts.

import { api } from "./api.js";
import { errorText, t } from "./i18n.js";
import { isPhone } from "./platform.js";

const CHOICE_KEY = "jeton.camera";

let scan = 0; // bumped at every start and stop: late messages of an old scan are ignored
// Rust's numbers for scans only grow, across reloads too (they start from the
// page's load time), so Rust can tell a late message of an older scan.
let serial = Math.floor(performance.timeOrigin) * 1000;
let token = null; // the number of the scan running now
let phoneScan = null; // the phone scan running now ({ cancelled }), if any
let view = { handle: () => {}, setError: () => {}, setStatus: () => {} };

/**
 * Wires the Camera button. `handle(outcome)` gets what adding did (as for any
 * other way of adding); `setError(text)` shows a failure in the view and
 * `setStatus(text)` a notice.
 */
export function initCamera({ handle, setError, setStatus }) {
  view = { handle, setError, setStatus };
  if (isPhone()) {
    // The OS's scanner covers the screen itself: no panel, no preview.
    $("scan-camera").removeAttribute("aria-controls");
    $("scan-camera").removeAttribute("aria-expanded");
    $("scan-camera").addEventListener("click", scanWithPhone);
    document.addEventListener("visibilitychange", () => document.hidden && stopCamera());
    return;
  }
  // Whatever an earlier page left running (and any late start of it) stops.
  api.stopCamera(serial).catch(() => {});
  $("scan-camera").addEventListener("click", () => (isOpen() ? stopCamera() : openCamera()));
  $("camera-stop").addEventListener("click", () => {
    stopCamera();
    $("scan-camera").focus();
  });
  $("camera-select").addEventListener("change", (event) => {
    localStorage.setItem(CHOICE_KEY, event.target.value);
    start(event.target.value);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && isOpen()) stopCamera();
  });
}

/**
 * Stops the camera (if running) and hides its panel. The promise settles once
 * Rust has stopped it: from then on, nothing it reads is added.
 */
export function stopCamera() {
  if (phoneScan) {
    if (phoneScan.cancelled) return Promise.resolve();
    phoneScan.cancelled = true;
    return api.cancelPhoneCamera().catch(() => {});
  }
  if (!isOpen()) return Promise.resolve();
  const stopped = stopToken();
  ended();
  return stopped;
}

/**
 * Phones: Rust drives the OS's camera scanner and adds what it read; the page
 * gets what adding did, never the code's text. A scan this page cancelled
 * (the user left the view) says nothing.
 */
async function scanWithPhone() {
  // One scan at a time: a cancelled one too, until Rust says it has ended.
  if (phoneScan) return;
  view.setError("");
  const mine = (phoneScan = { cancelled: false });
  const button = $("scan-camera");
  button.setAttribute("aria-busy", "true");
  let outcome = null;
  let failure = null;
  try {
    outcome = await api.scanWithPhoneCamera();
  } catch (error) {
    failure = error;
  }
  phoneScan = null;
  button.removeAttribute("aria-busy");
  if (mine.cancelled) return;
  if (failure) view.setError(errorText(failure));
  else view.handle(outcome);
}

function stopToken() {
  const stopping = token;
  token = null;
  return stopping ? api.stopCamera(stopping).catch(() => {}) : Promise.resolve();
}

function $(id) {
  return document.getElementById(id);
}

function isOpen() {
  return !$("camera-panel").hidden;
}

async function openCamera() {
  view.setError("");
  $("camera-panel").hidden = false;
  $("scan-camera").setAttribute("aria-expanded", "true");
  setStatus(t("camera.starting"));
  const opening = ++scan;
  let cameras;
  try {
    cameras = await api.listCameras();
  } catch (error) {
    return fail(opening, error);
  }
  if (opening !== scan) return;
  if (cameras.length === 0) return fail(opening, { code: "scan.no_camera" });
  const select = $("camera-select");
  select.replaceChildren(
    ...cameras.map(({ id, name }) => {
      const option = document.createElement("option");
      option.value = id;
      option.textContent = name;
      return option;
    }),
  );
  const saved = localStorage.getItem(CHOICE_KEY);
  if (cameras.some((camera) => camera.id === saved)) select.value = saved;
  $("camera-choice").hidden = cameras.length < 2;
  start(select.value);
}

/** Starts (or switches to) camera `id`; Rust stops any scan already running. */
async function start(id) {
  const mine = ++scan;
  stopToken();
  serial += 1;
  token = serial;
  setStatus(t("camera.starting"));
  const { Channel } = window.__TAURI__.core;
  const previews = new Channel();
  const events = new Channel();
  previews.onmessage = (data) => mine === scan && draw(data);
  events.onmessage = (event) => mine === scan && onEvent(event);
  try {
    await api.startCamera(id, token, previews, events);
    if (mine === scan) setStatus(t("camera.aim"));
  } catch (error) {
    fail(mine, error);
  }
}

function onEvent(event) {
  switch (event.event) {
    case "unusable":
      // Some other QR code (a web address, a Wi-Fi code): say what to show instead.
      setStatus(
        event.error.code === "uri.wrong_scheme" ? t("camera.unusable") : errorText(event.error),
      );
      return;
    case "failed":
      fail(scan, event.error);
      return;
    case "timed_out":
      ended();
      view.setStatus(t("camera.timed_out"));
      return;
    default:
      // Rust stops the camera once an account is added or a transfer is complete.
      if (event.outcome.status !== "need_more") ended();
      view.handle(event.outcome);
  }
}

/** This scan is over (stopped by Rust itself, or by `stopToken` first). */
function ended() {
  scan += 1;
  token = null;
  closePanel();
}

function fail(which, error) {
  if (which !== scan) return;
  stopToken();
  ended();
  view.setError(errorText(error));
}

function closePanel() {
  const panel = $("camera-panel");
  if (panel.contains(document.activeElement)) $("scan-camera").focus();
  $("camera-panel").hidden = true;
  $("scan-camera").setAttribute("aria-expanded", "false");
  const canvas = $("camera-preview");
  canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  delete canvas.dataset.frames;
  setStatus("");
}

function setStatus(text) {
  $("camera-status").textContent = text;
}

/** Draws one preview frame: u16 width, u16 height (little-endian), then grey bytes. */
function draw(data) {
  const bytes = new Uint8Array(data);
  if (bytes.length < 4) return;
  const width = bytes[0] | (bytes[1] << 8);
  const height = bytes[2] | (bytes[3] << 8);
  if (width === 0 || height === 0 || bytes.length < 4 + width * height) return;
  const canvas = $("camera-preview");
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext("2d");
  const image = context.createImageData(width, height);
  const rgba = image.data;
  for (let i = 0, p = 4; i < rgba.length; i += 4, p += 1) {
    rgba[i] = rgba[i + 1] = rgba[i + 2] = bytes[p];
    rgba[i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
}
