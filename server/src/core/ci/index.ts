// Every wrangler invocation in a repository's CI: GitHub Actions workflows (.github/workflows/*.yml|yaml) and
// GitLab CI (.gitlab-ci.yml at the root). Each file's scan is kept in the workspace database with everything it
// read, and reused while those reads give the same answers.
import { unreadable, type Host } from "../host.js";
import { Database } from "../db.js";
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
export function findCiDeploys(host: Host, repoRoot: string, db: Database = new Database({ once: true })): CiScanResult {
  const out: CiScanResult = { deploys: [], secretsStoreCreates: [], problems: [] };
  const { github, gitlab } = ciFiles(host, repoRoot);
  const called = new Set<string>();
  const perFile: { file: string; text: string; result: CiScanResult }[] = [];
  for (const file of github) {
    const text = host.readFile(file);
    if (text === undefined) {
      const why = unreadable(host, file);
      if (why) out.problems.push(why);
      continue;
    }
    const r = db.tracked("ci-scan", `${repoRoot}\u0000${file}`, host, [], (h) =>
      findGithubDeploys(h, file, h.readFile(file) ?? "", { cache: newScanCache(), repoRoot }),
    );
    for (const c of r.calledWorkflows) called.add(c);
    perFile.push({ file, text, result: r });
  }
  for (const { file, text, result } of perFile) {
    // Parsed again only for a workflow another one calls (the scan itself is kept, its parse tree is not).
    const dropOwn =
      called.has(file) && db.memo("workflow-call-only", file, [text], () => onlyWorkflowCall(parseYaml(text)));
    for (const d of result.deploys) {
      if (dropOwn && d.via[0]?.file === file) continue;
      out.deploys.push(d);
    }
    for (const s of result.secretsStoreCreates) {
      if (
        dropOwn &&
        s.location.file === file &&
        !result.deploys.some((d) => d.location === s.location && d.via[0]?.file !== file)
      )
        continue;
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
    const r = db.tracked("ci-scan", `${repoRoot}\u0000${file}`, host, [], (h) =>
      findGitlabDeploys(h, file, h.readFile(file) ?? "", { cache: newScanCache(), repoRoot }),
    );
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
  if (on.kind === "array")
    return on.items.length > 0 && on.items.every((i) => i.kind === "string" && i.value === "workflow_call");
  if (on.kind === "object") return on.entries.length > 0 && on.entries.every((e) => e.key === "workflow_call");
  return false;
}
