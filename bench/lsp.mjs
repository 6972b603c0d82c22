// Language server latency and memory on a generated workspace (part of `npm run bench`): opens one wrangler.toml
// over stdio, waits for the first analysis of the whole workspace, then types N edits into that file (a syntax
// error in, then out again, so every edit changes its diagnostics) and times textDocument/didChange → the
// publishDiagnostics that reflects it. The server reports its own share (change received → diagnostics sent) on
// stderr when WTL_TIMING is set. RSS is read from /proc for the server process. Debounce is 0 (the server's
// default of 200 ms would add to every number). Asserts nothing.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import harness from "../test/lsp/harness.ts"; // CommonJS under tsx: its exports arrive as the default

const { LspClient } = harness;

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Resident and peak resident memory of a process in MB (Linux /proc), or undefined elsewhere. */
function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * One session: returns client-side and server-side p50/p99 (ms) and RSS (MB) after load and after the edits.
 * The server is the harness' (WTL_LSP_SERVER names a built one, else it bundles the sources).
 * @param {{ root: string, file: string, edits: number }} opts
 */
export async function lspSession({ root, file, edits }) {
  const client = await LspClient.start(root, { env: { WRANGLER_TOKEN_LINT_DEBOUNCE_MS: "0", WTL_TIMING: "1" } });
  try {
    const good = readFileSync(file, "utf8");
    const broken = good.replace(/^vars = \{ MODE = "production" \}$/m, `vars = { MODE = "production" } oops`);
    if (broken === good) throw new Error(`${file}: no production vars line to break`);
    const t0 = performance.now();
    await client.open(file, "toml", good);
    await client.waitFor("first analysis", () => client.statuses.at(-1), 300000);
    const loadMs = performance.now() - t0;
    const afterLoad = memory(client.proc.pid);
    const times = [];
    for (let n = 1; n <= edits; n++) {
      const isBroken = n % 2 === 1;
      const start = performance.now();
      await client.change(file, isBroken ? broken : good);
      await client.waitForDiagnostics(file, (ds) => ds.some((d) => d.code === "toml-syntax") === isBroken, 60000);
      times.push(performance.now() - start);
    }
    const afterEdits = memory(client.proc.pid);
    const server = client.logs
      .join("")
      .split("\n")
      .map((l) => /^timing change→start ([\d.]+) ms, analyse\+convert (\d+) ms, publish (\d+) ms/.exec(l))
      .filter(Boolean)
      .slice(-edits)
      .map((m) => Number(m[1]) + Number(m[2]) + Number(m[3]));
    return {
      loadMs,
      client: { p50: pct(times, 50), p99: pct(times, 99) },
      server: server.length ? { p50: pct(server, 50), p99: pct(server, 99) } : undefined,
      rssAfterLoad: afterLoad?.rss,
      rssAfterEdits: afterEdits?.rss,
      rssPeak: afterEdits?.hwm,
    };
  } finally {
    await client.stop();
  }
}
