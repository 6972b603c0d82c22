// `check --fix` on copies of the editor fixtures: the files change exactly as the language server's Fix all
// (source.fixAll) would change them, every other byte and file stays, stderr says what was fixed, and a
// second check no longer reports the fixed findings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { CodeAction, TextEdit } from "vscode-languageserver-protocol";
import { main } from "../../server/src/cli/main.js";
import { LspClient, REPO, applyEdits, uri } from "../lsp/harness.js";

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd: REPO, env: {}, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** What the language server's Fix all does to each file of a copy of the fixture. */
async function lspFixAll(fixture: string, settings: Record<string, unknown>): Promise<Map<string, string>> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "wtl-fix-lsp-")));
  cpSync(fixture, dir, { recursive: true });
  const c = await LspClient.start(dir, { settings });
  try {
    await c.waitFor("diagnostics", () => ([...c.diagnostics.values()].some((d) => d.length) ? true : undefined));
    const files = tree(dir);
    const edits = new Map<string, TextEdit[]>();
    for (const file of files.keys()) {
      const actions = await c.request<CodeAction[]>("textDocument/codeAction", {
        textDocument: { uri: uri(join(dir, file)) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ["source.fixAll"] },
      });
      for (const [u, es] of Object.entries(actions[0]?.edit?.changes ?? {})) {
        const f = relative(dir, new URL(u).pathname);
        const have = edits.get(f) ?? [];
        // Fix all of one file may reach another; the same edit asked for from both files counts once.
        for (const e of es) if (!have.some((h) => JSON.stringify(h) === JSON.stringify(e))) have.push(e);
        edits.set(f, have);
      }
    }
    return new Map([...files].map(([f, text]) => [f, edits.has(f) ? applyEdits(text, edits.get(f)!) : text]));
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASES = [
  {
    name: "JSON token (shop)",
    fixture: "test/fixtures/lsp/shop",
    settings: { tokenSecrets: { "deploy-token.json": ["CLOUDFLARE_API_TOKEN"] } },
    flags: ["--token-secret", "deploy-token.json=CLOUDFLARE_API_TOKEN"],
    fixed: ["unneeded-group"],
  },
  {
    name: "Terraform token (workbench)",
    fixture: "test/fixtures/lsp/workbench",
    settings: {},
    flags: [],
    fixed: ["missing-group", "missing-group", "missing-group", "no-expiry", "unneeded-group", "unneeded-group"],
  },
];

for (const k of CASES) {
  test(`check --fix writes what Fix all in the editor writes: ${k.name}`, async (t) => {
    const fixture = join(REPO, k.fixture);
    const expected = await lspFixAll(fixture, k.settings);
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "wtl-fix-cli-")));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(fixture, dir, { recursive: true });
    const before = tree(dir);
    const first = await cli(["check", dir, ...k.flags, "--format", "json", "--fail-on", "none"]);
    const fixedBefore = (JSON.parse(first.stdout) as { findings: { rule: string; fixes: string[] }[] }).findings;

    const r = await cli(["check", dir, "--fix", ...k.flags, "--format", "json", "--fail-on", "none"]);
    assert.equal(r.code, 0, r.stderr);
    const after = tree(dir);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    const changed = [...after].filter(([f, text]) => before.get(f) !== text).map(([f]) => f);
    assert.ok(changed.length > 0, "nothing changed");
    for (const [f, text] of after) assert.equal(text, expected.get(f), `${f} as the editor's Fix all leaves it`);
    // stderr names each fixed finding, then the files written.
    const said = r.stderr
      .split("\n")
      .filter((l) => l.startsWith("fixed "))
      .map((l) => /\[([a-z-]+)\]/.exec(l)![1]);
    assert.deepEqual(said.sort(), [...k.fixed].sort());
    assert.match(
      r.stderr,
      new RegExp(`${k.fixed.length} findings? fixed in ${changed.sort().join(", ").replace(/[.]/g, "\\.")}`),
    );

    // The report after --fix is a fresh check: the fixed findings are gone, and a second check agrees.
    const left = (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    const again = await cli(["check", dir, ...k.flags, "--format", "json", "--fail-on", "none"]);
    assert.deepEqual(
      (JSON.parse(again.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule),
      left,
    );
    assert.equal(left.length, fixedBefore.length - k.fixed.length, `left: ${left.join(", ")}`);
    for (const rule of new Set(k.fixed))
      assert.equal(
        left.filter((x) => x === rule).length,
        fixedBefore.filter((f) => f.rule === rule).length - k.fixed.filter((x) => x === rule).length,
        rule,
      );
  });
}

test("a finding with only an unsafe fix: --fix leaves it, --fix-unsafe writes the reviewed fix", async (t) => {
  // The rule case's fixed/ folder is the reviewed result of its fix (test/rules/rules.test.ts); the copy leaves
  // it and expected.txt out, as the rules harness does.
  const fixture = join(REPO, "test/fixtures/rules/per-worker-scoping-possible/positive-account-token");
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "wtl-fix-unsafe-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(fixture, dir, {
    recursive: true,
    filter: (src) => !["expected.txt", "fixed"].includes(relative(fixture, src).split("/")[0]!),
  });
  const before = tree(dir);
  const safe = await cli(["check", dir, "--fix", "--fail-on", "none"]);
  assert.equal(safe.code, 0, safe.stderr);
  assert.doesNotMatch(safe.stderr, /^fixed /m);
  assert.deepEqual(tree(dir), before);
  const unsafe = await cli(["check", dir, "--fix-unsafe", "--fail-on", "none"]);
  assert.equal(unsafe.code, 0, unsafe.stderr);
  assert.match(unsafe.stderr, /^fixed infra\/token\.tf:\d+:\d+ \[per-worker-scoping-possible\] .* \(unsafe\)$/m);
  const after = tree(dir);
  assert.equal(after.get("infra/token.tf"), readFileSync(join(fixture, "fixed", "infra", "token.tf"), "utf8"));
  for (const [f, text] of after) if (f !== "infra/token.tf") assert.equal(text, before.get(f), f);
  assert.doesNotMatch(unsafe.stdout, /per-worker-scoping-possible/);
});
