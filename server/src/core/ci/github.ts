// GitHub Actions workflows: every wrangler invocation, from cloudflare/wrangler-action steps (see the team notes
// on wrangler-action's inputs: one command per `command:` line, `environment` appended as --env, `secrets`
// uploaded with `secret bulk` before the commands, pre/post commands as shell lines) and from `run:` steps,
// with the token, account id, env and working directory each one uses. Reusable workflows in the same
// repository are followed through the caller's `with:` and `secrets:`.
import type { Host } from "../host.js";
import type { Location } from "../source.js";
import type { CiProblem, CiScanResult, CiSecretsStoreCreate } from "../model/ci.js";
import { dirname, normalize, resolve } from "../path.js";
import { parseYaml, valueSpan } from "../parse/yaml.js";
import { arr, get, str, type Node, type ObjectNode, type ParsedDocument, type ScalarNode } from "../parse/tree.js";
import {
  newScanCache,
  scanShell,
  type EnvMap,
  type ScanCache,
  type ShellContext,
  type ShellSource,
} from "./scripts.js";
import { basenameOf, resolveText, withFile, type Evaluator, expandCandidates } from "./common.js";
import { githubEnvWrites } from "./github-env.js";
import { githubEvaluator, type Caller, type Scope } from "./github-expr.js";
import { emit, pagesAction, wranglerAction } from "./github-action.js";
import { localAction } from "./github-composite.js";

export type GhCache = ScanCache & { workflows?: Map<string, ParsedDocument> };

export interface GithubScanOptions {
  /** Shared caches (package.json, parsed workflows) across files of one scan. */
  cache?: GhCache;
  /** Repository root; by default the directory that holds `.github/`. */
  repoRoot?: string;
}

export interface GithubScanResult extends CiScanResult {
  /** Reusable workflows in this repository that this file calls (their deploys are reported through the call). */
  calledWorkflows: string[];
}

const MAX_CALL_DEPTH = 4;

/** The repository root for a workflow path (the directory containing `.github/`). */
export function githubRepoRoot(workflowPath: string): string {
  const p = normalize(workflowPath);
  const i = p.lastIndexOf("/.github/");
  if (i >= 0) return p.slice(0, i) || "/";
  return dirname(p);
}

/** Finds every wrangler invocation in one GitHub Actions workflow. */
export function findGithubDeploys(
  host: Host,
  workflowPath: string,
  text: string,
  options: GithubScanOptions = {},
): GithubScanResult {
  const cache: GhCache = options.cache ?? newScanCache();
  const result: GithubScanResult = { deploys: [], secretsStoreCreates: [], problems: [], calledWorkflows: [] };
  const root = options.repoRoot ?? githubRepoRoot(workflowPath);
  const doc = parseYaml(text);
  (cache.workflows ??= new Map()).set(workflowPath, doc);
  result.problems.push(...withFile(workflowPath, doc.problems));
  scanWorkflow(host, cache, root, workflowPath, doc, undefined, result);
  result.problems = dedupeProblems(result.problems);
  return result;
}

function scanWorkflow(
  host: Host,
  cache: GhCache,
  root: string,
  file: string,
  doc: ParsedDocument,
  caller: Caller | undefined,
  out: GithubScanResult,
): void {
  const wf = doc.root;
  if (!wf) return;
  const on = get(wf, "on") ?? get(wf, "true");
  const inputs: Node[] = [];
  for (const trig of ["workflow_call", "workflow_dispatch"]) {
    const i = get(get(on, trig), "inputs");
    if (i) inputs.push(i);
  }
  const wfEnv = envOf(file, get(wf, "env"));
  const wfWd = get(get(get(wf, "defaults"), "run"), "working-directory");
  const jobs = get(wf, "jobs");
  if (!jobs || jobs.kind !== "object") return;
  for (const je of jobs.entries) {
    const job = je.value;
    if (job.kind !== "object") continue;
    const jobId = je.key;
    const scope: Scope = { file, matrix: get(get(job, "strategy"), "matrix"), inputs, caller };
    const jobEnv = mergeEnv(wfEnv, envOf(file, get(job, "env")));
    const jobWd = get(get(get(job, "defaults"), "run"), "working-directory") ?? wfWd;
    const jobLabel = `${caller ? caller.label + " › " : ""}${basenameOf(file)} › ${jobId}`;
    const uses = str(get(job, "uses"));
    if (uses !== undefined) {
      callReusable(host, cache, root, file, job, uses.trim(), scope, jobEnv, jobLabel, caller, out);
      continue;
    }
    scanSteps(
      { host, cache, root, file, scope, via: caller ? [...caller.via] : [], depth: 0 },
      arr(get(job, "steps")),
      jobEnv,
      jobWd,
      jobLabel,
      out,
    );
  }
}

/** Where a list of steps is: a job of a workflow, or a local composite action called from a step. */
export interface StepScope {
  host: Host;
  cache: GhCache;
  root: string;
  file: string;
  scope: Scope;
  /** Locations that led here (a reusable-workflow call, a composite action's `uses:`). */
  via: Location[];
  /** Composite actions nested so far. */
  depth: number;
}

/** Scans the steps of a job (or of a composite action). */
export function scanSteps(
  sc: StepScope,
  steps: Node[],
  jobEnv: EnvMap,
  jobWd: Node | undefined,
  jobLabel: string,
  out: GithubScanResult,
): void {
  const { host, cache, root, file, scope } = sc;
  let written: EnvMap = new Map(); // $GITHUB_ENV writes of earlier steps
  for (const step of steps) {
    if (step.kind !== "object") continue;
    const stepEnv = mergeEnv(mergeEnv(jobEnv, written), envOf(file, get(step, "env")));
    const stepName =
      str(get(step, "name")) ??
      str(get(step, "id")) ??
      str(get(step, "uses")) ??
      firstLine(str(get(step, "run")) ?? "");
    const label = `${jobLabel} › ${stepName}`;
    const stepLocation: Location = { file, span: step.span };
    const ev = githubEvaluator(scope);
    const stepUses = str(get(step, "uses"))?.trim();
    if (stepUses && /^cloudflare\/wrangler-action(@|$)/i.test(stepUses)) {
      wranglerAction(host, cache, root, file, step, stepEnv, label, stepLocation, ev, [...sc.via], out);
      continue;
    }
    if (stepUses && /^cloudflare\/pages-action(@|$)/i.test(stepUses)) {
      pagesAction(file, root, step, stepEnv, label, stepLocation, ev, [...sc.via], out);
      continue;
    }
    if (stepUses?.startsWith("./")) {
      localAction(sc, step, stepUses, stepEnv, label, out);
      continue;
    }
    const run = get(step, "run");
    if (run && run.kind === "string") {
      const wdNode = get(step, "working-directory") ?? jobWd;
      const cwd = workingDirectory(root, file, wdNode, stepEnv, ev, out);
      const ctx: ShellContext = {
        host,
        cache,
        problems: out.problems,
        cwd,
        root,
        env: stepEnv,
        via: sc.via.length ? [...sc.via] : undefined,
        expand: (t, l, v) => expandCandidates(t, l, v, ev),
      };
      const hits = scanShell(scalarSource(file, run), ctx);
      for (const hit of hits) emit(out, hit, { source: "github-actions", stepLocation, label, ev });
      written = mergeEnv(written, githubEnvWrites(scalarSource(file, run)));
    }
  }
}

export function dedupeProblems(ps: CiProblem[]): CiProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.file}:${p.span.start}:${p.span.end}:${p.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function firstLine(s: string): string {
  const l = s.trim().split("\n")[0] ?? "";
  return l.length > 50 ? l.slice(0, 47) + "…" : l;
}

/** A string node as shell text whose offsets map back to the workflow. */
function scalarSource(file: string, node: ScalarNode): ShellSource {
  return { file, text: node.value as string, spanOf: (s, e) => valueSpan(node, s, e) };
}

/** The `env:` mapping as variables (string, number and boolean values; expressions kept as written). */
export function envOf(file: string, node: Node | undefined): EnvMap {
  const m: EnvMap = new Map();
  if (!node || node.kind !== "object") return m;
  for (const e of node.entries) {
    const v = e.value;
    if (v.kind === "object" || v.kind === "array") continue;
    m.set(e.key, { raw: v.value === null ? "" : String(v.value), location: { file, span: v.span } });
  }
  return m;
}

export function mergeEnv(a: EnvMap, b: EnvMap): EnvMap {
  const m = new Map(a);
  for (const [k, v] of b) m.set(k, v);
  return m;
}

function workingDirectory(
  root: string,
  file: string,
  node: Node | undefined,
  env: EnvMap,
  ev: Evaluator,
  out: CiScanResult,
): string {
  if (!node || node.kind === "object" || node.kind === "array" || node.value === null) return root;
  const raw = String(node.value);
  const r = resolveText(raw, { file, span: node.span }, env, ev);
  if (r.value !== undefined) return resolve(root, r.value);
  out.problems.push({
    code: "ci-working-directory-unknown",
    severity: "info",
    message: `The working directory \`${raw}\` is an expression; commands are assumed to run in the repository root.`,
    file,
    span: node.span,
  });
  return root;
}

function callReusable(
  host: Host,
  cache: GhCache,
  root: string,
  file: string,
  job: ObjectNode,
  uses: string,
  scope: Scope,
  jobEnv: EnvMap,
  jobLabel: string,
  caller: Caller | undefined,
  out: GithubScanResult,
): void {
  const usesNode = get(job, "uses")!;
  const usesLocation: Location = { file, span: usesNode.span };
  if (!uses.startsWith("./")) {
    if (/\.ya?ml(@|$)/.test(uses)) {
      out.problems.push({
        code: "ci-remote-workflow",
        severity: "info",
        message: `The reusable workflow ${uses} is in another repository; its commands are not analysed.`,
        file,
        span: usesNode.span,
      });
    }
    return;
  }
  const calleePath = resolve(root, uses.replace(/@.*$/, ""));
  if (!out.calledWorkflows.includes(calleePath)) out.calledWorkflows.push(calleePath);
  const depth = (caller?.depth ?? 0) + 1;
  if (depth > MAX_CALL_DEPTH || (caller && caller.via.some((l) => l.file === calleePath))) return;
  let doc = cache.workflows?.get(calleePath);
  if (!doc) {
    const text = host.readFile(calleePath);
    if (text === undefined) {
      out.problems.push({
        code: "ci-workflow-not-found",
        severity: "warning",
        message: `The reusable workflow ${uses} was not found.`,
        file,
        span: usesNode.span,
      });
      return;
    }
    doc = parseYaml(text);
    (cache.workflows ??= new Map()).set(calleePath, doc);
  }
  const { with: withMap, secrets } = callerInputs(job, file);
  const next: Caller = {
    with: withMap,
    secrets,
    scope,
    vars: jobEnv,
    via: [...(caller?.via ?? []), usesLocation],
    label: jobLabel,
    depth,
  };
  const sub: GithubScanResult = { deploys: [], secretsStoreCreates: [], problems: [], calledWorkflows: [] };
  scanWorkflow(host, cache, root, calleePath, doc, next, sub);
  out.deploys.push(...sub.deploys);
  out.secretsStoreCreates.push(...sub.secretsStoreCreates);
  // Problems inside the callee are reported when the callee itself is scanned; keep only new ones.
  for (const p of sub.problems) if (p.file !== calleePath) out.problems.push(p);
  for (const c of sub.calledWorkflows) if (!out.calledWorkflows.includes(c)) out.calledWorkflows.push(c);
}

/** The `with:` inputs and `secrets:` (a map, or `inherit`) a job passes to the reusable workflow it calls. */
function callerInputs(job: ObjectNode, file: string): Pick<Caller, "with" | "secrets"> {
  const withMap = new Map<string, { raw: string; location: Location; node: Node }>();
  const w = get(job, "with");
  if (w && w.kind === "object") {
    for (const e of w.entries) {
      if (e.value.kind === "object" || e.value.kind === "array" || e.value.value === null) continue;
      withMap.set(e.key, { raw: String(e.value.value), location: { file, span: e.value.span }, node: e.value });
    }
  }
  const sec = get(job, "secrets");
  let secrets: Caller["secrets"] = new Map();
  if (sec && sec.kind === "string" && sec.value === "inherit") secrets = "inherit";
  else if (sec && sec.kind === "object") {
    for (const e of sec.entries) {
      if (e.value.kind === "object" || e.value.kind === "array" || e.value.value === null) continue;
      secrets.set(e.key, { raw: String(e.value.value), location: { file, span: e.value.span } });
    }
  }
  return { with: withMap, secrets };
}

export type { CiProblem, CiSecretsStoreCreate };
