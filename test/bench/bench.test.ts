// `npm run bench` works end to end: its generator writes a monorepo whose Workers, deploys and both kinds of token
// definition the built CLI finds and links; a tiny configuration of the whole benchmark (10 configs, 1 run,
// 2 edits, no .vsix) prints its table and writes the results section. No timing is asserted: only that every
// measurement produced a number. Needs `npm run build` (npm test runs it first).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateMonorepo } from "../../bench/generate.mjs";
import { END, START, writeResults } from "../../bench/report.mjs";

const root = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "wtl-bench-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const tools = process.env.ORACLE_TOOLS_DIR ?? join(root, ".scratch", "oracle-tools");
const haveWrangler = existsSync(join(tools, "wrangler", "node_modules", "wrangler", "package.json"));

test("the generator writes Workers in three formats, workflows and tokens that check links", () => {
  const ws = generateMonorepo(join(tmp, "ws"), { configs: 40 });
  assert.equal(ws.configs.length, 40);
  assert.deepEqual(
    new Set(ws.configs.map((c) => c.slice(c.lastIndexOf("/") + 1))),
    new Set(["wrangler.toml", "wrangler.json", "wrangler.jsonc"]),
  );
  assert.equal(readdirSync(join(ws.root, ".github", "workflows")).length, 8);
  assert.ok(
    readFileSync(join(ws.root, ".github", "workflows", "deploy-0.yml"), "utf8").includes(
      "cloudflare/wrangler-action@v3",
    ),
  );
  assert.ok(readFileSync(ws.configs[0], "utf8").includes("[env.production]"));
  const r = spawnSync(
    process.execPath,
    [
      join(root, "bin", "wrangler-token-lint.js"),
      "check",
      ws.root,
      "--format",
      "json",
      "--fail-on",
      "none",
      "--today",
      "2026-12-01",
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    summary: { configs: number; deploys: number; tokens: number };
    findings: { rule: string; file: string }[];
  };
  assert.deepEqual(out.summary, { configs: 40, deploys: 40, tokens: 2 });
  // blast-radius is reported only for a token linked to its deploys: the Terraform one through its
  // github_actions_secret, the JSON one through tokenSecrets in the project file.
  const linked = new Set(out.findings.filter((f) => f.rule === "blast-radius").map((f) => f.file));
  assert.deepEqual(linked, new Set(["infra/tokens/token-0.tf", "tokens/token-1.json"]));
});

test("the results section replaces itself and keeps the rest of the file", () => {
  const file = join(tmp, "RESULTS.md");
  writeFileSync(file, "# Benchmark results\n\n## Fuzz\n\nkept\n");
  const r = { sizes: {}, lsp: {}, workspaces: {} };
  const meta = { runs: 1, edits: 0, wrangler: false, minutes: 0, load: { start: "0", end: "0" } };
  writeResults(file, "| first |", r, meta);
  writeResults(file, "| second |", r, meta);
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes("## Fuzz\n\nkept"));
  assert.equal(text.split(START).length, 2);
  assert.ok(text.includes("| second |") && !text.includes("| first |"));
  assert.ok(text.indexOf(END) > text.indexOf("| second |"));
});

test("a tiny run of the whole benchmark prints a number for every measurement", () => {
  const results = join(tmp, "bench-RESULTS.md");
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "bench", "bench.mjs"),
      "--sizes",
      "10",
      "--lsp-sizes",
      "10",
      "--runs",
      "1",
      "--edits",
      "2",
      "--no-vsix",
      "--results",
      results,
    ],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  const rows = new Map(
    r.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("|").map((c) => c.trim()))
      .map((c) => [c[1]!, c[2]!]),
  );
  assert.equal(rows.get("configs"), "10");
  const number = /^(\*\*)?[\d,.]+(×\*\*)?$/;
  for (const label of [
    "`check` process (ms)",
    "bare-parse process, the floor (ms)",
    "**`check` ÷ bare-parse process**",
    "in-process analysis (ms)",
    "in-process bare parse (ms)",
    "**analysis ÷ bare parse, in-process**",
    "LSP first analysis after open (ms)",
  ])
    assert.match(rows.get(label) ?? "", number, label);
  for (const label of [
    "wrangler `unstable_readConfig` process (ms)",
    "**`check` ÷ wrangler process**",
    "**analysis ÷ wrangler, in-process**",
  ])
    assert.match(rows.get(label) ?? "", haveWrangler ? number : /^·$/, label);
  assert.match(rows.get("LSP didChange→publishDiagnostics p50 / p99, client (ms)") ?? "", /^[\d.,]+ \/ [\d.,]+$/);
  assert.match(rows.get("LSP change→diagnostics sent p50 / p99, server (ms)") ?? "", /^[\d.,]+ \/ [\d.,]+$/);
  assert.match(rows.get("server RSS after load / after edits / peak (MB)") ?? "", /^\d+ \/ \d+ \/ \d+$/);
  const written = readFileSync(results, "utf8");
  assert.ok(written.includes(START) && written.includes(r.stdout.trim()));
  assert.match(written, /Machine: .+, \d+ cores, \d+ GiB RAM/);
  assert.ok(!written.includes(tmpdir()) && !written.includes(root), "no machine paths in the results");
});
