// Every wrangler invocation in a repository's CI: GitHub Actions workflows (.github/workflows/*.yml|yaml) and
// GitLab CI (.gitlab-ci.yml at the root). Each file is read and parsed once; package.json files are cached.
import type { Host } from "../host.js";
import type { CiScanResult } from "../model/ci.js";
import { join } from "../path.js";
import { newScanCache } from "./scripts.js";
import { dedupeProblems, findGithubDeploys } from "./github.js";
import { findGitlabDeploys } from "./gitlab.js";
import { parseYaml } from "../parse/yaml.js";
import { get } from "../parse/tree.js";

export { findGithubDeploys, githubRepoRoot } from "./github.js";
export { findGitlabDeploys } from "./gitlab.js";

/** The CI files findCiDeploys reads under a repository root. */
export function ciFiles(host: Host, repoRoot: string): { github: string[]; gitlab: string[] } {
  const dir = join(repoRoot, ".github", "workflows");
  const github = host
    .readDirectory(dir)
    .filter((e) => !e.isDirectory && /\.ya?ml$/i.test(e.name))
    .map((e) => join(dir, e.name));
  const gl = join(repoRoot, ".gitlab-ci.yml");
  return { github, gitlab: host.fileExists(gl) ? [gl] : [] };
}

/**
 * Scans the repository's CI files. A reusable workflow (`on: workflow_call` only) called from another workflow
 * of the repository is reported through its callers (with their inputs and secrets), not on its own.
 */
export function findCiDeploys(host: Host, repoRoot: string): CiScanResult {
  const cache = newScanCache();
  const out: CiScanResult = { deploys: [], secretsStoreCreates: [], problems: [] };
  const { github, gitlab } = ciFiles(host, repoRoot);
  const called = new Set<string>();
  const perFile: { file: string; result: CiScanResult }[] = [];
  for (const file of github) {
    const text = host.readFile(file);
    if (text === undefined) continue;
    const r = findGithubDeploys(host, file, text, { cache, repoRoot });
    for (const c of r.calledWorkflows) called.add(c);
    perFile.push({ file, result: r });
  }
  for (const { file, result } of perFile) {
    const dropOwn = called.has(file) && onlyWorkflowCall(cache, file);
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
    if (text === undefined) continue;
    const r = findGitlabDeploys(host, file, text, { cache, repoRoot });
    out.deploys.push(...r.deploys);
    out.secretsStoreCreates.push(...r.secretsStoreCreates);
    out.problems.push(...r.problems);
  }
  out.problems = dedupeProblems(out.problems);
  return out;
}

function onlyWorkflowCall(cache: ReturnType<typeof newScanCache> & { workflows?: Map<string, ReturnType<typeof parseYaml>> }, file: string): boolean {
  const doc = cache.workflows?.get(file);
  const on = get(doc?.root, "on");
  if (!on) return false;
  if (on.kind === "string") return on.value === "workflow_call";
  if (on.kind === "array") return on.items.length > 0 && on.items.every((i) => i.kind === "string" && i.value === "workflow_call");
  if (on.kind === "object") return on.entries.length > 0 && on.entries.every((e) => e.key === "workflow_call");
  return false;
}
