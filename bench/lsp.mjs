// Language server latency on a generated 200-Worker workspace: time from textDocument/didChange to the
// publishDiagnostics that reflects it, over N edits of one wrangler.toml (alternating a syntax error in and out,
// so every edit changes that file's diagnostics). Uses the stdio test harness against the bundled server.
// Prints p50/p90/p99/max; asserts nothing. Debounce is 0 unless WRANGLER_TOKEN_LINT_DEBOUNCE_MS says otherwise
// (the server's default of 200 ms adds to every number).
// Run: npm run bench:lsp   (node --import tsx bench/lsp.mjs [edits=100])
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import harness from "../test/lsp/harness.ts"; // CommonJS under tsx: its exports arrive as the default

const { LspClient } = harness;

process.env.WTL_TIMING = "1"; // the server then logs each analysis' timing to stderr (read below)
const WORKERS = 200;
const EDITS = Number(process.argv[2] ?? 100);
const root = join(tmpdir(), `wtl-bench-lsp-${process.pid}`);
const account = "0123456789abcdef0123456789abcdef";

function config(i, broken) {
  return [
    `name = "worker-${i}"`,
    `main = "src/index.js"`,
    `compatibility_date = "2025-06-01"`,
    `account_id = "${account}"`,
    ``,
    `[[kv_namespaces]]`,
    `binding = "KV"`,
    `id = "${i.toString(16).padStart(32, "a")}"`,
    ...(i % 3 === 0 ? [``, `[[r2_buckets]]`, `binding = "FILES"`, `bucket_name = "files-${i}"`] : []),
    ...(i % 5 === 0 ? [``, `[[d1_databases]]`, `binding = "DB"`, `database_name = "db-${i}"`, `database_id = "${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000"`] : []),
    ``,
    `[env.production]`,
    `routes = [{ pattern = "w${i}.example.com/*", zone_name = "example.com" }]`,
    broken ? `vars = { MODE = "x" } oops` : `vars = { MODE = "x" }`,
    ``,
  ].join("\n");
}

// 200 Workers, 20 workflows deploying 10 each, 20 token bodies (one per workflow secret).
for (let i = 0; i < WORKERS; i++) {
  mkdirSync(join(root, "workers", `w${i}`, "src"), { recursive: true });
  writeFileSync(join(root, "workers", `w${i}`, "wrangler.toml"), config(i, false));
  writeFileSync(join(root, "workers", `w${i}`, "src", "index.js"), "export default { fetch: () => new Response('ok') };\n");
}
mkdirSync(join(root, ".github", "workflows"), { recursive: true });
mkdirSync(join(root, "tokens"), { recursive: true });
const tokenSecrets = {};
for (let w = 0; w < 20; w++) {
  const steps = [];
  for (let k = 0; k < 10; k++) {
    const i = w * 10 + k;
    steps.push(`      - uses: cloudflare/wrangler-action@v3`, `        with:`, `          apiToken: \${{ secrets.TOKEN_${w} }}`, `          workingDirectory: workers/w${i}`, `          command: deploy --env production`);
  }
  writeFileSync(join(root, ".github", "workflows", `deploy-${w}.yml`), ["name: deploy", "on: push", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    steps:", "      - uses: actions/checkout@v4", ...steps, ""].join("\n"));
  writeFileSync(
    join(root, "tokens", `token-${w}.json`),
    JSON.stringify({ name: `deploy ${w}`, policies: [{ effect: "allow", permission_groups: [{ id: "e086da7e2179491d91ee5f35b3ca210a", name: "Workers Scripts Write" }, { id: "f7f0eda5697f475c90846e879bab8666", name: "Workers KV Storage Write" }], resources: { [`com.cloudflare.api.account.${account}`]: "*" } }] }, null, 2),
  );
  tokenSecrets[`tokens/token-${w}.json`] = [`TOKEN_${w}`];
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const debounce = process.env.WRANGLER_TOKEN_LINT_DEBOUNCE_MS ?? "0";
const client = await LspClient.start(root, { settings: { tokenSecrets }, env: { WRANGLER_TOKEN_LINT_DEBOUNCE_MS: debounce } });
try {
  const file = join(root, "workers", "w7", "wrangler.toml");
  const t0 = performance.now();
  await client.open(file, "toml", config(7, false));
  const first = await client.waitFor("first analysis", () => client.statuses.at(-1), 120000);
  console.log(`workspace: ${WORKERS} Workers, 20 workflows, 20 tokens → status ${JSON.stringify(first)}`);
  console.log(`first analysis after open: ${(performance.now() - t0).toFixed(0)} ms`);
  const times = [];
  for (let n = 1; n <= EDITS; n++) {
    const broken = n % 2 === 1;
    const start = performance.now();
    await client.change(file, config(7, broken));
    await client.waitForDiagnostics(file, (ds) => ds.some((d) => d.code === "toml-syntax") === broken, 60000);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const f = (x) => `${x.toFixed(1)} ms`;
  // The transport's own round trip, for scale: a request the server answers without analysing anything.
  const rtt = [];
  for (let n = 0; n < 50; n++) {
    const start = performance.now();
    await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: `file://${file}` }, position: { line: 200, character: 0 } });
    rtt.push(performance.now() - start);
  }
  rtt.sort((a, b) => a - b);
  console.log(`round trip of a request that does no analysis: p50 ${f(pct(rtt, 50))}, p99 ${f(pct(rtt, 99))}`);
  console.log(`didChange → publishDiagnostics over ${EDITS} edits (debounce ${debounce} ms): p50 ${f(pct(times, 50))}, p90 ${f(pct(times, 90))}, p99 ${f(pct(times, 99))}, max ${f(times.at(-1))}`);
  // The server's own share (it logs each analysis when WTL_TIMING is set): from the change to the diagnostics sent.
  const server = client.logs
    .join("")
    .split("\n")
    .map((l) => /^timing change→start ([\d.]+) ms, analyse\+convert (\d+) ms, publish (\d+) ms/.exec(l))
    .filter(Boolean)
    .slice(-EDITS)
    .map((m) => Number(m[1]) + Number(m[2]) + Number(m[3]))
    .sort((a, b) => a - b);
  if (server.length) console.log(`inside the server, change → diagnostics sent: p50 ${f(pct(server, 50))}, p90 ${f(pct(server, 90))}, p99 ${f(pct(server, 99))}`);
} finally {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
}
