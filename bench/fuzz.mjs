// The long fuzz run: N inputs (default 100,000) through the whole workspace analysis, with the property of
// test/fuzz/cases.ts (never throws, every range inside its file), timing each file and watching memory.
// Inputs: mutated corpus files and test fixtures (68 %), generated TOML / JSON / JSONC / YAML / HCL / token JSON
// (31.7 %), and large files (0.3 %: a seed repeated to 64 KB–1 MB, then mutated). Each input runs in a worker
// process with a 512 MB heap limit and a 10 s budget: a worker that runs out of either is replaced and the input
// counted as a failure. Memory: every input of 64 KB–1 MB is also checked by the built CLI (`check`, in a
// workspace written to a temporary folder), whose peak RSS is what analysing that file needs (the 300 MB limit);
// the worker's own peak (it keeps the harness and every earlier input's garbage) is reported beside it.
// Needs the bundles: `npm run fuzz` builds first. Prints a Markdown result for bench/RESULTS.md (also written to
// test-output/fuzz-result.md, rewritten as it goes, so an interrupted run still says how far it got). Asserts nothing.
// Failing inputs are written with --save (the smallest 3 of each kind of failure): up to 64 KB to test/fixtures/fuzz/,
// larger ones to test-output/fuzz-large/ (not committed; for looking into them).
// Run: npm run fuzz -- [cases=100000] [--seed N] [--save]
import { fork, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import os from "node:os";
import fc from "fast-check";
import cases from "../test/fuzz/cases.ts";

const args = process.argv.slice(2);
const seedAt = args.indexOf("--seed");
const N = Number(args.find((a, i) => /^\d+$/.test(a) && (seedAt < 0 || i !== seedAt + 1)) ?? 100000);
const SEED = seedAt >= 0 ? Number(args[seedAt + 1]) : 20261203;
const SAVE = args.includes("--save");
const TIMEOUT_MS = 10000;
const BATCH = 500;
const LIMIT_TIME_MS = 1000;
const LIMIT_RSS = 300 * 1024 * 1024;
const outFile = join(cases.REPO, "test-output", "fuzz-result.md");
mkdirSync(join(cases.REPO, "test-output"), { recursive: true });

const seeds = cases.seeds();
const big = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.integer({ min: 64 * 1024, max: 1024 * 1024 }),
    fc.array(fc.nat(), { maxLength: 3 }),
  )
  .map(([s, size, cuts]) => {
    let text = s.text || "x\n";
    while (text.length < size) text += "\n" + s.text;
    text = text.slice(0, size);
    for (const c of cuts) text = text.slice(0, c % text.length) + text.slice((c % text.length) + 7);
    return { kind: s.kind, text, origin: `${s.origin} (repeated)` };
  });
const arb = fc.oneof(
  { weight: 680, arbitrary: cases.mutatedSeed(seeds) },
  { weight: 317, arbitrary: cases.generated() },
  { weight: 3, arbitrary: big },
);

const stats = {
  done: 0,
  failed: 0,
  timeouts: 0,
  oom: 0,
  maxMs: 0,
  maxMsBytes: 0,
  slow: 0,
  peakRss: 0,
  peakHeap: 0,
  bigPeakRss: 0,
  bigPeakBytes: 0,
  bigPeakKind: "",
  bigOverLimit: 0,
  big: 0,
  bytes: 0,
  ms: [],
};
const failures = new Map(); // signature → inputs
const started = Date.now();

function record(input, problems) {
  stats.failed++;
  for (const p of problems) {
    const sig = `${input.kind}: ${p.replace(/\d+/g, "N").split("\n")[0].slice(0, 140)}`;
    const list = failures.get(sig) ?? [];
    list.push(input);
    list.sort((a, b) => a.text.length - b.text.length);
    failures.set(sig, list.slice(0, 3));
  }
}

let worker;
let ready;
function startWorker() {
  worker = fork(new URL("./fuzz-worker.mjs", import.meta.url), [], {
    execArgv: ["--import", "tsx", "--max-old-space-size=512"],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const w = worker;
  w.lastError = "";
  w.stderr.on("data", (d) => (w.lastError = (w.lastError + String(d)).slice(-4000)));
  ready = new Promise((resolve) => worker.once("message", resolve));
}

const BIG = 64 * 1024;
const CLI = join(cases.REPO, "bin", "wrangler-token-lint.js");
const RSS_PRELOAD = join(cases.REPO, "bench", "rss.cjs");

/** The peak RSS of the `check` process (the built CLI) on the input's workspace written to a temporary folder. */
function cliPeakRss(input) {
  const dir = mkdtempSync(join(os.tmpdir(), "wtl-fuzz-"));
  try {
    for (const [path, text] of cases.workspaceFor(input)) {
      const file = join(dir, path.replace(/^\/fz\//, ""));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const out = join(dir, ".rss.json");
    const r = spawnSync(
      process.execPath,
      ["--require", RSS_PRELOAD, CLI, "check", dir, "--format", "json", "--fail-on", "none"],
      {
        env: { ...process.env, WTL_BENCH_RSS: out },
        stdio: "ignore",
        timeout: 60000,
      },
    );
    if (r.status !== 0) return undefined;
    return JSON.parse(readFileSync(out, "utf8")).maxRSS * 1024;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOne(id, input) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.removeAllListeners("message");
      worker.removeAllListeners("exit");
      worker.kill("SIGKILL");
      stats.timeouts++;
      resolve({ violations: [`no answer within ${TIMEOUT_MS / 1000} s`], ms: TIMEOUT_MS, lost: true });
    }, TIMEOUT_MS);
    worker.once("message", (m) => {
      clearTimeout(timer);
      worker.removeAllListeners("exit");
      resolve(m);
    });
    worker.once("exit", (code, signal) => {
      clearTimeout(timer);
      worker.removeAllListeners("message");
      const oom = /heap out of memory/i.test(worker.lastError ?? "");
      stats.oom += oom ? 1 : 0;
      resolve({
        violations: [oom ? "worker ran out of memory (512 MB heap)" : `worker died (${signal ?? code})`],
        ms: 0,
        lost: true,
      });
    });
    worker.send({ id, input });
  });
}

function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

function report(final) {
  const sorted = [...stats.ms].sort((a, b) => a - b);
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  const lines = [
    `### Fuzz run (${final ? "complete" : "in progress"}): ${stats.done.toLocaleString("en")} of ${N.toLocaleString("en")} cases, seed ${SEED}`,
    "",
    `Machine: ${os.cpus()[0]?.model ?? "?"} (${os.cpus().length} cores, shared), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z; ${secs} s.`,
    "",
    "| measure | value | limit |",
    "|---|---|---|",
    `| cases failing the property (throw, rule failure, range outside its file, no answer, worker died) | ${stats.failed} | 0 |`,
    `| distinct failures | ${failures.size} | 0 |`,
    `| no answer within ${TIMEOUT_MS / 1000} s / worker out of memory (512 MB heap) | ${stats.timeouts} / ${stats.oom} | 0 / 0 |`,
    `| per-file analysis time p50 / p99 / max | ${pct(sorted, 50).toFixed(1)} / ${pct(sorted, 99).toFixed(1)} / ${stats.maxMs.toFixed(0)} ms (max on a ${(stats.maxMsBytes / 1024).toFixed(0)} KB file) | ≤ 1,000 ms (files ≤ 1 MB) |`,
    `| files over 1 s | ${stats.slow} | 0 |`,
    `| peak RSS of the \`check\` process on one input of 64 KB–1 MB (${stats.big} inputs; the peak on a ${(stats.bigPeakBytes / 1024).toFixed(0)} KB ${stats.bigPeakKind || "-"} file) | ${(stats.bigPeakRss / 2 ** 20).toFixed(0)} MB | ≤ 300 MB |`,
    `| inputs of 64 KB–1 MB whose \`check\` went over 300 MB | ${stats.bigOverLimit} | 0 |`,
    `| the worker analysing every input in turn (tsx, fast-check, the seeds loaded): peak RSS / peak heap | ${(stats.peakRss / 2 ** 20).toFixed(0)} / ${(stats.peakHeap / 2 ** 20).toFixed(0)} MB | |`,
    `| input volume | ${(stats.bytes / 2 ** 20).toFixed(0)} MB | |`,
  ];
  if (failures.size) {
    lines.push("", "Failures (kind: first line of what broke — cases):", "");
    for (const [sig, list] of [...failures].sort())
      lines.push(
        `- \`${sig.replace(/`/g, "'")}\` (smallest input ${list[0].text.length} chars, from ${list[0].origin})`,
      );
  }
  const md = lines.join("\n") + "\n";
  writeFileSync(outFile, md);
  return md;
}

/** Failing inputs: up to 64 KB into test/fixtures/fuzz/ (regression fixtures), larger ones into test-output/fuzz-large/. */
function save() {
  const large = join(cases.REPO, "test-output", "fuzz-large");
  let n = 0;
  for (const list of failures.values()) {
    for (const input of list) {
      const h = createHash("sha256")
        .update(input.kind + "\0" + input.text)
        .digest("hex")
        .slice(0, 12);
      const dir = input.text.length <= 64 * 1024 ? cases.REGRESSIONS : large;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${h}.${input.kind}.txt`), input.text);
      n++;
    }
  }
  console.error(`saved ${n} failing inputs (up to 64 KB in test/fixtures/fuzz/, larger in test-output/fuzz-large/)`);
}

startWorker();
await ready;
for (let base = 0; base < N; base += BATCH) {
  const batch = fc.sample(arb, { numRuns: Math.min(BATCH, N - base), seed: SEED + base });
  for (const input of batch) {
    const r = await runOne(stats.done, input);
    stats.done++;
    stats.bytes += input.text.length;
    if (r.lost) {
      startWorker();
      await ready;
    } else {
      stats.ms.push(r.ms);
      stats.peakRss = Math.max(stats.peakRss, r.rss);
      stats.peakHeap = Math.max(stats.peakHeap, r.heap);
    }
    if (input.text.length >= BIG && input.text.length <= 1024 * 1024) {
      const need = cliPeakRss(input);
      stats.big++;
      if (need === undefined) r.violations = [...r.violations, "the check process failed"];
      else if (need > LIMIT_RSS) {
        stats.bigOverLimit++;
        r.violations = [...r.violations, `check needed ${Math.round(need / 2 ** 20)} MB`];
      }
      if ((need ?? 0) > stats.bigPeakRss) {
        stats.bigPeakRss = need;
        stats.bigPeakBytes = input.text.length;
        stats.bigPeakKind = input.kind;
      }
    }
    if (r.ms > stats.maxMs) {
      stats.maxMs = r.ms;
      stats.maxMsBytes = input.text.length;
    }
    if (r.ms > LIMIT_TIME_MS && input.text.length <= 1024 * 1024) {
      stats.slow++;
      r.violations = [...r.violations, ...(r.lost ? [] : [`took ${Math.round(r.ms / 1000)} s`])];
    }
    if (r.violations.length) record(input, r.violations);
  }
  report(false);
  if (SAVE) save();
  console.error(`${stats.done} cases, ${stats.failed} failing, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
worker.kill();
console.log(report(true));
if (stats.bigOverLimit)
  console.log(
    `${stats.bigOverLimit} files of 64 KB–1 MB needed more than 300 MB (peak ${(stats.bigPeakRss / 2 ** 20).toFixed(0)} MB)`,
  );
