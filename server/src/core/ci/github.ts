// GitHub Actions workflows: every wrangler invocation, from cloudflare/wrangler-action steps (see the team notes
// on wrangler-action's inputs: one command per `command:` line, `environment` appended as --env, `secrets`
// uploaded with `secret bulk` before the commands, pre/post commands as shell lines) and from `run:` steps,
// with the token, account id, env and working directory each one uses. Reusable workflows in the same
// repository are followed through the caller's `with:` and `secrets:`.
import type { Host } from "../host.js";
import type { Location } from "../source.js";
import type { CiDeploy, CiProblem, CiScanResult, CiSecretsStoreCreate, CiValue } from "../model/ci.js";
import { dirname, normalize, resolve } from "../path.js";
import { parseYaml, valueSpan } from "../parse/yaml.js";
import { arr, entry, get, str, type Node, type ObjectNode, type ParsedDocument, type ScalarNode } from "../parse/tree.js";
import { newScanCache, scanShell, type EnvMap, type ScanCache, type ShellContext, type ShellHit, type ShellSource } from "./scripts.js";
import { basenameOf, buildDeploy, resolveText, toCiValue, withFile, type Evaluator, type Resolved } from "./common.js";
import { githubEnvWrites } from "./github-env.js";

type GhCache = ScanCache & { workflows?: Map<string, ParsedDocument> };

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

/** The caller of a reusable workflow: its inputs and secrets, and how to evaluate them. */
interface Caller {
  with: Map<string, { raw: string; location: Location; node: Node }>;
  secrets: "inherit" | Map<string, { raw: string; location: Location }>;
  scope: Scope;
  vars: EnvMap;
  via: Location[];
  label: string;
  depth: number;
}

/** What expressions in one job can see. */
interface Scope {
  file: string;
  matrix?: Node;
  inputs?: Node[];
  caller?: Caller;
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
export function findGithubDeploys(host: Host, workflowPath: string, text: string, options: GithubScanOptions = {}): GithubScanResult {
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

function scanWorkflow(host: Host, cache: GhCache, root: string, file: string, doc: ParsedDocument, caller: Caller | undefined, out: GithubScanResult): void {
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
    const steps = arr(get(job, "steps"));
    let written: EnvMap = new Map(); // $GITHUB_ENV writes of earlier steps
    for (const step of steps) {
      if (step.kind !== "object") continue;
      const stepEnv = mergeEnv(mergeEnv(jobEnv, written), envOf(file, get(step, "env")));
      const stepName = str(get(step, "name")) ?? str(get(step, "id")) ?? str(get(step, "uses")) ?? firstLine(str(get(step, "run")) ?? "");
      const label = `${jobLabel} › ${stepName}`;
      const stepLocation: Location = { file, span: step.span };
      const ev = githubEvaluator(scope);
      const stepUses = str(get(step, "uses"))?.trim();
      if (stepUses && /^cloudflare\/wrangler-action(@|$)/i.test(stepUses)) {
        wranglerAction(host, cache, root, file, step, stepEnv, label, stepLocation, ev, caller, out);
        continue;
      }
      if (stepUses && /^cloudflare\/pages-action(@|$)/i.test(stepUses)) {
        pagesAction(file, root, step, stepEnv, label, stepLocation, ev, caller, out);
        continue;
      }
      const run = get(step, "run");
      if (run && run.kind === "string") {
        const wdNode = get(step, "working-directory") ?? jobWd;
        const cwd = workingDirectory(root, file, wdNode, stepEnv, ev, out);
        const ctx: ShellContext = { host, cache, problems: out.problems, cwd, root, env: stepEnv, via: caller ? [...caller.via] : undefined };
        const hits = scanShell(scalarSource(file, run), ctx);
        for (const hit of hits) emit(out, hit, { source: "github-actions", stepLocation, label, ev });
        written = mergeEnv(written, githubEnvWrites(scalarSource(file, run)));
      }
    }
  }
}

function emit(out: CiScanResult, hit: ShellHit, input: Omit<Parameters<typeof buildDeploy>[0], "hit">): void {
  const { deploy, secretsStore } = buildDeploy({ ...input, hit });
  out.deploys.push(deploy);
  if (secretsStore) out.secretsStoreCreates.push(secretsStore);
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
function envOf(file: string, node: Node | undefined): EnvMap {
  const m: EnvMap = new Map();
  if (!node || node.kind !== "object") return m;
  for (const e of node.entries) {
    const v = e.value;
    if (v.kind === "object" || v.kind === "array") continue;
    m.set(e.key, { raw: v.value === null ? "" : String(v.value), location: { file, span: v.span } });
  }
  return m;
}

function mergeEnv(a: EnvMap, b: EnvMap): EnvMap {
  const m = new Map(a);
  for (const [k, v] of b) m.set(k, v);
  return m;
}

function workingDirectory(root: string, file: string, node: Node | undefined, env: EnvMap, ev: Evaluator, out: CiScanResult): string {
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

function githubEvaluator(scope: Scope): Evaluator {
  return {
    expression: (expr, raw, location, vars, depth) => evalExpression(expr, raw, location, vars, scope, depth),
    undefinedVariable: (_name, raw, location) => ({ origin: "expression", raw, location }),
  };
}

function evalExpression(expr: string, raw: string, location: Location, vars: EnvMap, scope: Scope, depth: number): Resolved | undefined {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if ((m = /^secrets\.([A-Za-z0-9_-]+)$/.exec(e))) {
    const name = m[1]!;
    const caller = scope.caller;
    if (caller && caller.secrets !== "inherit") {
      const passed = caller.secrets.get(name) ?? [...caller.secrets].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      if (passed) return resolveText(passed.raw, passed.location, caller.vars, githubEvaluator(caller.scope), depth + 1);
    }
    return { origin: "secret", secret: name, raw, location };
  }
  if ((m = /^vars\.([A-Za-z0-9_-]+)$/.exec(e))) return { origin: "variable", secret: m[1]!, raw, location };
  if ((m = /^env\.([A-Za-z0-9_-]+)$/.exec(e))) {
    const def = vars.get(m[1]!);
    if (def) {
      const rest = new Map(vars);
      rest.delete(m[1]!);
      return resolveText(def.raw, def.location, rest, githubEvaluator(scope), depth + 1);
    }
    return undefined;
  }
  if ((m = /^matrix\.([A-Za-z0-9_.-]+)$/.exec(e))) {
    const values = matrixValues(scope.matrix, m[1]!.split("."));
    if (!values || values.length === 0) return undefined;
    if (values.length === 1) return { value: values[0]!, origin: "literal", raw, location };
    return { candidates: values, origin: "expression", raw, location };
  }
  if ((m = /^(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)$/.exec(e))) {
    const name = m[1]!;
    const caller = scope.caller;
    if (caller) {
      const passed = caller.with.get(name);
      if (passed) return resolveText(passed.raw, passed.location, caller.vars, githubEvaluator(caller.scope), depth + 1);
    }
    for (const defs of scope.inputs ?? []) {
      const def = get(defs, name);
      const options = arr(get(def, "options"))
        .filter((o) => o.kind === "string" || o.kind === "number" || o.kind === "boolean")
        .map((o) => String((o as ScalarNode).value));
      if (options.length) return { candidates: [...new Set(options)], origin: "expression", raw, location };
      // With a caller that does not pass the input, the default applies.
      const dflt = get(def, "default");
      if (caller && dflt && dflt.kind !== "object" && dflt.kind !== "array" && dflt.value !== null) {
        return { value: String(dflt.value), origin: "literal", raw, location: { file: scope.file, span: dflt.span } };
      }
    }
    return undefined;
  }
  if ((m = /^'([^']*)'$/.exec(e))) return { value: m[1]!, origin: "literal", raw, location };
  return undefined;
}

/** Values `matrix.a.b` takes: from the `a` list and from `include` entries. */
function matrixValues(matrix: Node | undefined, path: string[]): string[] | undefined {
  if (!matrix || matrix.kind !== "object") return undefined;
  const out: string[] = [];
  const pick = (n: Node | undefined, rest: string[]): void => {
    let cur = n;
    for (const k of rest) cur = get(cur, k);
    if (cur && (cur.kind === "string" || cur.kind === "number" || cur.kind === "boolean")) out.push(String(cur.value));
  };
  const [head, ...rest] = path;
  if (!head) return undefined;
  const list = get(matrix, head);
  if (list && list.kind === "array") for (const it of list.items) pick(it, rest);
  else if (list && list.kind !== "object") return undefined; // an expression such as fromJSON(…)
  for (const inc of arr(get(matrix, "include"))) {
    const v = get(inc, head);
    if (v) pick(v, rest);
  }
  return [...new Set(out)];
}

/** The `with:` input as text and location. */
function input(file: string, step: Node, name: string): { raw: string; location: Location; node: Node } | undefined {
  const w = get(step, "with");
  const e = entry(w, name);
  if (!e) return undefined;
  const v = e.value;
  if (v.kind === "object" || v.kind === "array" || v.value === null) return undefined;
  return { raw: String(v.value), location: { file, span: v.span }, node: v };
}

function valueFor(r: { raw: string; location: Location } | undefined, env: EnvMap, ev: Evaluator): CiValue | undefined {
  if (!r || r.raw.trim() === "") return undefined;
  return toCiValue(resolveText(r.raw, r.location, env, ev));
}

function parseVersion(v: string | undefined): [number, number, number] | undefined {
  if (!v) return undefined;
  const m = /^\D*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function older(v: [number, number, number] | undefined, than: [number, number, number]): boolean {
  if (!v) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== than[i]) return v[i]! < than[i]!;
  return false;
}

function lines(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let s = 0;
  for (;;) {
    let e = text.indexOf("\n", s);
    const last = e < 0;
    if (last) e = text.length;
    let a = s;
    let b = e;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a) out.push({ start: a, end: b });
    if (last) break;
    s = e + 1;
  }
  return out;
}

function wranglerAction(host: Host, cache: ScanCache, root: string, file: string, step: ObjectNode, env: EnvMap, label: string, stepLocation: Location, ev: Evaluator, caller: Caller | undefined, out: GithubScanResult): void {
  const usesEntry = entry(step, "uses")!;
  const usesLocation: Location = { file, span: usesEntry.value.span };
  const via0 = caller ? [...caller.via] : [];
  const wdIn = input(file, step, "workingDirectory");
  let cwd = root;
  if (wdIn) {
    const r = resolveText(wdIn.raw, wdIn.location, env, ev);
    if (r.value !== undefined) cwd = resolve(root, r.value);
    else out.problems.push({ code: "ci-working-directory-unknown", severity: "info", message: `The working directory \`${wdIn.raw}\` is an expression; commands are assumed to run in the repository root.`, file, span: wdIn.location.span });
  }
  const version = input(file, step, "wranglerVersion");
  const versionText = version ? resolveText(version.raw, version.location, env, ev).value ?? version.raw : undefined;
  const ver = parseVersion(versionText);
  const pm = input(file, step, "packageManager")?.raw;
  const token = valueFor(input(file, step, "apiToken"), env, ev);
  const accountId = valueFor(input(file, step, "accountId"), env, ev);
  const environment = input(file, step, "environment");
  const envForCommands = environment && environment.raw.trim() !== "" ? environment : undefined;
  const vars = listInput(input(file, step, "vars")?.raw);
  // The action exports the token and account id for everything it runs, pre/post commands included.
  const actionEnv = new Map(env);
  const tokIn = input(file, step, "apiToken");
  if (tokIn) actionEnv.set("CLOUDFLARE_API_TOKEN", { raw: tokIn.raw, location: tokIn.location });
  const accIn = input(file, step, "accountId");
  if (accIn) actionEnv.set("CLOUDFLARE_ACCOUNT_ID", { raw: accIn.raw, location: accIn.location });
  const common = {
    source: "github-actions" as const,
    stepLocation,
    label,
    ev,
    ...(token ? { token } : {}),
    ...(accountId ? { accountId } : {}),
  };
  const extra: Partial<CiDeploy> = {
    ...(versionText ? { wranglerVersion: versionText } : {}),
    ...(pm ? { packageManager: pm } : {}),
    ...(vars.length ? { vars } : {}),
  };
  const ctx: ShellContext = { host, cache, problems: out.problems, cwd, root, env: actionEnv, via: via0.length ? via0 : undefined };

  const shellLines = (name: string): void => {
    const n = get(get(step, "with"), name);
    if (!n || n.kind !== "string") return;
    // Each line runs on its own (in the working directory), so `cd` does not carry over.
    for (const l of lines(n.value as string)) {
      const src: ShellSource = { file, text: (n.value as string).slice(l.start, l.end), spanOf: (s, e) => valueSpan(n, l.start + s, l.start + e) };
      for (const hit of scanShell(src, ctx)) emit(out, hit, { ...common, extra: { ...extra, packageManager: pm ?? hit.packageManager } });
    }
  };

  shellLines("preCommands");

  const secretsIn0 = input(file, step, "secrets");
  const secretNames = listInput(secretsIn0?.raw);
  const secretsKey = entry(get(step, "with"), "secrets");
  const secretsIn = secretsIn0 && secretsKey ? { ...secretsIn0, location: { file, span: secretsKey.keySpan } } : undefined;
  if (secretsIn && secretNames.length) {
    const argvs: string[][] = older(ver, [3, 4, 0])
      ? secretNames.map((s) => ["secret", "put", s])
      : [older(ver, [3, 60, 0]) ? ["secret:bulk"] : ["secret", "bulk"]];
    for (const argv of argvs) {
      const hit: ShellHit = {
        argv,
        argvLocations: argv.map(() => secretsIn.location),
        location: secretsIn.location,
        via: [...via0, secretsIn.location],
        cwd,
        env: actionEnv,
        vars: actionEnv,
      };
      emit(out, hit, { ...common, ...(envForCommands ? { environment: envForCommands } : {}), extra: { ...extra, implicit: true, secretNames } });
    }
  }

  const cmdNode = get(get(step, "with"), "command");
  const cmdText = cmdNode && cmdNode.kind !== "object" && cmdNode.kind !== "array" && cmdNode.value !== null ? String(cmdNode.value) : "";
  const cmdLines = lines(cmdText);
  if (cmdLines.length === 0) {
    const argv = [older(ver, [2, 20, 0]) ? "publish" : "deploy"];
    const hit: ShellHit = { argv, argvLocations: [usesLocation], location: usesLocation, via: [...via0, usesLocation], cwd, env: actionEnv, vars: actionEnv };
    emit(out, hit, { ...common, ...(envForCommands ? { environment: envForCommands } : {}), extra: { ...extra, implicit: true } });
  } else {
    for (const l of cmdLines) {
      const node = cmdNode as ScalarNode;
      const src: ShellSource = {
        file,
        text: cmdText.slice(l.start, l.end),
        spanOf: (s, e) => (node.kind === "string" ? valueSpan(node, l.start + s, l.start + e) : node.span),
      };
      const hits = scanShell(src, ctx, { wranglerPrefix: true, packageManager: pm });
      for (const hit of hits) {
        emit(out, hit, { ...common, ...(envForCommands && hit.via.length === via0.length + 1 ? { environment: envForCommands } : {}), extra });
      }
    }
  }

  shellLines("postCommands");
}

function listInput(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split("\n").map((s) => s.trim()).filter(Boolean);
}

/** cloudflare/pages-action (deprecated): runs `wrangler pages publish <directory> --project-name … --branch …`. */
function pagesAction(file: string, root: string, step: ObjectNode, env: EnvMap, label: string, stepLocation: Location, ev: Evaluator, caller: Caller | undefined, out: GithubScanResult): void {
  const usesLocation: Location = { file, span: entry(step, "uses")!.value.span };
  const via0 = caller ? [...caller.via] : [];
  const wd = input(file, step, "workingDirectory");
  const cwd = wd ? resolve(root, resolveText(wd.raw, wd.location, env, ev).value ?? ".") : root;
  const dir = input(file, step, "directory");
  const project = input(file, step, "projectName");
  const branch = input(file, step, "branch");
  const argv = ["pages", "deploy"];
  const locs = [usesLocation, usesLocation];
  if (dir) {
    argv.push(dir.raw);
    locs.push(dir.location);
  }
  if (project) {
    argv.push("--project-name", project.raw);
    locs.push(project.location, project.location);
  }
  if (branch) {
    argv.push("--branch", branch.raw);
    locs.push(branch.location, branch.location);
  }
  const hit: ShellHit = { argv, argvLocations: locs, location: usesLocation, via: [...via0, usesLocation], cwd, env, vars: env };
  const token = valueFor(input(file, step, "apiToken"), env, ev);
  const accountId = valueFor(input(file, step, "accountId"), env, ev);
  const version = input(file, step, "wranglerVersion")?.raw;
  emit(out, hit, {
    source: "github-actions",
    stepLocation,
    label,
    ev,
    ...(token ? { token } : {}),
    ...(accountId ? { accountId } : {}),
    extra: { implicit: true, wranglerVersion: version ?? "2" },
  });
}

function callReusable(host: Host, cache: GhCache, root: string, file: string, job: ObjectNode, uses: string, scope: Scope, jobEnv: EnvMap, jobLabel: string, caller: Caller | undefined, out: GithubScanResult): void {
  const usesNode = get(job, "uses")!;
  const usesLocation: Location = { file, span: usesNode.span };
  if (!uses.startsWith("./")) {
    if (/\.ya?ml(@|$)/.test(uses)) {
      out.problems.push({ code: "ci-remote-workflow", severity: "info", message: `The reusable workflow ${uses} is in another repository; its commands are not analysed.`, file, span: usesNode.span });
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
      out.problems.push({ code: "ci-workflow-not-found", severity: "warning", message: `The reusable workflow ${uses} was not found.`, file, span: usesNode.span });
      return;
    }
    doc = parseYaml(text);
    (cache.workflows ??= new Map()).set(calleePath, doc);
  }
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
  const next: Caller = { with: withMap, secrets, scope, vars: jobEnv, via: [...(caller?.via ?? []), usesLocation], label: jobLabel, depth };
  const sub: GithubScanResult = { deploys: [], secretsStoreCreates: [], problems: [], calledWorkflows: [] };
  scanWorkflow(host, cache, root, calleePath, doc, next, sub);
  out.deploys.push(...sub.deploys);
  out.secretsStoreCreates.push(...sub.secretsStoreCreates);
  // Problems inside the callee are reported when the callee itself is scanned; keep only new ones.
  for (const p of sub.problems) if (p.file !== calleePath) out.problems.push(p);
  for (const c of sub.calledWorkflows) if (!out.calledWorkflows.includes(c)) out.calledWorkflows.push(c);
}

export type { CiProblem, CiSecretsStoreCreate };
