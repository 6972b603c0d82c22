// The state of one prediction (calls, notes, errors) and the config reads that several phases share: causes, the
// Worker name, queues, workers.dev and routes.
import type { Location, Span } from "../source.js";
import type { Node } from "../parse/tree.js";
import { arr, bool, get, str } from "../parse/tree.js";
import type { ResolvedConfig, Located } from "../model/wrangler.js";
import type { Cause, PredictContext, PredictedCall } from "./call-types.js";

export const A = "/accounts/{account_id}";
export const SCRIPT = `${A}/workers/scripts/{script_name}`;

/** Binding kinds whose presence makes wrangler check remote secrets for name clashes before upload. */
export const SECRET_CHECK_KEYS = [
  "vars",
  "durable_objects",
  "workflows",
  "d1_databases",
  "kv_namespaces",
  "r2_buckets",
  "services",
  "queues",
  "vectorize",
  "ai",
  "hyperdrive",
  "analytics_engine_datasets",
  "browser",
  "images",
  "mtls_certificates",
  "dispatch_namespaces",
  "pipelines",
  "send_email",
  "version_metadata",
  "ratelimits",
  "worker_loaders",
  "vpc_services",
  "vpc_networks",
  "media",
  "stream",
  "ai_search",
  "ai_search_namespaces",
  "agent_memory",
  "flagship",
  "artifacts",
  "websearch",
  "unsafe",
  "secrets",
];

export class Predictor {
  calls: PredictedCall[] = [];
  notes: string[] = [];
  errors: string[] = [];
  unsupported: string | undefined;
  constructor(
    readonly cfg: ResolvedConfig | undefined,
    readonly ctx: PredictContext,
  ) {}

  loc(l: Located | undefined): Location | undefined {
    return l && this.cfg ? { file: this.cfg.file.path, span: l.keySpan } : undefined;
  }
  /** The place of a config node as a cause location (its key's span). */
  at(node: Node): Cause["location"] {
    return this.cfg ? { file: this.cfg.file.path, span: keySpanOf(node) } : undefined;
  }
  commandCause(why: string): Cause {
    return { location: this.ctx.commandLocation, key: "command", why };
  }
  nameCause(why: string): Cause {
    const n = this.cfg?.get("name");
    if (n) return { location: this.loc(n), key: n.key, why };
    return this.commandCause(why);
  }
  add(method: PredictedCall["method"], path: string, cause: Cause, extra: Partial<PredictedCall> = {}) {
    this.calls.push({ method, path, cause, ...extra });
  }

  requireScript(): string | undefined {
    const name =
      this.cfg?.scriptName ??
      (typeof this.ctx.command.flags.name === "string" ? this.ctx.command.flags.name : undefined);
    if (!name) this.errors.push("The config has no `name`, so the Worker to deploy is unknown.");
    return name;
  }

  queueNames(): { name: string; cause: Cause; consumer: boolean }[] {
    const q = this.cfg?.get("queues");
    if (!q) return [];
    const out: { name: string; cause: Cause; consumer: boolean }[] = [];
    for (const [kind, consumer] of [
      ["producers", false],
      ["consumers", true],
    ] as const) {
      for (const [i, item] of arr(get(q.node, kind)).entries()) {
        const name = str(get(item, "queue"));
        if (!name) continue;
        out.push({
          name,
          consumer,
          cause: {
            location: this.at(item),
            key: `${q.key}.${kind}[${i}]`,
            why: consumer ? `Queue consumer of "${name}"` : `Queue producer binding to "${name}"`,
          },
        });
      }
    }
    return out;
  }

  workersDev(): { enabled: boolean; cause: Cause } {
    const wd = this.cfg?.get("workers_dev");
    const routes = this.routeEntries();
    const explicit = bool(wd?.node);
    const enabled = explicit ?? routes.length === 0;
    const cause: Cause = wd
      ? {
          location: this.loc(wd),
          key: wd.key,
          why: `workers_dev = ${explicit}: wrangler sets the workers.dev route of the Worker`,
        }
      : this.nameCause(
          routes.length
            ? "workers.dev is off by default when routes are set; wrangler still sets its state"
            : "workers.dev is on by default (no routes): wrangler reads the account subdomain and enables the Worker's workers.dev route",
        );
    return { enabled, cause };
  }

  routeEntries(): { node: Node; key: string; located: Located }[] {
    const routes = this.cfg?.get("routes");
    if (routes) return arr(routes.node).map((n, i) => ({ node: n, key: `${routes.key}[${i}]`, located: routes }));
    const route = this.cfg?.get("route");
    return route ? [{ node: route.node, key: route.key, located: route }] : [];
  }
}

export function isEmpty(n: Node): boolean {
  if (n.kind === "array") return n.items.length === 0;
  if (n.kind === "object") return n.entries.length === 0;
  return false;
}

/** Spans of array items carry no key; use the item's own span start (its first line). */
export function keySpanOf(n: Node): Span {
  if (n.kind === "object" && n.entries.length) return { start: n.span.start, end: n.entries[0]!.keySpan.end };
  return n.span;
}
