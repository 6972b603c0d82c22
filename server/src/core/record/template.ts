// Turns a concrete Cloudflare API request path into a path template ("/accounts/0123…/workers/scripts/my-worker"
// → "/accounts/{account_id}/workers/scripts/{script_name}"), so recorded calls can be looked up in the endpoint
// catalog and shown without ids. Placeholder names follow the traces in the shared oracle research.
// Pure: no I/O.

/**
 * A collection in the API: when the path segments before position i end with `after`, segment i is an id
 * named `name` unless it is one of `literals` (sub-resources addressed by a fixed word).
 * `rest: true` makes the placeholder swallow every remaining segment (R2 object keys may contain "/").
 */
interface Collection {
  after: string[];
  name: string;
  literals?: string[];
  rest?: boolean;
}

// Longer `after` lists are tried first, so "workers/scripts" wins over a one-word rule.
const COLLECTIONS: Collection[] = [
  { after: ["accounts"], name: "account_id" },
  { after: ["zones"], name: "zone_id" },
  { after: ["memberships"], name: "membership_id" },
  { after: ["user", "tokens"], name: "token_id", literals: ["verify", "permission_groups"] },
  { after: ["tokens"], name: "token_id", literals: ["verify", "permission_groups"] },
  { after: ["workers", "scripts"], name: "script_name" },
  { after: ["workers", "services"], name: "script_name" },
  { after: ["workers", "workers"], name: "script_name" },
  { after: ["workers", "dispatch", "namespaces"], name: "dispatch_namespace" },
  { after: ["workers", "domains", "records"], name: "domain_id" },
  { after: ["workers", "domains"], name: "domain_id", literals: ["records", "changeset"] },
  { after: ["workers", "routes"], name: "route_id" },
  { after: ["workers", "durable_objects", "namespaces"], name: "namespace_id" },
  { after: ["durable_objects", "namespaces"], name: "namespace_id" },
  { after: ["environments"], name: "environment_name" },
  { after: ["r2", "buckets"], name: "bucket_name" },
  { after: ["objects"], name: "object_key", rest: true },
  { after: ["d1", "database"], name: "database_id" },
  { after: ["storage", "kv", "namespaces"], name: "namespace_id" },
  { after: ["values"], name: "key_name" },
  { after: ["metadata"], name: "key_name" },
  { after: ["queues"], name: "queue_id" },
  { after: ["consumers"], name: "consumer_id" },
  { after: ["workflows"], name: "workflow_name", literals: [] },
  { after: ["instances"], name: "instance_id" },
  { after: ["pages", "projects"], name: "project_name" },
  { after: ["deployments"], name: "deployment_id" },
  { after: ["versions"], name: "version_id", literals: ["latest"] },
  { after: ["secrets_store", "stores"], name: "store_id" },
  { after: ["secrets"], name: "secret_name" },
  { after: ["hyperdrive", "configs"], name: "hyperdrive_id" },
  { after: ["vectorize", "v2", "indexes"], name: "index_name" },
  { after: ["vectorize", "indexes"], name: "index_name" },
  { after: ["mtls_certificates"], name: "certificate_id" },
  { after: ["pipelines"], name: "pipeline_name" },
  { after: ["containers", "applications"], name: "application_id" },
  { after: ["workers", "tails", "by-consumer"], name: "script_name" },
  { after: ["tails"], name: "tail_id", literals: ["by-consumer"] },
].sort((a, b) => b.after.length - a.after.length);

export interface PathTemplate {
  /** The path template, without query string: "/accounts/{account_id}/workers/scripts/{script_name}". */
  path: string;
  /** Query parameter names in request order, without values ("excludeScript", "bindings_inherit"). */
  query: string[];
  /** The concrete value behind each placeholder (first occurrence), e.g. { zone_id: "0123…" }. */
  params: Record<string, string>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Templates a request path relative to the API base ("/accounts/…", optionally with "?query").
 * A leading "/client/v4" is removed. Unknown segments stay literal.
 */
export function templatePath(rawPath: string): PathTemplate {
  const q = rawPath.indexOf("?");
  let pathPart = q >= 0 ? rawPath.slice(0, q) : rawPath;
  const queryPart = q >= 0 ? rawPath.slice(q + 1) : "";
  if (pathPart.startsWith("/client/v4/") || pathPart === "/client/v4") pathPart = pathPart.slice("/client/v4".length);
  const segs = pathPart.split("/").filter((s) => s !== "");
  const out: string[] = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const rule = COLLECTIONS.find(
      (c) =>
        c.after.length <= i &&
        c.after.every((w, k) => segs[i - c.after.length + k] === w && !isPlaceholderAt(out, i - c.after.length + k)) &&
        !(c.literals ?? []).includes(seg),
    );
    if (!rule) {
      out.push(seg);
      continue;
    }
    const value = rule.rest ? segs.slice(i).join("/") : seg;
    if (!(rule.name in params)) params[rule.name] = decode(value);
    out.push(`{${rule.name}}`);
    if (rule.rest) break;
  }
  const query = queryPart
    ? queryPart
        .split("&")
        .filter((p) => p !== "")
        .map((p) => decode(p.split("=")[0]!))
    : [];
  return { path: "/" + out.join("/"), query: [...new Set(query)], params };
}

// A segment that was itself replaced by a placeholder cannot be a collection word ("/accounts/queues/…" where
// "queues" is an account id would otherwise confuse the next rule).
function isPlaceholderAt(out: string[], k: number): boolean {
  const s = out[k];
  return s !== undefined && s.startsWith("{") && s.endsWith("}");
}

/** "GET /zones?name&account.id": the form the traces and the report use. */
export function formatCall(method: string, t: { path: string; query: string[] }): string {
  return `${method.toUpperCase()} ${t.path}${t.query.length ? "?" + t.query.join("&") : ""}`;
}

/**
 * Finds the wrangler arguments in a command line given to record mode: the words after the first word that
 * names wrangler ("wrangler", "wrangler.js", ".../wrangler/bin/wrangler.js", "wrangler-dist/cli.js").
 * Returns undefined when the command does not run wrangler directly (e.g. "npm run deploy").
 */
export function findWranglerArgs(argv: readonly string[]): string[] | undefined {
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const base = w.split("/").pop() ?? w;
    if (/^wrangler(\.c?m?js)?$/.test(base) || /wrangler-dist\/cli\.js$/.test(w) || /^wrangler@/.test(base)) {
      return argv.slice(i + 1);
    }
  }
  return undefined;
}
