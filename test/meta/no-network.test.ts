// No network, no exec: the built CLI (`check` in every format, `minimal` in every format) and the bundled language
// server run over the whole shared corpus and the examples with test/trap/no-network.cjs preloaded
// (NODE_OPTIONS=--require): net, tls, http(s), http2, dgram, dns, fetch/WebSocket and child_process entry points
// throw and log the attempt. Any logged attempt fails the test. Only `record` (which runs wrangler against a local
// mock) and `audit` (which reads the live token, opt-in) may use them; they are not run here.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { LspClient, uri } from "../lsp/harness.js";

const REPO = join(import.meta.dirname, "..", "..");
const CORPUS = join(REPO, "..", "shared", "corpus");
const BIN = join(REPO, "bin", "wrangler-token-lint.js");
const TRAP = join(REPO, "test", "trap", "no-network.cjs");
const scratch = mkdtempSync(join(tmpdir(), "wtl-trap-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const LOG = join(scratch, "attempts.log");
writeFileSync(LOG, "");
const ENV = {
  ...process.env,
  NODE_OPTIONS: `--require ${TRAP}`,
  WTL_TRAP_LOG: LOG,
  CLOUDFLARE_API_TOKEN: "",
  CLOUDFLARE_API_BASE_URL: "",
};

const attempts = () => readFileSync(LOG, "utf8").trim();
const roots = () => [
  CORPUS,
  join(REPO, "examples"),
  ...readdirSync(CORPUS)
    .map((n) => join(CORPUS, n))
    .filter((p) => statSync(p).isDirectory()),
];

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: ENV, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function configsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(p).isDirectory()) out.push(...configsUnder(p));
    else if (/^wrangler(\.[\w-]+)?\.(toml|jsonc?)$/.test(name)) out.push(p);
  }
  return out;
}

test("the trap works: a trapped process cannot open a socket or start a process, and the attempt is logged", () => {
  const probe = join(scratch, "probe.js");
  writeFileSync(
    probe,
    'try { require("node:https").get("https://example.invalid/"); } catch {} try { require("node:child_process").execSync("true"); } catch {} try { fetch("http://127.0.0.1:9/"); } catch {}\n',
  );
  const r = spawnSync(process.execPath, [probe], {
    env: { ...ENV, WTL_TRAP_LOG: join(scratch, "probe.log") },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const logged = readFileSync(join(scratch, "probe.log"), "utf8");
  for (const what of ["https.get", "child_process.execSync", "fetch"])
    assert.match(logged, new RegExp(what.replace(".", "\\.")));
  // The bundled CLI is trapped too: `record` (allowed to, outside this test) starts its recording proxy first.
  writeFileSync(join(scratch, "wrangler.toml"), 'name = "x"\nmain = "x.js"\n');
  const rec = spawnSync(process.execPath, [BIN, "record", "--config", join(scratch, "wrangler.toml"), "--", "true"], {
    env: { ...ENV, WTL_TRAP_LOG: join(scratch, "record.log") },
    encoding: "utf8",
    timeout: 30000,
  });
  assert.notEqual(rec.status, 0);
  assert.match(readFileSync(join(scratch, "record.log"), "utf8"), /http\.createServer .*startRecordingProxy/);
});

test("check over the whole corpus in every format, and over each repository in it: no socket, no process", () => {
  // The corpus root holds every file; each repository as its own root also brings its CI files into play.
  const runs = [
    ...["text", "json", "sarif", "markdown"].map((format) => [CORPUS, format]),
    ...roots()
      .slice(1)
      .map((root, i) => [root, ["sarif", "json", "text", "markdown"][i % 4]!]),
  ];
  for (const [root, format] of runs) {
    const r = cli("check", root!, "--format", format!, "--fail-on", "none", "--today", "2026-11-23");
    assert.equal(r.code, 0, `${relative(REPO, root!)} --format ${format}: ${r.stderr}`);
  }
  assert.equal(attempts(), "", "check tried to use the network or start a process");
});

test("minimal for every config of the corpus, every format in turn: no socket, no process", () => {
  const configs = roots().slice(1).flatMap(configsUnder);
  assert.ok(configs.length > 40, `only ${configs.length} configs found`);
  configs.forEach((config, i) => {
    // Each config in one format, the formats taking turns (every format runs on about a fifth of the configs).
    const format = ["text", "json", "api", "terraform", "url"][i % 5]!;
    const r = cli("minimal", config, "--format", format);
    // 2 is a usage answer (a Pages config given to `deploy`), still without any socket or process.
    assert.ok(
      r.code !== null && r.code <= 2 && !/test trap/.test(r.stderr),
      `${relative(REPO, config)} --format ${format}: exit ${r.code}: ${r.stderr}`,
    );
  });
  assert.equal(attempts(), "", "minimal tried to use the network or start a process");
});

test("the language server over the whole corpus (diagnostics, hovers, lenses, code actions): no socket, no process", async (t) => {
  const c = await LspClient.start(CORPUS, { env: { NODE_OPTIONS: ENV.NODE_OPTIONS, WTL_TRAP_LOG: LOG } });
  t.after(() => c.stop());
  const files = roots().slice(1).flatMap(configsUnder);
  const workflows = readdirSync(CORPUS).flatMap((n) => {
    const d = join(CORPUS, n, ".github", "workflows");
    return existsSync(d) ? readdirSync(d).map((f) => join(d, f)) : [];
  });
  for (const f of [...files, ...workflows]) {
    await c.open(f, f.endsWith(".toml") ? "toml" : /\.ya?ml$/.test(f) ? "yaml" : "jsonc");
    const lines = readFileSync(f, "utf8").split("\n").length;
    for (const line of [0, lines >> 1, lines - 1])
      await c.request("textDocument/hover", { textDocument: { uri: uri(f) }, position: { line, character: 4 } });
    await c.request("textDocument/codeLens", { textDocument: { uri: uri(f) } });
    await c.request("textDocument/codeAction", {
      textDocument: { uri: uri(f) },
      range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
      context: { diagnostics: [] },
    });
  }
  await c.waitFor("diagnostics for the opened files", () => (c.diagnostics.size > 0 ? true : undefined), 60000);
  assert.doesNotMatch(c.logs.join("\n"), /test trap/, "the server hit the trap");
  assert.equal(attempts(), "", "the language server tried to use the network or start a process");
});
