// Unit tests of the UI's pure logic: `node --test tests/ui/` (no npm packages).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  codeFor,
  displayName,
  elapsedMs,
  groupDigits,
  isEnding,
  msToNextSecond,
  secondsLeft,
  windowAt,
} from "../../ui/timing.js";

test("groups codes for reading", () => {
  assert.equal(groupDigits("123456"), "123 456");
  assert.equal(groupDigits("12345678"), "1234 5678");
  assert.equal(groupDigits("1234567"), "123 4567");
  assert.equal(groupDigits("12345"), "12345");
  assert.equal(groupDigits("K4T9P"), "K4T9P");
});

test("periods are aligned on the Unix epoch", () => {
  const t = 1_700_000_000_000; // 1700000000 s, 1700000000 % 30 = 20
  assert.equal(windowAt(t, 30), Math.floor(1_700_000_000 / 30));
  assert.equal(secondsLeft(t, 30), 10);
  assert.equal(secondsLeft(t + 999, 30), 10);
  assert.equal(secondsLeft(t + 1000, 30), 9);
  assert.equal(elapsedMs(t + 250, 30), 20_250);
  assert.equal(msToNextSecond(t + 250), 750);
});

test("the last five seconds are flagged, in proportion for short periods", () => {
  const start = 1_700_000_010_000; // start of a 30 s period
  assert.equal(secondsLeft(start, 30), 30);
  assert.equal(isEnding(start + 24_000, 30), false);
  assert.equal(isEnding(start + 25_000, 30), true);
  assert.equal(isEnding(start + 29_999, 30), true);
  assert.equal(isEnding(start, 6), false);
});

test("no drift: an hour later the countdown still follows the wall clock", () => {
  const opened = 1_700_000_010_000;
  const hourLater = opened + 3_600_000 + 12_345;
  // 3,612.345 s after the start of a period: 12.345 s into one, 18 s left.
  assert.equal(secondsLeft(hourLater, 30), 18);
  assert.equal(windowAt(hourLater, 30) - windowAt(opened, 30), 120);
});

test("a view shows its code, then its next code, then nothing", () => {
  const view = { code: "111111", next_code: "222222" };
  assert.equal(codeFor(view, 10, 10), "111111");
  assert.equal(codeFor(view, 10, 11), "222222");
  assert.equal(codeFor(view, 10, 12), null);
  assert.equal(codeFor({ code: "1", next_code: null }, 10, 11), null);
});

test("display names", () => {
  assert.equal(displayName("CCOMTL", "WXYZ2620", "?"), "CCOMTL (WXYZ2620)");
  assert.equal(displayName("", "alice", "?"), "alice");
  assert.equal(displayName("", "", "Unnamed"), "Unnamed");
});
