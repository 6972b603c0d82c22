// The wrangler config model: one parsed config file, and its view for one environment with wrangler's own
// inheritance rules (inheritable keys fall back to the top level; bindings do not; the script is <name>-<env>).
// Source of the rules: wrangler's config model as summarised in the team's research (research/wrangler.md §2).
import type { Span } from "../source.js";
import { SourceFile } from "../source.js";
import type { Problem } from "../problems.js";
import type { Node, ObjectNode, Entry } from "../parse/tree.js";
import { entry, str } from "../parse/tree.js";
import { parseConfigText } from "../parse/index.js";

/** Keys an `[env.NAME]` table inherits from the top level when it does not set them. */
export const INHERITABLE_KEYS = new Set([
  "name", "account_id", "compatibility_date", "compatibility_flags", "main", "find_additional_modules",
  "preserve_file_names", "base_dir", "workers_dev", "preview_urls", "routes", "route", "tsconfig", "jsx_factory",
  "jsx_fragment", "migrations", "exports", "triggers", "limits", "rules", "build", "no_bundle", "minify",
  "keep_names", "first_party_worker", "logfwdr", "logpush", "upload_source_maps", "placement", "assets",
  "observability", "access", "cache", "compliance_region", "python_modules", "previews", "usage_model",
  "node_compat",
]);

/** Keys an environment never inherits (bindings and vars): they must be repeated in each `[env.NAME]`. */
export const NON_INHERITABLE_KEYS = new Set([
  "define", "vars", "secrets", "durable_objects", "workflows", "cloudchamber", "containers", "kv_namespaces",
  "send_email", "queues", "connect", "r2_buckets", "d1_databases", "vectorize", "ai_search_namespaces", "ai_search",
  "agent_memory", "websearch", "hyperdrive", "services", "analytics_engine_datasets", "browser", "ai", "images",
  "media", "stream", "version_metadata", "unsafe", "mtls_certificates", "tail_consumers", "streaming_tail_consumers",
  "dispatch_namespaces", "pipelines", "secrets_store_secrets", "artifacts", "unsafe_hello_world", "flagship",
  "ratelimits", "worker_loaders", "vpc_services", "vpc_networks", "logfwdr",
]);

/** Keys allowed only at the top level. */
export const TOP_LEVEL_ONLY_KEYS = new Set([
  "$schema", "env", "pages_build_output_dir", "send_metrics", "dependencies_instrumentation", "dev", "site",
  "wasm_modules", "text_blobs", "data_blobs", "alias", "keep_vars", "addresses",
]);

/** Keys wrangler no longer accepts or warns about, with what to do instead. */
export const DEPRECATED_KEYS: Record<string, string> = {
  legacy_env: "removed in wrangler 4: every environment now deploys as its own Worker <name>-<env>",
  type: "a wrangler 1 key; wrangler 2+ ignores it",
  webpack_config: "a wrangler 1 key; wrangler 2+ bundles with esbuild",
  zone_id: "a wrangler 1 key; put zone_id on each route instead",
  usage_model: "deprecated: Workers pricing no longer has usage models",
  node_compat: "replaced by compatibility_flags = [\"nodejs_compat\"]",
  "kv-namespaces": "renamed to kv_namespaces",
  experimental_services: "renamed to services",
};

export interface ConfigFile {
  path: string;
  format: "toml" | "json";
  source: SourceFile;
  root: ObjectNode | undefined;
  /** Parse problems and key validation problems of the file (not of one env). */
  problems: Problem[];
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

const cache = new Map<string, ConfigFile>();
const CACHE_LIMIT = 5000;

/** Reads one config file; results are cached by path and content so unchanged files are parsed once. */
export function readConfigFile(path: string, text: string): ConfigFile {
  const cacheKey = path + "\u0000" + text;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const doc = parseConfigText(path, text);
  const format = path.endsWith(".toml") ? "toml" : "json";
  const file: ConfigFile = { path, format, source: new SourceFile(path, text), root: doc.root, problems: [...doc.problems] };
  if (doc.root) file.problems.push(...validateKeys(doc.root));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, file);
  return file;
}

function validateKeys(root: ObjectNode): Problem[] {
  const problems: Problem[] = [];
  const check = (e: Entry, where: "top" | "env", envName?: string) => {
    const k = e.key;
    if (DEPRECATED_KEYS[k]) {
      problems.push({ code: "deprecated-key", severity: k === "legacy_env" ? "error" : "warning", message: `"${k}" is deprecated: ${DEPRECATED_KEYS[k]}`, span: e.keySpan });
      return;
    }
    if (where === "env" && TOP_LEVEL_ONLY_KEYS.has(k)) {
      problems.push({ code: "top-level-only-key", severity: "warning", message: `"${k}" is only read at the top level, not inside [env.${envName}]`, span: e.keySpan });
      return;
    }
    if (!INHERITABLE_KEYS.has(k) && !NON_INHERITABLE_KEYS.has(k) && !TOP_LEVEL_ONLY_KEYS.has(k)) {
      problems.push({ code: "unknown-key", severity: "warning", message: `Unknown wrangler config key "${k}"`, span: e.keySpan });
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

/** The names of the `[env.*]` tables of a config. */
export function environments(file: ConfigFile): string[] {
  const envs = entry(file.root, "env");
  return envs && envs.value.kind === "object" ? envs.value.entries.map((e) => e.key) : [];
}

/** The config as wrangler sees it for one environment (null = top level). */
export function resolveConfig(file: ConfigFile, env: string | null): ResolvedConfig {
  const root = file.root;
  const envs = environments(file);
  const isPages = !!entry(root, "pages_build_output_dir");
  const problems: Problem[] = [];
  const envsEntry = entry(root, "env");
  const envEntry = env && envsEntry && envsEntry.value.kind === "object" ? envsEntry.value.entries.find((e) => e.key === env) : undefined;
  const envNode = envEntry && envEntry.value.kind === "object" ? envEntry.value : undefined;
  const span0: Span = { start: 0, end: 0 };
  if (env && !envNode) {
    if (isPages) {
      if (env !== "preview" && env !== "production")
        problems.push({ code: "unknown-env", severity: "error", message: `Pages configs only have the environments "preview" and "production", not "${env}"`, span: envsEntry?.keySpan ?? span0 });
    } else if (envs.length) {
      problems.push({ code: "unknown-env", severity: "error", message: `No environment "${env}" in ${file.path}; it defines: ${envs.join(", ")}`, span: envsEntry?.keySpan ?? span0 });
    } else {
      problems.push({ code: "unknown-env", severity: "warning", message: `No [env.${env}] in the config: wrangler deploys the top-level settings as "<name>-${env}"`, span: span0 });
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

/** Wrangler's discovery order: wrangler.json, then wrangler.jsonc, then wrangler.toml, each searched upward. */
export const CONFIG_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

export function isConfigFileName(name: string): boolean {
  return CONFIG_NAMES.includes(name);
}
