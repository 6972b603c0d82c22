// The wrangler config model: one parsed config file, and its view for one environment with wrangler's own
// inheritance rules (inheritable keys fall back to the top level; bindings do not; the script is <name>-<env>).
// Source of the rules: wrangler's config model as summarised in the team's research (research/wrangler.md §2).
import type { Span } from "../source.js";
import { SourceFile } from "../source.js";
import type { Problem } from "../problems.js";
import type { Node, ObjectNode, Entry } from "../parse/tree.js";
import { entry, get, str } from "../parse/tree.js";
import { parseConfigText } from "../parse/index.js";
import { templateProblem } from "./config-template.js";
import { DEPRECATED_KEYS, INHERITABLE_KEYS, NON_INHERITABLE_KEYS, TOP_LEVEL_ONLY_KEYS } from "./config-keys.js";

export { DEPRECATED_KEYS, INHERITABLE_KEYS, NON_INHERITABLE_KEYS, TOP_LEVEL_ONLY_KEYS } from "./config-keys.js";

export interface ConfigFile {
  path: string;
  format: "toml" | "json";
  source: SourceFile;
  root: ObjectNode | undefined;
  /** Parse problems and key validation problems of the file (not of one env). */
  problems: Problem[];
  /** Views derived from this reading (env index, env views), built on demand and dropped with it. */
  readonly derived: ConfigViews;
}

/** Per-reading derived views of a config: kept on the reading, so an edit (a new reading) drops them. */
export interface ConfigViews {
  envIndex?: { names: string[]; byName: Map<string, Entry> };
  resolved?: Map<string, ResolvedConfig>;
  scriptNames?: string[];
}

/** A value in the config with where it was written (the key's span) and its dotted key path. */
export interface Located {
  node: Node;
  /** Dotted key as written, e.g. "env.production.kv_namespaces[0].id". */
  key: string;
  keySpan: Span;
}

export interface ResolvedConfig {
  file: ConfigFile;
  env: string | null;
  /** Names of all `[env.*]` tables. */
  envs: string[];
  isPages: boolean;
  /** The Worker name as deployed (`<name>-<env>` under an env), or undefined when the config has no name. */
  scriptName: string | undefined;
  /** Problems that apply to this env view (unknown env, keys not inherited, …). */
  problems: Problem[];
  /** A key's value for this env, applying inheritance; undefined when not set. */
  get(key: string): Located | undefined;
}

/**
 * Reads one config file (parse and key validation). Not cached here: the workspace database (db.ts) keeps one
 * reading per path; the views derived from a reading live on it (`derived`).
 */
export function readConfigFile(path: string, text: string): ConfigFile {
  const doc = parseConfigText(path, text);
  const format = path.endsWith(".toml") ? "toml" : "json";
  const template = templateProblem(path, text, doc.problems);
  const file: ConfigFile = {
    path,
    format,
    source: new SourceFile(path, text),
    root: template ? undefined : doc.root,
    problems: template ? [template] : [...doc.problems],
    derived: {},
  };
  if (file.root) file.problems.push(...validateKeys(file.root));
  return file;
}

/**
 * The value shape wrangler's validation expects for common keys (research/wrangler.md §2.2-2.4; wrangler rejects
 * other shapes with "Expected … to be of type …"). "bindings" = an array of tables; "routes" = an array of
 * patterns or route tables; "route" = a pattern or one route table.
 */
type Shape = "string" | "boolean" | "object" | "array" | "bindings" | "routes" | "route";
const SHAPES: Record<string, Shape> = {
  name: "string",
  account_id: "string",
  main: "string",
  compatibility_date: "string",
  pages_build_output_dir: "string",
  workers_dev: "boolean",
  preview_urls: "boolean",
  logpush: "boolean",
  minify: "boolean",
  no_bundle: "boolean",
  compatibility_flags: "array",
  routes: "routes",
  route: "route",
  triggers: "object",
  vars: "object",
  durable_objects: "object",
  queues: "object",
  assets: "object",
  observability: "object",
  site: "object",
  ai: "object",
  browser: "object",
  images: "object",
  media: "object",
  stream: "object",
  version_metadata: "object",
  websearch: "object",
  limits: "object",
  placement: "object",
  build: "object",
  env: "object",
  migrations: "bindings",
  kv_namespaces: "bindings",
  r2_buckets: "bindings",
  d1_databases: "bindings",
  services: "bindings",
  vectorize: "bindings",
  hyperdrive: "bindings",
  analytics_engine_datasets: "bindings",
  mtls_certificates: "bindings",
  tail_consumers: "bindings",
  streaming_tail_consumers: "bindings",
  dispatch_namespaces: "bindings",
  pipelines: "bindings",
  secrets_store_secrets: "bindings",
  workflows: "bindings",
  containers: "bindings",
  send_email: "bindings",
  ratelimits: "bindings",
  worker_loaders: "bindings",
  vpc_services: "bindings",
  vpc_networks: "bindings",
  k2: "bindings",
  analytics: "object",
};

const SHAPE_TEXT: Record<Shape, string> = {
  string: "a string",
  boolean: "true or false",
  object: "a table (object)",
  array: "an array",
  bindings: "an array of tables",
  routes: "an array of route patterns or route tables",
  route: "a route pattern or a route table",
};

function shapeProblem(key: string, value: Node): Problem | undefined {
  const shape = SHAPES[key];
  if (!shape) return undefined;
  const isTable = (n: Node) => n.kind === "object";
  const isRoute = (n: Node) => n.kind === "string" || n.kind === "object";
  let ok: boolean;
  let bad: Node = value;
  switch (shape) {
    case "string":
    case "boolean":
      ok = value.kind === shape;
      break;
    case "object":
      ok = value.kind === "object";
      break;
    case "array":
      ok = value.kind === "array";
      break;
    case "route":
      ok = isRoute(value);
      break;
    case "bindings":
    case "routes": {
      ok = value.kind === "array";
      const item =
        value.kind === "array" ? value.items.find((n) => !(shape === "routes" ? isRoute(n) : isTable(n))) : undefined;
      if (item) {
        ok = false;
        bad = item;
      }
      break;
    }
  }
  if (ok && key === "triggers") {
    const crons = get(value, "crons");
    if (crons && (crons.kind !== "array" || crons.items.some((n) => n.kind !== "string"))) {
      return {
        code: "wrong-type",
        severity: "error",
        message: `"triggers.crons" must be an array of cron strings: wrangler's config validation rejects this`,
        span: crons.span,
      };
    }
    return undefined;
  }
  if (ok) return undefined;
  const what =
    bad === value
      ? `"${key}" must be ${SHAPE_TEXT[shape]}, not ${describe(value)}`
      : `each item of "${key}" must be ${shape === "routes" ? "a route pattern or a route table" : "a table"}, not ${describe(bad)}`;
  return {
    code: "wrong-type",
    severity: "error",
    message: `${what}: wrangler's config validation rejects this`,
    span: bad.span,
  };
}

function describe(n: Node): string {
  switch (n.kind) {
    case "object":
      return "a table";
    case "array":
      return "an array";
    case "string":
      return `the string ${JSON.stringify(n.value)}`;
    default:
      return `the ${n.kind} ${String(n.value)}`;
  }
}

function validateKeys(root: ObjectNode): Problem[] {
  const problems: Problem[] = [];
  const check = (e: Entry, where: "top" | "env", envName?: string) => {
    const k = e.key;
    const wrong = shapeProblem(k, e.value);
    if (wrong) problems.push(wrong);
    if (DEPRECATED_KEYS[k]) {
      problems.push({
        code: "deprecated-key",
        severity: k === "legacy_env" ? "error" : "warning",
        message: `"${k}" is deprecated: ${DEPRECATED_KEYS[k]}`,
        span: e.keySpan,
      });
      return;
    }
    if (where === "env" && TOP_LEVEL_ONLY_KEYS.has(k)) {
      problems.push({
        code: "top-level-only-key",
        severity: "warning",
        message: `"${k}" is only read at the top level, not inside [env.${envName}]`,
        span: e.keySpan,
      });
      return;
    }
    if (k === "k2") problems.push(k2Note(e.keySpan));
    if (!INHERITABLE_KEYS.has(k) && !NON_INHERITABLE_KEYS.has(k) && !TOP_LEVEL_ONLY_KEYS.has(k)) {
      problems.push({
        code: "unknown-key",
        severity: "warning",
        message: `Unknown wrangler config key "${k}"`,
        span: e.keySpan,
      });
    }
  };
  for (const e of root.entries) {
    check(e, "top");
    if (e.key === "env" && e.value.kind === "object") {
      for (const envEntry of e.value.entries) {
        if (envEntry.value.kind !== "object") continue;
        for (const inner of envEntry.value.entries) check(inner, "env", envEntry.key);
      }
    }
  }
  return problems;
}

/**
 * K2 stream bindings (wrangler 4.164, `[{ binding, stream }]`, API `/accounts/{id}/k2/streams`): deploy uploads
 * them with the Worker and provisions nothing (facts-2026-12.md), but no source says whether the upload checks a
 * permission on the stream, and the catalog has no K2 group. Said once per key, with low confidence.
 */
function k2Note(span: Span): Problem {
  return {
    code: "k2-permission-unknown",
    severity: "info",
    message:
      "K2 stream bindings are uploaded with the Worker (no K2 API call on deploy); whether the upload also needs a K2 permission on the stream is not known, and no K2 permission group is in the catalog (low confidence)",
    span,
  };
}

/** The `[env.*]` tables of a config by name, built once per reading. */
function envIndex(file: ConfigFile): { names: string[]; byName: Map<string, Entry> } {
  let ix = file.derived.envIndex;
  if (!ix) {
    const envs = entry(file.root, "env");
    const list = envs && envs.value.kind === "object" ? envs.value.entries : [];
    ix = { names: list.map((e) => e.key), byName: new Map(list.map((e) => [e.key, e])) };
    file.derived.envIndex = ix;
  }
  return ix;
}

/** The names of the `[env.*]` tables of a config (one shared array per file: callers must not change it). */
export function environments(file: ConfigFile): string[] {
  return envIndex(file).names;
}

/** The config as wrangler sees it for one environment (null = top level); computed once per reading and env. */
export function resolveConfig(file: ConfigFile, env: string | null): ResolvedConfig {
  const perEnv = (file.derived.resolved ??= new Map());
  const key = env ?? "\u0000top";
  const hit = perEnv.get(key);
  if (hit) return hit;
  const r = resolveConfigUncached(file, env);
  perEnv.set(key, r);
  return r;
}

function resolveConfigUncached(file: ConfigFile, env: string | null): ResolvedConfig {
  const root = file.root;
  const envs = environments(file);
  const isPages = !!entry(root, "pages_build_output_dir");
  const problems: Problem[] = [];
  const envsEntry = entry(root, "env");
  const envEntry = env ? envIndex(file).byName.get(env) : undefined;
  const envNode = envEntry && envEntry.value.kind === "object" ? envEntry.value : undefined;
  const span0: Span = { start: 0, end: 0 };
  if (env && !envNode) {
    if (isPages) {
      if (env !== "preview" && env !== "production")
        problems.push({
          code: "unknown-env",
          severity: "error",
          message: `Pages configs only have the environments "preview" and "production", not "${env}"`,
          span: envsEntry?.keySpan ?? span0,
        });
    } else if (envs.length) {
      problems.push({
        code: "unknown-env",
        severity: "error",
        message: `No environment "${env}" in ${file.path}; it defines: ${envs.length > 20 ? `${envs.slice(0, 20).join(", ")} and ${envs.length - 20} more` : envs.join(", ")}`,
        span: envsEntry?.keySpan ?? span0,
      });
    } else {
      problems.push({
        code: "unknown-env",
        severity: "warning",
        message: `No [env.${env}] in the config: wrangler deploys the top-level settings as "<name>-${env}"`,
        span: span0,
      });
    }
  }
  const envPrefix = envNode ? `env.${env}.` : "";
  const fromTop = (key: string): Located | undefined => {
    const e = entry(root, key);
    return e ? { node: e.value, key, keySpan: e.keySpan } : undefined;
  };
  const fromEnv = (key: string): Located | undefined => {
    const e = entry(envNode, key);
    return e ? { node: e.value, key: envPrefix + key, keySpan: e.keySpan } : undefined;
  };
  const get = (key: string): Located | undefined => {
    if (!envNode || TOP_LEVEL_ONLY_KEYS.has(key)) return fromTop(key);
    if (NON_INHERITABLE_KEYS.has(key)) return fromEnv(key);
    return fromEnv(key) ?? fromTop(key);
  };
  if (envNode) {
    for (const e of root?.entries ?? []) {
      if (NON_INHERITABLE_KEYS.has(e.key) && !entry(envNode, e.key) && e.key !== "define") {
        problems.push({
          code: "not-inherited",
          severity: "warning",
          message: `"${e.key}" exists at the top level but not in [env.${env}]: environments do not inherit bindings, so the ${env} deploy has none`,
          span: e.keySpan,
        });
      }
    }
  }
  const topName = str(fromTop("name")?.node);
  const envName = envNode ? str(fromEnv("name")?.node) : undefined;
  let scriptName: string | undefined;
  if (envName) scriptName = envName;
  else if (topName) scriptName = env && !isPages ? `${topName}-${env}` : topName;
  return { file, env, envs, isPages, scriptName, problems, get };
}
