// `wrangler-token-lint check`: every finding of a workspace, as text, JSON, SARIF 2.1.0 or Markdown.
import { statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { analyzeWorkspace, type SeveritySetting, type WorkspaceResult } from "../core/workspace.js";
import { RULES } from "../core/rules/index.js";
import { Database } from "../core/db.js";
import type { Finding } from "../core/findings.js";
import type { Severity } from "../core/problems.js";
import { relative } from "../core/path.js";
import { SourceFile } from "../core/source.js";
import { diskHost } from "../node/disk-host.js";
import { nodeHclParser } from "../node/hcl-wasm.js";
import { ruleDocsBase } from "../node/rule-docs.js";
import { parseArgs, UsageError } from "./args.js";
import type { Io } from "./main.js";
import { VERSION } from "./version.js";

export const CHECK_HELP = `wrangler-token-lint check [PATH] [options]

  Every finding of a workspace: CI deploys and the tokens they use, compared with what each deploy needs.
  PATH is the repository root (default: the current directory).

  --format FORMAT         text (default), json, sarif (SARIF 2.1.0 for GitHub code scanning), markdown (PR comment)
  --fail-on LEVEL         exit 1 when a finding is at or above error (default), warning or info; "none" never fails
  --rule ID=SEVERITY      override a rule's severity (error, warning, info, off); repeatable
  --token-secret T=SECRET link a token definition (name, Terraform address or file) to a CI secret; repeatable
  --token-glob GLOB       only read JSON token definitions matching GLOB (root-relative); repeatable
  --today YYYY-MM-DD      date used for suggested expiry dates (default: today)
`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
/** The rule pages installed with the package (a file: URI), else the package-relative folder. */
export const DOCS_BASE = (ruleDocsBase() ?? "docs/rules/").replace(/\/$/, "");

interface Reported {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: { file: string; line: number; column: number; message: string }[];
  fixes: string[];
}

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const multi = new Set(["rule", "token-secret", "token-glob"]);
  const collected: Record<string, string[]> = { rule: [], "token-secret": [], "token-glob": [] };
  const filtered: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith("--") ? a.slice(2).split("=")[0]! : "";
    if (multi.has(name)) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) return usage(io, `option --${name} needs a value`);
      collected[name]!.push(v);
    } else filtered.push(a);
  }
  let args;
  try {
    args = parseArgs(filtered, {
      format: { value: true, choices: ["text", "json", "sarif", "markdown"] },
      "fail-on": { value: true, choices: ["error", "warning", "info", "none"] },
      today: { value: true },
      help: { value: false, short: "h" },
    });
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (args.flags.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (args.positionals.length > 1) return usage(io, `expected one PATH, got ${args.positionals.length}`);
  const root = resolvePath(io.cwd, args.positionals[0] ?? ".");
  try {
    if (!statSync(root).isDirectory()) return usage(io, `${args.positionals[0]}: not a directory`);
  } catch {
    return usage(io, `${args.positionals[0]}: no such directory`);
  }
  const ruleSeverities: Record<string, SeveritySetting> = {};
  for (const r of collected.rule!) {
    const [id, sev] = r.split("=");
    if (!id || !RULES.some((x) => x.id === id)) return usage(io, `unknown rule "${id}" in --rule`);
    if (sev !== "error" && sev !== "warning" && sev !== "info" && sev !== "off") return usage(io, `--rule ${id}= must be error, warning, info or off`);
    ruleSeverities[id] = sev;
  }
  const tokenSecrets: Record<string, string[]> = {};
  for (const m of collected["token-secret"]!) {
    const eq = m.lastIndexOf("=");
    if (eq <= 0) return usage(io, `--token-secret needs TOKEN=SECRET (got "${m}")`);
    (tokenSecrets[m.slice(0, eq)] ??= []).push(m.slice(eq + 1));
  }
  const today = typeof args.flags.today === "string" ? args.flags.today : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return usage(io, "--today must be YYYY-MM-DD");
  let hcl;
  try {
    hcl = await nodeHclParser();
  } catch (err) {
    io.stderr(`wrangler-token-lint: Terraform files are not read: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  // One workspace database for the run (the core keeps nothing between runs itself).
  const ws = analyzeWorkspace(diskHost(), root, { ruleSeverities, tokenSecrets, tokenGlobs: collected["token-glob"], today }, { hcl, db: new Database({ once: true }) });
  const reported = report(ws, root);
  switch (args.flags.format ?? "text") {
    case "json":
      io.stdout(JSON.stringify({ schemaVersion: 1, root: relative(io.cwd, root) || ".", summary: ws.summary, findings: reported }, null, 2) + "\n");
      break;
    case "sarif":
      io.stdout(JSON.stringify(sarif(reported), null, 2) + "\n");
      break;
    case "markdown":
      io.stdout(markdown(reported, ws));
      break;
    default:
      io.stdout(text(reported, ws));
  }
  const failOn = (args.flags["fail-on"] as string | undefined) ?? "error";
  if (failOn === "none") return 0;
  return reported.some((r) => RANK[r.severity] >= RANK[failOn as Severity]) ? 1 : 0;
}

function usage(io: Io, message: string): number {
  io.stderr(`wrangler-token-lint check: ${message}\n`);
  return 2;
}

/** Findings and file problems in one list, with 1-based positions and root-relative paths. */
export function report(ws: WorkspaceResult, root: string): Reported[] {
  const sources = new Map<string, SourceFile>();
  // The analysis's own (confined) host: a finding placed at a link never makes the report read where it leads.
  const host = ws.host;
  const pos = (file: string, offset: number) => {
    let s = sources.get(file);
    if (!s) {
      s = new SourceFile(file, host.readFile(file) ?? "");
      sources.set(file, s);
    }
    return s.lineColumn(offset);
  };
  const one = (f: Pick<Finding, "rule" | "severity" | "message" | "location" | "related" | "fixes">): Reported => {
    const a = pos(f.location.file, f.location.span.start);
    const b = pos(f.location.file, f.location.span.end);
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: relative(root, f.location.file),
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      related: f.related.map((r) => ({ file: relative(root, r.file), ...pos(r.file, r.span.start), message: r.message })),
      fixes: f.fixes.map((x) => x.title),
    };
  };
  const out = ws.findings.map(one);
  for (const p of ws.problems) {
    out.push(one({ rule: p.code, severity: p.severity, message: p.message, location: { file: p.file, span: p.span }, related: [], fixes: [] }));
  }
  return out.sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column || x.rule.localeCompare(y.rule));
}

function text(rs: Reported[], ws: WorkspaceResult): string {
  const lines: string[] = [];
  for (const r of rs) {
    lines.push(`${r.file}:${r.line}:${r.column}: ${r.severity} [${r.rule}] ${r.message}`);
    for (const rel of r.related.slice(0, 5)) lines.push(`    ${rel.file}:${rel.line}:${rel.column}: ${rel.message}`);
    if (r.related.length > 5) lines.push(`    … ${r.related.length - 5} more`);
    for (const f of r.fixes) lines.push(`    fix: ${f}`);
  }
  const count = (s: Severity) => rs.filter((r) => r.severity === s).length;
  lines.push(`${rs.length ? "\n" : ""}${ws.summary.configs} configs, ${ws.summary.deploys} deploys, ${ws.summary.tokens} tokens: ${count("error")} errors, ${count("warning")} warnings, ${count("info")} notes`);
  return lines.join("\n") + "\n";
}

function markdown(rs: Reported[], ws: WorkspaceResult): string {
  const icon: Record<Severity, string> = { error: "🔴", warning: "🟠", info: "🔵" };
  const lines = ["## wrangler-token-lint", "", `${ws.summary.configs} configs · ${ws.summary.deploys} deploys · ${ws.summary.tokens} tokens`, ""];
  if (!rs.length) lines.push("No findings: every token matches what its deploys need.");
  else {
    lines.push("| | Rule | Where | Finding |", "|---|---|---|---|");
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    for (const r of rs) {
      const rule = RULES.some((x) => x.id === r.rule) ? `[\`${r.rule}\`](${DOCS_BASE}/${r.rule}.md)` : `\`${r.rule}\``;
      lines.push(`| ${icon[r.severity]} | ${rule} | \`${r.file}:${r.line}\` | ${cell(r.message)}${r.fixes.length ? ` _(fix: ${cell(r.fixes.join("; "))})_` : ""} |`);
    }
  }
  return lines.join("\n") + "\n";
}

const SARIF_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };

export function sarif(rs: Reported[]): object {
  const ruleIds = [...new Set([...RULES.map((r) => r.id), ...rs.map((r) => r.rule)])];
  const rules = ruleIds.map((id) => {
    const r = RULES.find((x) => x.id === id);
    return r
      ? {
          id,
          name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
          shortDescription: { text: r.title },
          fullDescription: { text: r.title },
          helpUri: `${DOCS_BASE}/${id}.md`,
          help: { text: `${r.title}. See ${DOCS_BASE}/${id}.md`, markdown: `${r.title}. See [${id}](${DOCS_BASE}/${id}.md).` },
          defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
          properties: { tags: ["security", "least-privilege"] },
        }
      : { id, name: id, shortDescription: { text: `File problem: ${id}` }, defaultConfiguration: { level: "error" } };
  });
  const loc = (file: string, line: number, column: number, endLine?: number, endColumn?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" },
      region: { startLine: line, startColumn: column, ...(endLine ? { endLine, endColumn } : {}) },
    },
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "wrangler-token-lint", informationUri: "https://github.com/wrangler-token-lint/wrangler-token-lint", version: VERSION, rules } },
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
        results: rs.map((r) => ({
          ruleId: r.rule,
          ruleIndex: ruleIds.indexOf(r.rule),
          level: SARIF_LEVEL[r.severity],
          message: { text: r.message },
          locations: [loc(r.file, r.line, r.column, r.endLine, r.endColumn)],
          relatedLocations: r.related.map((x, i) => ({ id: i + 1, ...loc(x.file, x.line, x.column), message: { text: x.message } })),
        })),
      },
    ],
  };
}
