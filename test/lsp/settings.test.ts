// Settings: normalisation keeps the valid parts of what a client sends, and the manifest declares exactly the
// settings the server reads (plus trace.server, which the client library reads).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SETTINGS, normalizeSettings } from "../../server/src/lsp/configuration";
import { REPO } from "./harness";

test("normalizeSettings keeps valid values and drops the rest", () => {
  assert.deepEqual(normalizeSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings("nonsense"), DEFAULT_SETTINGS);
  assert.deepEqual(
    normalizeSettings({
      enable: false,
      rules: { "unneeded-group": "error", "all-zones": "loud", "no-expiry": "off" },
      tokenGlobs: ["infra/*.json", 3, ""],
      tokenSecrets: { "a.json": ["A", 1], "b.json": "B", "c.json": 5 },
      inlayHints: false,
    }),
    {
      enable: false,
      rules: { "unneeded-group": "error", "no-expiry": "off" },
      tokenGlobs: ["infra/*.json"],
      tokenSecrets: { "a.json": ["A"], "b.json": ["B"] },
      inlayHints: false,
    },
  );
});

test("package.json declares the settings the server reads", () => {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
    contributes: { configuration: { properties: Record<string, { default: unknown; scope?: string }> } };
  };
  const props = pkg.contributes.configuration.properties;
  const serverKeys = Object.keys(DEFAULT_SETTINGS).map((k) => `wranglerTokenLint.${k}`);
  // Client-only settings: the server's trace level, and the audit's API base (machine scope, see below).
  assert.deepEqual(
    Object.keys(props).sort(),
    [...serverKeys, "wranglerTokenLint.trace.server", "wranglerTokenLint.audit.apiBaseUrl"].sort(),
  );
  assert.equal(
    props["wranglerTokenLint.audit.apiBaseUrl"]!.scope,
    "machine",
    "a workspace must not be able to point the reading token elsewhere",
  );
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof typeof DEFAULT_SETTINGS)[]) {
    assert.deepEqual(props[`wranglerTokenLint.${k}`]!.default, DEFAULT_SETTINGS[k], k);
    assert.equal(props[`wranglerTokenLint.${k}`]!.scope, "resource", k);
  }
});
