// Every wrangler invocation in a repository's CI: GitHub Actions workflows (.github/workflows/*.yml|yaml) and
// GitLab CI (.gitlab-ci.yml at the root). Each file's scan is remembered while its text and everything it read
// stay the same.
import { unreadable, type Host } from "../host.js";
import type { CiScanResult } from "../model/ci.js";
import { join } from "../path.js";
import { newScanCache } from "./scripts.js";
import { dedupeProblems, findGithubDeploys } from "./github.js";
import { findGitlabDeploys } from "./gitlab.js";
import { parseYaml } from "../parse/yaml.js";
import { get } from "../parse/tree.js";
import { isWorkflowPath } from "../files.js";

export { findGithubDeploys, githubRepoRoot } from "./github.js";
export { findGitlabDeploys } from "./gitlab.js";

/** The CI files findCiDeploys reads under a repository root. */
export function ciFiles(host: Host, repoRoot: string): { github: string[]; gitlab: string[] } {
  const dir = join(repoRoot, ".github", "workflows");
  const github = host
    .readDirectory(dir)
    .filter((e) => !e.isDirectory && isWorkflowPath(join(dir, e.name)))
    .map((e) => join(dir, e.name));
  const gl = join(repoRoot, ".gitlab-ci.yml");
  return { github, gitlab: host.fileExists(gl) ? [gl] : [] };
}

/**
 * Scans the repository's CI files. A reusable workflow (`on: workflow_call` only) called from another workflow
 * of the repository is reported through its callers (with their inputs and secrets), not on its own.
 */
export function findCiDeploys(host: Host, repoRoot: string): CiScanResult {
  const out: CiScanResult = { deploys: [], secretsStoreCreates: [], problems: [] };
  const { github, gitlab } = ciFiles(host, repoRoot);
  const called = new Set<string>();
  const perFile: { file: string; result: CiScanResult; doc: ReturnType<typeof parseYaml> }[] = [];
  for (const file of github) {
    const text = host.readFile(file);
    if (text === undefined) {
      const why = unreadable(host, file);
      if (why) out.problems.push(why);
      continue;
    }
    const r = memoScan(host, repoRoot, file, text, (h) => findGithubDeploys(h, file, text, { cache: newScanCache(), repoRoot }));
    for (const c of r.calledWorkflows) called.add(c);
    perFile.push({ file, result: r, doc: parseYaml(text) });
  }
  for (const { file, result, doc } of perFile) {
    const dropOwn = called.has(file) && onlyWorkflowCall(doc);
    for (const d of result.deploys) {
      if (dropOwn && d.via[0]?.file === file) continue;
      out.deploys.push(d);
    }
    for (const s of result.secretsStoreCreates) {
      if (dropOwn && s.location.file === file && !result.deploys.some((d) => d.location === s.location && d.via[0]?.file !== file)) continue;
      out.secretsStoreCreates.push(s);
    }
    out.problems.push(...result.problems);
  }
  for (const file of gitlab) {
    const text = host.readFile(file);
    if (text === undefined) {
      const why = unreadable(host, file);
      if (why) out.problems.push(why);
      continue;
    }
    const r = memoScan(host, repoRoot, file, text, (h) => findGitlabDeploys(h, file, text, { cache: newScanCache(), repoRoot }));
    out.deploys.push(...r.deploys);
    out.secretsStoreCreates.push(...r.secretsStoreCreates);
    out.problems.push(...r.problems);
  }
  out.problems = dedupeProblems(out.problems);
  return out;
}

function onlyWorkflowCall(doc: ReturnType<typeof parseYaml>): boolean {
  const on = get(doc.root, "on");
  if (!on) return false;
  if (on.kind === "string") return on.value === "workflow_call";
  if (on.kind === "array") return on.items.length > 0 && on.items.every((i) => i.kind === "string" && i.value === "workflow_call");
  if (on.kind === "object") return on.entries.length > 0 && on.entries.every((e) => e.key === "workflow_call");
  return false;
}

// ---- per-file memo ------------------------------------------------------------------------------------------
// A CI file's scan depends on its text and on what it read through the Host (package.json scripts, called
// workflows, working directories). The scan is kept with a record of those reads and reused while every read
// still gives the same answer, so an edit elsewhere in a large repository does not rescan every workflow.

type Read =
  | { kind: "file"; path: string; value: string | undefined }
  | { kind: "exists"; path: string; value: boolean }
  | { kind: "dir"; path: string; value: string };

interface Memo<R> {
  text: string;
  reads: Read[];
  result: R;
}

const memo = new Map<string, Memo<unknown>>();
const MEMO_LIMIT = 2000;

function listing(entries: { name: string; isDirectory: boolean }[]): string {
  return entries.map((e) => (e.isDirectory ? `${e.name}/` : e.name)).join("\u0000");
}

function memoScan<R>(host: Host, repoRoot: string, file: string, text: string, scan: (h: Host) => R): R {
  const key = `${repoRoot}\u0000${file}`;
  const hit = memo.get(key) as Memo<R> | undefined;
  if (
    hit &&
    hit.text === text &&
    hit.reads.every((r) =>
      r.kind === "file" ? host.readFile(r.path) === r.value : r.kind === "exists" ? host.fileExists(r.path) === r.value : listing(host.readDirectory(r.path)) === r.value,
    )
  ) {
    return hit.result;
  }
  const reads: Read[] = [];
  const recording: Host = {
    readFile(path) {
      const value = host.readFile(path);
      reads.push({ kind: "file", path, value });
      return value;
    },
    fileExists(path) {
      const value = host.fileExists(path);
      reads.push({ kind: "exists", path, value });
      return value;
    },
    readDirectory(path) {
      const entries = host.readDirectory(path);
      reads.push({ kind: "dir", path, value: listing(entries) });
      return entries;
    },
  };
  const result = scan(recording);
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(key, { text, reads, result });
  return result;
}
