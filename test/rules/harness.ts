// Shared by the rule fixture runner and the meta test: loads a fixture case folder into a MemoryHost, analyses it
// with a fixed date, renders one rule's findings, and applies text edits.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { MemoryHost } from "../../server/src/core/host.js";
import { analyzeWorkspace, type WorkspaceOptions, type WorkspaceResult } from "../../server/src/core/workspace.js";
import { SourceFile } from "../../server/src/core/source.js";
import type { Finding, TextEdit } from "../../server/src/core/findings.js";
import { nodeHclParser } from "../../server/src/node/hcl-wasm.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "rules");
/** The virtual workspace root every case is mounted at. */
export const MOUNT = "/ws";
export const TODAY = "2026-11-23";
/** Files of a case folder that are not part of its workspace. */
const NOT_WORKSPACE = new Set(["expected.txt", "fixed"]);

export interface RuleCase {
  rule: string;
  name: string;
  dir: string;
}

export function listCases(): RuleCase[] {
  const out: RuleCase[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    const rdir = join(FIXTURES, rule);
    if (!statSync(rdir).isDirectory()) continue;
    for (const name of readdirSync(rdir).sort()) {
      const dir = join(rdir, name);
      if (statSync(dir).isDirectory()) out.push({ rule, name, dir });
    }
  }
  return out;
}

/** Every file under dir (relative POSIX path → text), skipping `skip` names at the top level. */
export function readTree(dir: string, skip: Set<string> = new Set()): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (d === dir && skip.has(name)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split("\\").join("/"), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

export function caseFiles(c: RuleCase): Map<string, string> {
  return readTree(c.dir, NOT_WORKSPACE);
}

export function mount(files: Map<string, string>): MemoryHost {
  return new MemoryHost(new Map([...files].map(([rel, text]) => [`${MOUNT}/${rel}`, text])));
}

export async function analyze(files: Map<string, string>, options: WorkspaceOptions = {}): Promise<WorkspaceResult> {
  const hcl = await nodeHclParser();
  return analyzeWorkspace(mount(files), MOUNT, { today: TODAY, ...options }, { hcl });
}

export function rel(file: string): string {
  return file.startsWith(MOUNT + "/") ? file.slice(MOUNT.length + 1) : file;
}

/** `<severity> <file>:<line>:<col> <message>` (1-based line and column). */
export function renderFinding(f: Finding, files: Map<string, string>): string {
  const text = files.get(rel(f.location.file)) ?? "";
  const p = new SourceFile(f.location.file, text).lineColumn(f.location.span.start);
  return `${f.severity} ${rel(f.location.file)}:${p.line}:${p.column} ${f.message}`;
}

/**
 * Applies edits to one text, last offset first (edits must not overlap). Inserts at the same offset keep their
 * array order in the result, as LSP clients apply them.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.end > sorted[i - 1]!.start) throw new Error(`overlapping edits at ${sorted[i]!.start}`);
  }
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
