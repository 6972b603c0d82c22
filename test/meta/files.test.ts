// Which files the product reads is said once, in server/src/core/files.ts: its globs agree with its predicates
// (checked with minimatch, an independent glob matcher), and package.json's activation events, the client's
// document selector and the server's watcher globs are the ones it gives. No other source spells the patterns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { minimatch } from "minimatch";
import {
  ACTIVATION_GLOBS,
  FILE_GLOBS,
  fileKind,
  isConfigName,
  looseRoot,
  type FileKind,
} from "../../server/src/core/files.js";
import { WATCH_GLOBS } from "../../server/src/lsp/workspace.js";
import { DOCUMENT_SELECTOR } from "../../client/src/selector.js";

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { activationEvents: string[] };

/** Workspace-relative paths and what they are (undefined: read only when something leads there). */
const SAMPLES: [string, FileKind | undefined][] = [
  ["wrangler.toml", "config"],
  ["wrangler.json", "config"],
  ["apps/api/wrangler.jsonc", "config"],
  ["wrangler.staging.toml", "config"],
  ["apps/web/wrangler.preview.json", "config"],
  ["wrangler.a.b.jsonc", "config"],
  [".github/workflows/deploy.yml", "workflow"],
  [".github/workflows/deploy.yaml", "workflow"],
  [".github/workflows/DEPLOY.YML", "workflow"],
  ["apps/api/.github/workflows/ci.yml", "workflow"],
  [".gitlab-ci.yml", "gitlab-ci"],
  ["infra/tokens.tf", "terraform"],
  [".wrangler-token-lint.json", "project"],
  ["package.json", "package-json"],
  ["apps/api/package.json", "package-json"],
  ["tokens/deploy.json", "json"],
  ["wrangler.tomlx", undefined],
  ["my-wrangler.toml", undefined],
  ["wrangler.yaml", undefined],
  [".github/workflows/nested/x.yml", undefined],
  [".github/deploy.yml", undefined],
  ["scripts/deploy.sh", undefined],
  ["Makefile", undefined],
  ["infra/main.tfvars", undefined],
  ["pnpm-workspace.yaml", undefined],
];

test("fileKind classifies every sample as expected", () => {
  for (const [path, kind] of SAMPLES) assert.equal(fileKind(path), kind, path);
  for (const [path, kind] of SAMPLES)
    if (!path.includes("/")) assert.equal(isConfigName(path), kind === "config", path);
});

test("each kind's globs match its files, and together the globs match exactly the files that have a kind", () => {
  const match = (glob: string, path: string): boolean => minimatch(path, glob, { dot: true });
  for (const [path, kind] of SAMPLES) {
    assert.equal(
      FILE_GLOBS.some((g) => match(g.glob, path)),
      kind !== undefined,
      `${path}: some glob matches ⇔ it has a kind`,
    );
    if (kind)
      assert.ok(
        FILE_GLOBS.some((g) => g.kind === kind && match(g.glob, path)),
        `${path}: a ${kind} glob matches`,
      );
  }
  // Every glob is needed: each matches some sample of its own kind.
  for (const g of FILE_GLOBS)
    assert.ok(
      SAMPLES.some(([p, k]) => k === g.kind && match(g.glob, p)),
      `${g.glob} matches a ${g.kind} sample`,
    );
});

test("package.json's workspaceContains events are ACTIVATION_GLOBS, and each activates on files that have a kind", () => {
  const events = pkg.activationEvents
    .filter((e) => e.startsWith("workspaceContains:"))
    .map((e) => e.slice("workspaceContains:".length));
  assert.deepEqual(events, ACTIVATION_GLOBS);
  for (const glob of ACTIVATION_GLOBS) {
    const hits = SAMPLES.filter(([p]) => minimatch(p, glob, { dot: true }));
    assert.ok(hits.length > 0, `${glob} matches a sample`);
    for (const [p, k] of hits)
      assert.notEqual(k, undefined, `${glob} activates on ${p}, which the analysis does not read`);
  }
  // Every wrangler config variant and the root CI files activate the extension.
  for (const [p, k] of SAMPLES) {
    if (
      k === "config" ||
      k === "terraform" ||
      k === "project" ||
      (k === "workflow" && p.startsWith(".github/")) ||
      p === ".gitlab-ci.yml"
    ) {
      assert.ok(
        ACTIVATION_GLOBS.some((g) => minimatch(p, g, { dot: true })),
        `${p} activates the extension`,
      );
    }
  }
});

test("the client's document selector and the server's fixed watchers are the file globs", () => {
  assert.deepEqual(
    DOCUMENT_SELECTOR,
    FILE_GLOBS.map((g) => ({ scheme: "file", pattern: g.glob })),
  );
  assert.deepEqual(
    WATCH_GLOBS,
    FILE_GLOBS.map((g) => g.glob),
  );
  const client = readFileSync(join(root, "client/src/client.ts"), "utf8");
  assert.match(client, /import \{ DOCUMENT_SELECTOR \} from "\.\/selector"/);
  assert.match(client, /documentSelector: DOCUMENT_SELECTOR/);
});

test("a loose config, workflow or Terraform file is analysed in its project directory", () => {
  assert.equal(looseRoot("/p/wrangler.staging.toml"), "/p");
  assert.equal(looseRoot("/p/.github/workflows/deploy.yml"), "/p");
  assert.equal(looseRoot("/p/infra/token.tf"), "/p/infra");
  assert.equal(looseRoot("/p/.gitlab-ci.yml"), "/p");
  assert.equal(looseRoot("/p/notes.json"), undefined);
});

test("no other source spells the file patterns", () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts") && !p.endsWith(join("core", "files.ts"))) {
        const text = readFileSync(p, "utf8");
        // A glob of a file kind, a wrangler config name regex, or a workflows-directory regex.
        if (
          /"\*\*\/(wrangler|\.github|\.gitlab|\*\.tf|\*\.json|package\.json|\.wrangler-token-lint)|\/\^wrangler\\\.|workflows\\\//.test(
            text,
          )
        )
          offenders.push(p.slice(root.length + 1));
      }
    }
  };
  for (const d of ["server/src", "client/src"]) walk(join(root, d));
  assert.deepEqual(offenders, []);
});
