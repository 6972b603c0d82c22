// The benchmark's output: one Markdown table (a row per measurement, a column per workspace size) and the
// section of bench/RESULTS.md between the bench markers (the rest of that file is left as it is).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, type, release } from "node:os";

export const START = "<!-- bench:start (written by npm run bench) -->";
export const END = "<!-- bench:end -->";

export function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model?.trim() ?? "unknown",
    cores: c.length,
    ramGiB: totalmem() / 2 ** 30,
    os: `${type()} ${release()}`,
    node: process.version,
    load: loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
  };
}

const ms = (x) => (x === undefined ? undefined : x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
const mb = (x) => (x === undefined ? undefined : Math.round(x).toString());
const ratio = (a, b) => (a === undefined || b === undefined || !b ? undefined : `**${(a / b).toFixed(2)}×**`);

/** The table: every measurement as a row, every workspace size (configs) as a column; "·" where not measured. */
export function renderTable(r) {
  const cols = [...new Set([...Object.keys(r.sizes), ...Object.keys(r.lsp)].map(Number))].sort((a, b) => a - b);
  const rows = [];
  const row = (label, cell) => rows.push([label, ...cols.map((n) => cell(n) ?? "·")]);
  const s = (f) => (n) => (r.sizes[n] ? f(r.sizes[n]) : undefined);
  const l = (f) => (n) => (r.lsp[n] ? f(r.lsp[n]) : undefined);
  row("workflows / token definitions", (n) =>
    r.workspaces[n] ? `${r.workspaces[n].workflows} / ${r.workspaces[n].tokens}` : undefined,
  );
  row(
    "`check` process (ms)",
    s((x) => ms(x.check)),
  );
  row(
    "bare-parse process, the floor (ms)",
    s((x) => ms(x.floor)),
  );
  row(
    "wrangler `unstable_readConfig` process (ms)",
    s((x) => ms(x.wrangler)),
  );
  row(
    "**`check` ÷ bare-parse process**",
    s((x) => ratio(x.check, x.floor)),
  );
  row(
    "**`check` ÷ wrangler process**",
    s((x) => ratio(x.check, x.wrangler)),
  );
  row(
    "`check` ÷ bare parse / ÷ wrangler, process CPU time",
    s((x) =>
      [ratio(x.checkCpu, x.floorCpu), ratio(x.checkCpu, x.wranglerCpu)]
        .map((v) => v?.replaceAll("**", "") ?? "–")
        .join(" / "),
    ),
  );
  row(
    "peak RSS: `check` / bare parse / wrangler (MB)",
    s((x) => [x.checkRss, x.floorRss, x.wranglerRss].map((v) => mb(v) ?? "–").join(" / ")),
  );
  row(
    "in-process analysis (ms)",
    s((x) => ms(x.analysis)),
  );
  row(
    "in-process bare parse (ms)",
    s((x) => ms(x.bare)),
  );
  row(
    "in-process wrangler `unstable_readConfig` (ms)",
    s((x) => ms(x.wranglerIn)),
  );
  row(
    "**analysis ÷ bare parse, in-process**",
    s((x) => ratio(x.analysis, x.bare)),
  );
  row(
    "**analysis ÷ wrangler, in-process**",
    s((x) => ratio(x.analysis, x.wranglerIn)),
  );
  row(
    "LSP didChange→publishDiagnostics p50 / p99, client (ms)",
    l((x) => `${ms(x.clientP50)} / ${ms(x.clientP99)}`),
  );
  row(
    "LSP change→diagnostics sent p50 / p99, server (ms)",
    l((x) => (x.serverP50 === undefined ? undefined : `${ms(x.serverP50)} / ${ms(x.serverP99)}`)),
  );
  row(
    "LSP first analysis after open (ms)",
    l((x) => ms(x.loadMs)),
  );
  row(
    "server RSS after load / after edits / peak (MB)",
    l((x) => [x.rssAfterLoad, x.rssAfterEdits, x.rssPeak].map((v) => mb(v) ?? "–").join(" / ")),
  );
  if ("vsixBytes" in r)
    row("`.vsix` size (KiB; same at every size)", (n) =>
      n === cols[0] && r.vsixBytes !== undefined ? Math.round(r.vsixBytes / 1024).toLocaleString("en-US") : undefined,
    );
  const header = ["configs", ...cols.map((n) => n.toLocaleString("en-US"))];
  return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function description(r, meta) {
  const m = machine();
  const found = Object.entries(r.workspaces)
    .filter(([, w]) => w.found)
    .map(
      ([n, w]) =>
        `${Number(n).toLocaleString("en-US")}: ${w.files.toLocaleString("en-US")} files, ${Math.round(w.kib).toLocaleString("en-US")} KiB, analysis found ${[w.found.configs, w.found.deploys, w.found.tokens, w.found.findings].map((x, i) => `${x.toLocaleString("en-US")} ${["configs", "deploys", "tokens", "findings"][i]}`).join(", ")}`,
    );
  return [
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${meta.minutes.toFixed(1)} min; medians of ${meta.runs} run(s), ${meta.edits} edits per language-server session.`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(0)} GiB RAM, ${m.os}; Node ${m.node} for this project's processes` +
      (meta.wrangler
        ? `, Node ${meta.node22} for wrangler ${meta.wranglerVersion}.`
        : "; wrangler not installed (its rows are empty)."),
    `Load average (1, 5, 15 min) at the start: ${meta.load.start}; at the end: ${meta.load.end}.` +
      (meta.note ? ` ${meta.note}` : ""),
    "",
    `Workspaces (bench/generate.mjs): ${found.join("; ")}.`,
  ].join("\n");
}

/** Replaces the bench section of the results file (creating the file when missing). */
export function writeResults(path, table, r, meta) {
  const section = `${START}\n${description(r, meta)}\n\n${table}\n${END}`;
  const old = existsSync(path) ? readFileSync(path, "utf8") : `# Benchmark results\n\n${START}\n${END}\n`;
  const a = old.indexOf(START);
  const b = old.indexOf(END);
  const next =
    a >= 0 && b > a ? old.slice(0, a) + section + old.slice(b + END.length) : `${old.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}
