// GitLab CI (.gitlab-ci.yml): wrangler invocations in `before_script`, `script` and `after_script` of every job,
// with `default:` and global scripts, hidden jobs merged through `extends:`, and `variables:` (global, job,
// `parallel: matrix`) for CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_ENV. A `$NAME` that the
// file does not define is a CI/CD variable set in the project: reported as the secret NAME; a job that names no
// token uses the project's CLOUDFLARE_API_TOKEN variable. Local `include:` files are merged in
// (gitlab-include.ts); other includes are reported.
import type { Host } from "../host.js";
import type { Location } from "../source.js";
import type { CiScanResult, CiValue } from "../model/ci.js";
import { dirname } from "../path.js";
import { parseYaml, valueSpan } from "../parse/yaml.js";
import { arr, entry, get, type Entry, type Node, type ObjectNode } from "../parse/tree.js";
import {
  newScanCache,
  scanShell,
  type EnvMap,
  type ScanCache,
  type ShellContext,
  type ShellSource,
} from "./scripts.js";
import { basenameOf, buildDeploy, TOKEN_VARS, withFile, type Evaluator, expandCandidates } from "./common.js";
import { dedupeProblems } from "./github.js";
import { deepMerge, loadGitlabConfig } from "./gitlab-include.js";

const RESERVED = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "types",
  "spec",
]);
const MAX_EXTENDS = 11;

export interface GitlabScanOptions {
  cache?: ScanCache;
  /** Repository root; by default the directory holding the file. */
  repoRoot?: string;
}

/** Finds every wrangler invocation in a `.gitlab-ci.yml` (or an included template file). */
export function findGitlabDeploys(
  host: Host,
  path: string,
  text: string,
  options: GitlabScanOptions = {},
): CiScanResult {
  const cache = options.cache ?? newScanCache();
  const root = options.repoRoot ?? dirname(path);
  const out: CiScanResult = { deploys: [], secretsStoreCreates: [], problems: [] };
  const doc = parseYaml(text);
  out.problems.push(...withFile(path, doc.problems));
  const config = loadGitlabConfig(host, root, path, doc, out);
  if (!config) return out;
  const { top, fileOf } = config;

  const jobs = new Map<string, Entry>();
  for (const e of top.entries) {
    if (RESERVED.has(e.key) || e.value.kind !== "object") continue;
    jobs.set(e.key, e);
  }
  // Hidden jobs (".name") that some job extends are templates; the others may be templates for includers and
  // are analysed on their own.
  const extended = new Set<string>();
  for (const [, e] of jobs) for (const x of extendsOf(e.value)) extended.add(x);

  const scan: JobScan = {
    host,
    cache,
    root,
    out,
    top,
    dflt: get(top, "default"),
    inherited: new Map(),
    fileOf,
    globalVars: variablesOf(fileOf, get(top, "variables")),
  };
  for (const [name, e] of jobs) {
    if (name.startsWith(".") && extended.has(name)) continue;
    const job = mergedJob(name, jobs, fileOf, out, new Set());
    if (job) scanJob(scan, name, e, job);
  }
  out.problems = dedupeProblems(out.problems);
  return out;
}

/** What every job of one file is scanned against: the file's top level, `default:` and global variables. */
interface JobScan {
  host: Host;
  cache: ScanCache;
  root: string;
  out: CiScanResult;
  top: ObjectNode;
  dflt: Node | undefined;
  /**
   * `before_script` / `after_script` of `default:` (or the top level), looked up once per file: looking them up
   * in the top level for each job was quadratic in the number of jobs.
   */
  inherited: Map<string, Node | undefined>;
  fileOf: (n: Node) => string;
  globalVars: EnvMap;
}

/** Scans one (merged) job's before_script, script and after_script into `scan.out`. */
function scanJob(scan: JobScan, name: string, e: Entry, job: ObjectNode): void {
  const { host, cache, root, out, top, dflt, fileOf } = scan;
  const inheritDefault = get(get(job, "inherit"), "default");
  const useDefault = (key: string): boolean =>
    !inheritDefault ||
    (inheritDefault.kind === "boolean"
      ? inheritDefault.value !== false
      : inheritDefault.kind === "array"
        ? inheritDefault.items.some((i) => i.kind === "string" && i.value === key)
        : true);
  const vars = jobVariables(job, scan.globalVars, fileOf);
  const jobFile = fileOf(e.value);
  // A token set as a project (or group) CI/CD variable reaches every job without being named in the file.
  const defaultToken: CiValue = {
    secret: TOKEN_VARS[0]!,
    origin: "secret",
    raw: `$${TOKEN_VARS[0]}`,
    location: { file: jobFile, span: e.keySpan },
  };
  const candidates = matrixCandidates(get(get(job, "parallel"), "matrix"));

  const scriptNode = (key: string): Node | undefined => {
    const own = get(job, key);
    if (own) return own;
    if (key === "script") return undefined;
    if (!useDefault(key)) return undefined;
    if (!scan.inherited.has(key)) scan.inherited.set(key, get(dflt, key) ?? get(top, key));
    return scan.inherited.get(key);
  };
  const stepLocation: Location = { file: jobFile, span: { start: e.keySpan.start, end: e.value.span.end } };
  const label = `${basenameOf(jobFile)} › ${name}`;
  const ev = gitlabEvaluator(candidates);
  // before_script and script share one shell; after_script runs in a new one.
  const main = [...scriptItems(scriptNode("before_script")), ...scriptItems(scriptNode("script"))];
  const after = scriptItems(scriptNode("after_script"));
  for (const items of [main, after]) {
    if (!items.length) continue;
    const ctx: ShellContext = {
      host,
      cache,
      problems: out.problems,
      cwd: root,
      root,
      env: vars,
      expand: (t, l, v) => expandCandidates(t, l, v, ev),
    };
    // Run the items as one script so that `cd` and `export` carry over.
    const sources = items.map(
      (n) =>
        ({
          file: fileOf(n),
          text: n.value as string,
          spanOf: (s: number, e2: number) => valueSpan(n, s, e2),
        }) satisfies ShellSource,
    );
    const joined = joinSources(jobFile, sources);
    for (const hit of scanShell(joined, ctx)) {
      const { deploy, secretsStore } = buildDeploy({ hit, source: "gitlab-ci", stepLocation, label, ev, defaultToken });
      out.deploys.push(deploy);
      if (secretsStore) out.secretsStoreCreates.push(secretsStore);
    }
  }
}

/** A job's variables: the global ones it inherits (`inherit: variables:`) overlaid with its own. */
function jobVariables(job: ObjectNode, globalVars: EnvMap, fileOf: (n: Node) => string): EnvMap {
  const inheritVars = get(get(job, "inherit"), "variables");
  let vars: EnvMap = new Map();
  if (!inheritVars || (inheritVars.kind === "boolean" && inheritVars.value !== false)) vars = new Map(globalVars);
  else if (inheritVars.kind === "array") {
    for (const i of inheritVars.items)
      if (i.kind === "string" && globalVars.has(i.value as string))
        vars.set(i.value as string, globalVars.get(i.value as string)!);
  }
  for (const [k, v] of variablesOf(fileOf, get(job, "variables"))) vars.set(k, v);
  // Variables expand in terms of each other (and of project CI/CD variables), not of later shell exports.
  const defined: EnvMap = new Map();
  for (const [k, v] of vars) defined.set(k, { ...v, scope: defined });
  return defined;
}

function extendsOf(job: Node): string[] {
  const x = get(job, "extends");
  if (!x) return [];
  if (x.kind === "string") return [x.value as string];
  return arr(x).flatMap((n) => (n.kind === "string" ? [n.value as string] : []));
}

/** The job with everything it extends merged in (hashes deep-merged, other values replaced by the job's own). */
function mergedJob(
  name: string,
  jobs: Map<string, Entry>,
  fileOf: (n: Node) => string,
  out: CiScanResult,
  seen: Set<string>,
): ObjectNode | undefined {
  const e = jobs.get(name);
  if (!e || e.value.kind !== "object") return undefined;
  const file = fileOf(e.value);
  if (seen.has(name) || seen.size >= MAX_EXTENDS) {
    out.problems.push({
      code: "ci-extends-cycle",
      severity: "warning",
      message: `\`extends\` of ${name} loops or nests too deeply.`,
      file,
      span: e.keySpan,
    });
    return e.value;
  }
  const parents = extendsOf(e.value);
  if (!parents.length) return e.value;
  const nextSeen = new Set(seen).add(name);
  let base: ObjectNode | undefined;
  for (const p of parents) {
    const pj = mergedJob(p, jobs, fileOf, out, nextSeen);
    if (!pj) {
      const x = entry(e.value, "extends")!;
      out.problems.push({
        code: "ci-extends-unresolved",
        severity: "info",
        message: `\`extends: ${p}\` is not defined in this file (it may come from an include).`,
        file,
        span: x.value.span,
      });
      continue;
    }
    base = base ? deepMerge(base, pj) : pj;
  }
  return base ? deepMerge(base, e.value) : e.value;
}

/** `variables:` as an EnvMap (string values, or `{ value: … }`). */
function variablesOf(fileOf: (n: Node) => string, node: Node | undefined): EnvMap {
  const m: EnvMap = new Map();
  if (!node || node.kind !== "object") return m;
  for (const e of node.entries) {
    let v: Node | undefined = e.value;
    if (v.kind === "object") v = get(v, "value");
    if (!v || v.kind === "object" || v.kind === "array") continue;
    m.set(e.key, { raw: v.value === null ? "" : String(v.value), location: { file: fileOf(v), span: v.span } });
  }
  return m;
}

/** `parallel: matrix:` → possible values per variable. */
function matrixCandidates(matrix: Node | undefined): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const item of arr(matrix)) {
    if (item.kind !== "object") continue;
    for (const e of item.entries) {
      const vals = e.value.kind === "array" ? e.value.items : [e.value];
      const list = m.get(e.key) ?? [];
      for (const v of vals) if (v.kind === "string" || v.kind === "number") list.push(String(v.value));
      m.set(e.key, [...new Set(list)]);
    }
  }
  return m;
}

function gitlabEvaluator(matrix: Map<string, string[]>): Evaluator {
  return {
    undefinedVariable: (name, raw, location) => {
      const values = matrix.get(name);
      if (values && values.length === 1) return { value: values[0]!, origin: "literal", raw, location };
      if (values && values.length > 1) return { candidates: values, origin: "expression", raw, location };
      if (/^CI_/.test(name) || name === "GITLAB_CI") return { origin: "expression", raw, location };
      return { origin: "secret", secret: name, raw, location };
    },
  };
}

/** The string items of a script (a string, or a list whose nested lists come from `!reference`). */
function scriptItems(node: Node | undefined): (Node & { kind: "string" })[] {
  if (!node) return [];
  if (node.kind === "string") return [node as Node & { kind: "string" }];
  const out: (Node & { kind: "string" })[] = [];
  for (const it of arr(node)) {
    if (it.kind === "string") out.push(it as Node & { kind: "string" });
    else if (it.kind === "array") out.push(...scriptItems(it));
  }
  return out;
}

/** Several script items as one shell text (a newline between items), offsets mapped to each item. */
function joinSources(file: string, parts: ShellSource[]): ShellSource {
  let text = "";
  const starts: number[] = [];
  for (const p of parts) {
    starts.push(text.length);
    text += p.text + "\n";
  }
  const which = (o: number): number => {
    let k = 0;
    for (let i = 0; i < starts.length; i++) if (starts[i]! <= o) k = i;
    return k;
  };
  const spanOf = (s: number, e: number) => {
    const k = which(s);
    const base = starts[k]!;
    const len = parts[k]!.text.length;
    return parts[k]!.spanOf(Math.min(s - base, len), Math.max(Math.min(e - base, len), Math.min(s - base, len)));
  };
  return { file, text, spanOf, locate: (s, e) => ({ file: parts[which(s)]!.file, span: spanOf(s, e) }) };
}
