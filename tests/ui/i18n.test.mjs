// Every string exists in both languages, with the same {placeholders}.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { chooseLanguage, dictionaries } from "../../ui/i18n.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("English and French have the same keys and placeholders", () => {
  const en = dictionaries.en;
  const fr = dictionaries.fr;
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.deepEqual(placeholders(fr[key]), placeholders(en[key]), key);
    assert.ok(fr[key].trim(), `empty French string ${key}`);
  }
});

test("every key used in the page exists", () => {
  const html = readFileSync(new URL("../../ui/index.html", import.meta.url), "utf8");
  const used = [...html.matchAll(/data-i18n(?:-\w+)?="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(used.length > 20);
  for (const key of used) assert.ok(key in dictionaries.en, `missing ${key}`);
});

test("every key the scripts ask for exists", () => {
  const dir = new URL("../../ui/", import.meta.url);
  const scripts = readdirSync(dir).filter((name) => name.endsWith(".js"));
  let checked = 0;
  for (const name of scripts) {
    const source = readFileSync(new URL(name, dir), "utf8");
    // t("section.key") calls with a literal key; keys built at run time (errors)
    // are covered by the error-code test below.
    for (const match of source.matchAll(/(?<![\w.$])t\("([a-z0-9_]+(?:\.[a-z0-9_]+)+)"/g)) {
      assert.ok(match[1] in dictionaries.en, `${name}: missing ${match[1]}`);
      checked += 1;
    }
  }
  assert.ok(checked > 50, `only ${checked} keys found`);
});

test("every error code from Rust has a message", () => {
  const sources = [
    "../../crates/jeton-core/src/error.rs",
    "../../crates/jeton-core/src/backup/error.rs",
    "../../crates/jeton-scan/src/lib.rs",
    "../../src-tauri/src/app_error.rs",
  ];
  const rust = sources.map((path) => readFileSync(new URL(path, import.meta.url), "utf8")).join("\n");
  const codes = [...rust.matchAll(/=> "([a-z_]+\.[a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length > 20);
  for (const code of codes) assert.ok(`errors.${code}` in dictionaries.en, `no message for ${code}`);
});

test("language follows the saved choice, then the OS locale", () => {
  assert.equal(chooseLanguage(null, "fr-CA", "en-US"), "fr");
  assert.equal(chooseLanguage(null, "en-CA", "fr-CA"), "en");
  assert.equal(chooseLanguage("en", "fr-CA", "fr-CA"), "en");
  assert.equal(chooseLanguage(null, null, "fr"), "fr");
  assert.equal(chooseLanguage(null, null, undefined), "en");
});
