// The keys of wrangler's config (4.164): which an environment inherits, which it must repeat, which exist only at
// the top level, and which are deprecated with what to do instead. Read by the config model (model/wrangler.ts).

/** Keys an `[env.NAME]` table inherits from the top level when it does not set them. */
// prettier-ignore
export const INHERITABLE_KEYS = new Set([
  "name", "account_id", "compatibility_date", "compatibility_flags", "main", "find_additional_modules",
  "preserve_file_names", "base_dir", "workers_dev", "preview_urls", "routes", "route", "tsconfig", "jsx_factory",
  "jsx_fragment", "migrations", "exports", "triggers", "limits", "rules", "build", "no_bundle", "minify",
  "keep_names", "first_party_worker", "logfwdr", "logpush", "upload_source_maps", "placement", "assets",
  "observability", "access", "cache", "compliance_region", "python_modules", "previews", "usage_model",
  "node_compat",
]);

/** Keys an environment never inherits (bindings and vars): they must be repeated in each `[env.NAME]`. */
// prettier-ignore
export const NON_INHERITABLE_KEYS = new Set([
  "define", "vars", "secrets", "durable_objects", "workflows", "cloudchamber", "containers", "kv_namespaces",
  "send_email", "queues", "connect", "r2_buckets", "d1_databases", "vectorize", "ai_search_namespaces", "ai_search",
  "agent_memory", "websearch", "hyperdrive", "services", "analytics_engine_datasets", "browser", "ai", "images",
  "media", "stream", "version_metadata", "unsafe", "mtls_certificates", "tail_consumers", "streaming_tail_consumers",
  "dispatch_namespaces", "pipelines", "secrets_store_secrets", "artifacts", "unsafe_hello_world", "flagship",
  "ratelimits", "worker_loaders", "vpc_services", "vpc_networks", "logfwdr",
  // wrangler 4.164 (facts-2026-12.md; notInheritable in wrangler's config normalisation):
  "k2", "analytics",
]);

/** Keys allowed only at the top level. */
// prettier-ignore
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
  node_compat: 'replaced by compatibility_flags = ["nodejs_compat"]',
  "kv-namespaces": "renamed to kv_namespaces",
  experimental_services: "renamed to services",
};
