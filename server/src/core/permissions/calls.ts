// Predicts the Cloudflare API calls one wrangler command makes for one resolved config, each with the config
// key (or command) that causes it. The call lists follow wrangler 4.164 as recorded against a mock API
// (team research: research/oracle.md) and its source (research/wrangler.md §3).
import type { Location, Span } from "../source.js";
import type { Node } from "../parse/tree.js";
import { arr, bool, get, str } from "../parse/tree.js";
import type { ResolvedConfig, Located } from "../model/wrangler.js";
import { commandText, type WranglerCommand } from "../command.js";
import type { Confidence } from "./catalog.js";
import { catalogCalls, unsupportedReason } from "./command-calls.js";

/** Why a call is made: the place that causes it and a sentence for people. */
export interface Cause {
  location: Location | undefined;
  /** Dotted config key, or "command" / "account" for causes outside the config. */
  key: string;
  why: string;
}

export interface ZoneRef {
  zoneId?: string;
  zoneName?: string;
  /** For a bare pattern: the host whose zone wrangler looks up (zone name guessed from it). */
  host?: string;
}

export interface PredictedCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path template, e.g. /accounts/{account_id}/workers/scripts/{script_name}. */
  path: string;
  cause: Cause;
  /** Only in this account state: "fresh" (resource missing, wrangler creates it) or "existing". */
  when?: "fresh" | "existing";
  zone?: ZoneRef;
  bucket?: { name: string; jurisdiction: string };
  /** Set when the facts behind this call are uncertain. */
  confidence?: Confidence;
  /** The call changes data, so a Read group that the endpoint also accepts is not enough (e.g. D1 SQL that writes). */
  writes?: boolean;
  /** A server-side check rather than a call of its own: these groups are needed by the named call. */
  serverCheck?: { groups: string[]; note: string };
}

export interface Prediction {
  calls: PredictedCall[];
  notes: string[];
  /** Problems that make the prediction unusable (e.g. no Worker name). */
  errors: string[];
  /** Set when the command is not one the tool can answer (unknown, or its API calls are not in the catalog). */
  unsupported?: string;
}

export interface PredictContext {
  command: WranglerCommand;
  /** The account id is known without an API lookup (config account_id, CI, --account-id). */
  accountKnown: boolean;
  /** Where the command itself is written (a CI step), used as the cause of command-level calls. */
  commandLocation?: Location;
}

const A = "/accounts/{account_id}";
const SCRIPT = `${A}/workers/scripts/{script_name}`;

/** Binding kinds whose presence makes wrangler check remote secrets for name clashes before upload. */
const SECRET_CHECK_KEYS = [
  "vars", "durable_objects", "workflows", "d1_databases", "kv_namespaces", "r2_buckets", "services", "queues",
  "vectorize", "ai", "hyperdrive", "analytics_engine_datasets", "browser", "images", "mtls_certificates",
  "dispatch_namespaces", "pipelines", "send_email", "version_metadata", "ratelimits", "worker_loaders",
  "vpc_services", "vpc_networks", "media", "stream", "ai_search", "ai_search_namespaces", "agent_memory",
  "flagship", "artifacts", "websearch", "unsafe", "secrets",
];

export function predictCalls(cfg: ResolvedConfig | undefined, ctx: PredictContext): Prediction {
  const p = new Predictor(cfg, ctx);
  p.run();
  return { calls: p.calls, notes: p.notes, errors: p.errors, ...(p.unsupported ? { unsupported: p.unsupported } : {}) };
}

class Predictor {
  calls: PredictedCall[] = [];
  notes: string[] = [];
  errors: string[] = [];
  unsupported: string | undefined;
  constructor(private readonly cfg: ResolvedConfig | undefined, private readonly ctx: PredictContext) {}

  private loc(l: Located | undefined): Location | undefined {
    return l && this.cfg ? { file: this.cfg.file.path, span: l.keySpan } : undefined;
  }
  private at(node: Node, key: string): Cause["location"] {
    return this.cfg ? { file: this.cfg.file.path, span: keySpanOf(node) } : undefined;
  }
  private commandCause(why: string): Cause {
    return { location: this.ctx.commandLocation, key: "command", why };
  }
  private nameCause(why: string): Cause {
    const n = this.cfg?.get("name");
    if (n) return { location: this.loc(n), key: n.key, why };
    return this.commandCause(why);
  }
  private add(method: PredictedCall["method"], path: string, cause: Cause, extra: Partial<PredictedCall> = {}) {
    this.calls.push({ method, path, cause, ...extra });
  }

  run() {
    const { command } = this.ctx;
    const words = command.words.join(" ");
    const dryRunKnown = command.kind !== "other" || words === "delete";
    if (!(command.dryRun && dryRunKnown)) this.unsupported = unsupportedReason(command);
    if (this.unsupported) return;
    if (command.dryRun && command.kind === "versions-deploy") {
      // Unlike the other dry runs, `versions deploy --dry-run` authenticates and does its reads, then stops before
      // the deployment is created (research/wrangler.md §3.3 and §5.4).
      if (!this.ctx.accountKnown) this.accountLookup();
      this.notes.push("`versions deploy --dry-run` still reads the Worker's deployments and versions; it stops before creating the deployment.");
      return this.versionsDeploy(true);
    }
    if (command.dryRun && dryRunKnown) {
      this.notes.push("--dry-run makes no Cloudflare API call (wrangler skips authentication too), so it needs no token.");
      return;
    }
    if (!command.remote && words === "dev" && this.remoteBinding()) {
      this.unsupported = `\`wrangler dev\` with bindings marked \`remote = true\` (${this.remoteBinding()}) calls the Cloudflare API for remote bindings, and which calls it makes is not in this tool's command catalog yet: no token is computed for it.`;
      return;
    }
    if (!command.remote) {
      const entry = command.entry;
      this.notes.push(entry?.runs === "local" ? `\`wrangler ${words}\` ${entry.note ?? "makes no Cloudflare API call"}.` : `\`wrangler ${commandText(command.argv)}\` works on local data without --remote: it makes no API call.`);
      if (entry?.note && entry.runs !== "local" && !entry.calls && !entry.engine) this.notes.push(`\`wrangler ${words}\`: ${entry.note}`);
      return;
    }
    if (!this.ctx.accountKnown && command.entry?.account !== false) this.accountLookup();
    switch (command.kind) {
      case "deploy":
        return this.deploy();
      case "versions-upload":
        return this.versionsUpload();
      case "versions-deploy":
        return this.versionsDeploy();
      case "triggers-deploy":
        return this.triggers();
      case "pages-deploy":
        return this.pagesDeploy();
      case "pages-project-create":
        return this.add("POST", `${A}/pages/projects`, this.commandCause("`pages project create` creates the Pages project"));
      case "d1-migrations-apply":
      case "d1-execute":
        return this.d1Command();
      case "secret-put":
      case "secret-bulk":
        return this.secretCommand();
      case "kv-key-put":
      case "kv-bulk-put":
        return this.kvCommand();
      case "r2-object-put":
        return this.r2Command();
      case "secrets-store-secret-create":
        return this.secretsStoreCreate();
      default: {
        const r = catalogCalls(command.entry!, command, this.cfg?.scriptName ?? undefined, (why) => this.commandCause(why));
        this.calls.push(...r.calls);
        this.notes.push(...r.notes);
        this.errors.push(...r.errors);
      }
    }
  }

  /** The first binding marked `remote = true` (wrangler dev then connects to the real resource), as a dotted key. */
  private remoteBinding(): string | undefined {
    for (const key of SECRET_CHECK_KEYS) {
      const l = this.cfg?.get(key);
      const items = l?.node.kind === "object" ? l.node.entries.flatMap((e) => (e.value.kind === "array" ? e.value.items : [e.value])) : arr(l?.node);
      const i = items.findIndex((b) => bool(get(b, "remote")) === true);
      if (i >= 0) return `${l!.key}[${i}]`;
    }
    return undefined;
  }

  private accountLookup() {
    const why = "No account id is configured (account_id, CLOUDFLARE_ACCOUNT_ID): wrangler lists the token's accounts and memberships to pick one";
    const cause: Cause = { location: this.loc(this.cfg?.get("name")), key: "account_id", why };
    this.add("GET", "/accounts", cause);
    this.add("GET", "/memberships", cause, { confidence: "medium" });
    // What the lookup asks of the token depends on who owns it: the note is written by minimal.ts.
  }

  private requireScript(): string | undefined {
    const name = this.cfg?.scriptName ?? (typeof this.ctx.command.flags.name === "string" ? this.ctx.command.flags.name : undefined);
    if (!name) this.errors.push("The config has no `name`, so the Worker to deploy is unknown.");
    return name;
  }

  // ---- wrangler deploy ---------------------------------------------------------------------------------

  private deploy() {
    const cfg = this.cfg;
    if (cfg?.isPages) {
      this.errors.push("This is a Pages config (pages_build_output_dir): use `wrangler pages deploy`, not `wrangler deploy`.");
      return;
    }
    if (!this.requireScript()) return;
    const dispatch = typeof this.ctx.command.flags["dispatch-namespace"] === "string";
    const exists = this.nameCause("wrangler deploy first checks whether the Worker exists (new vs existing upload path)");
    if (!dispatch) this.add("GET", `${A}/workers/services/{script_name}`, exists);
    this.secretsCheck();
    this.workflowsPreCheck();
    this.queuesPreCheck();
    const wd = this.workersDev();
    if (wd.enabled) this.add("GET", `${A}/workers/subdomain`, wd.cause);
    if (!dispatch) this.add("GET", `${SCRIPT}/deployments`, this.nameCause("wrangler reads the latest deployment before replacing it"));
    const migrations = this.cfg?.get("migrations");
    if (migrations && arr(migrations.node).length) {
      this.add("GET", `${A}/workers/services/{script_name}`, { location: this.loc(migrations), key: migrations.key, why: "Durable Object migrations: wrangler reads the Worker's current migration tag" });
    }
    this.assets();
    this.site();
    this.provisioning();
    this.upload(!!(migrations && arr(migrations.node).length));
    this.triggers(true);
    this.secretsStoreBindings();
    this.metadataOnlyBindings();
  }

  private secretsCheck() {
    const cfg = this.cfg;
    if (!cfg) return;
    // The reason points at the first such key as written in the file.
    const first = SECRET_CHECK_KEYS.map((k) => cfg.get(k))
      .filter((l): l is Located => l !== undefined && !isEmpty(l.node))
      .sort((a, b) => a.keySpan.start - b.keySpan.start)[0];
    if (first) {
      this.add("GET", `${SCRIPT}/secrets`, {
        location: this.loc(first),
        key: first.key,
        why: "Vars and bindings make wrangler list the Worker's secrets to warn about name clashes",
      });
    }
  }

  private workflowsPreCheck() {
    const wf = this.cfg?.get("workflows");
    for (const [i, w] of arr(wf?.node).entries()) {
      const name = str(get(w, "name"));
      const script = str(get(w, "script_name"));
      // wrangler checks only the workflows this Worker deploys: no script_name, or its own name (workers-sdk
      // deploy-helpers/src/deploy/helpers/check-workflow-conflicts.ts filters on script_name).
      if (!name || (script && script !== this.cfg?.scriptName)) continue;
      this.add("GET", `${A}/workflows/{workflow_name}`, { location: this.at(w, ""), key: `${wf!.key}[${i}]`, why: `Workflow "${name}": wrangler checks for a workflow of the same name owned by another Worker` }, { confidence: "high" });
    }
  }

  private queueNames(): { name: string; cause: Cause; consumer: boolean }[] {
    const q = this.cfg?.get("queues");
    if (!q) return [];
    const out: { name: string; cause: Cause; consumer: boolean }[] = [];
    for (const [kind, consumer] of [["producers", false], ["consumers", true]] as const) {
      for (const [i, item] of arr(get(q.node, kind)).entries()) {
        const name = str(get(item, "queue"));
        if (!name) continue;
        out.push({ name, consumer, cause: { location: this.at(item, ""), key: `${q.key}.${kind}[${i}]`, why: consumer ? `Queue consumer of "${name}"` : `Queue producer binding to "${name}"` } });
      }
    }
    return out;
  }

  private queuesPreCheck() {
    const seen = new Set<string>();
    for (const q of this.queueNames()) {
      if (seen.has(q.name)) continue;
      seen.add(q.name);
      this.add("GET", `${A}/queues`, { ...q.cause, why: `${q.cause.why}: wrangler checks that the queue exists` });
    }
    for (const q of this.queueNames()) {
      if (!q.consumer && !seen.has("created:" + q.name)) {
        seen.add("created:" + q.name);
        this.add("POST", `${A}/queues`, { ...q.cause, why: `${q.cause.why}: a missing queue is created by automatic provisioning` }, { when: "fresh", confidence: "medium" });
      }
    }
  }

  private workersDev(): { enabled: boolean; cause: Cause } {
    const wd = this.cfg?.get("workers_dev");
    const routes = this.routeEntries();
    const explicit = bool(wd?.node);
    const enabled = explicit ?? routes.length === 0;
    const cause: Cause = wd
      ? { location: this.loc(wd), key: wd.key, why: `workers_dev = ${explicit}: wrangler sets the workers.dev route of the Worker` }
      : this.nameCause(routes.length ? "workers.dev is off by default when routes are set; wrangler still sets its state" : "workers.dev is on by default (no routes): wrangler reads the account subdomain and enables the Worker's workers.dev route");
    return { enabled, cause };
  }

  private assets() {
    const a = this.cfg?.get("assets");
    if (!a || !get(a.node, "directory")) return;
    const cause: Cause = { location: this.loc(a), key: a.key, why: "Static assets: wrangler opens an upload session, then uploads the files with the session's JWT" };
    this.add("POST", `${SCRIPT}/assets-upload-session`, cause);
    this.add("POST", `${A}/workers/assets/upload`, cause);
  }

  private site() {
    const s = this.cfg?.get("site");
    if (!s || !get(s.node, "bucket")) return;
    const cause: Cause = { location: this.loc(s), key: s.key, why: "Workers Sites uploads the site into a KV namespace named after the Worker" };
    this.add("GET", `${A}/storage/kv/namespaces`, cause);
    this.add("POST", `${A}/storage/kv/namespaces`, cause, { when: "fresh" });
    this.add("GET", `${A}/storage/kv/namespaces/{namespace_id}/keys`, cause);
    this.add("PUT", `${A}/storage/kv/namespaces/{namespace_id}/bulk`, cause);
    this.add("POST", `${A}/storage/kv/namespaces/{namespace_id}/bulk/delete`, cause, { confidence: "medium" });
    this.notes.push("Workers Sites (site.bucket) is deprecated; Workers static assets need only Workers Scripts Write.");
  }

  private provisioning() {
    const cfg = this.cfg;
    if (!cfg) return;
    this.add("GET", `${SCRIPT}/settings`, this.nameCause("Automatic provisioning reads the deployed Worker's bindings first (a 404 is fine)"));
    const kv = cfg.get("kv_namespaces");
    for (const [i, b] of arr(kv?.node).entries()) {
      if (str(get(b, "id"))) continue;
      const binding = str(get(b, "binding")) ?? "?";
      const cause: Cause = { location: this.at(b, ""), key: `${kv!.key}[${i}]`, why: `KV binding "${binding}" has no id: wrangler provisions the namespace (lists namespaces, creates it when missing)` };
      this.add("GET", `${A}/storage/kv/namespaces`, cause);
      this.add("POST", `${A}/storage/kv/namespaces`, cause, { when: "fresh" });
    }
    const d1 = cfg.get("d1_databases");
    for (const [i, b] of arr(d1?.node).entries()) {
      if (str(get(b, "database_id"))) continue;
      const name = str(get(b, "database_name"));
      const binding = str(get(b, "binding")) ?? "?";
      const cause: Cause = { location: this.at(b, ""), key: `${d1!.key}[${i}]`, why: `D1 binding "${binding}" has no database_id: wrangler looks the database up${name ? ` by name "${name}"` : ""} and creates it when missing` };
      if (name) this.add("GET", `${A}/d1/database/{database_name}`, cause);
      this.add("GET", `${A}/d1/database`, cause, { when: "fresh" });
      this.add("POST", `${A}/d1/database`, cause, { when: "fresh" });
    }
    const r2 = cfg.get("r2_buckets");
    for (const [i, b] of arr(r2?.node).entries()) {
      const name = str(get(b, "bucket_name"));
      const binding = str(get(b, "binding")) ?? "?";
      const jurisdiction = str(get(b, "jurisdiction")) ?? "default";
      const cause: Cause = {
        location: this.at(b, ""),
        key: `${r2!.key}[${i}]`,
        why: name
          ? `R2 binding "${binding}": wrangler checks that bucket "${name}" exists on every deploy and creates it when missing`
          : `R2 binding "${binding}" has no bucket_name: wrangler creates a bucket`,
      };
      if (name) this.add("GET", `${A}/r2/buckets/{bucket_name}`, cause, { bucket: { name, jurisdiction } });
      this.add("GET", `${A}/r2/buckets`, cause, { when: "fresh" });
      this.add("POST", `${A}/r2/buckets`, cause, { when: "fresh" });
    }
    const dn = cfg.get("dispatch_namespaces");
    for (const [i, b] of arr(dn?.node).entries()) {
      const cause: Cause = { location: this.at(b, ""), key: `${dn!.key}[${i}]`, why: "Dispatch namespace binding: wrangler checks the namespace exists and creates it when missing" };
      this.add("GET", `${A}/workers/dispatch/namespaces`, cause, { confidence: "medium" });
      this.add("POST", `${A}/workers/dispatch/namespaces`, cause, { when: "fresh", confidence: "medium" });
    }
  }

  private upload(hasMigrations: boolean) {
    const cause = this.nameCause("Uploads the Worker");
    // New Worker, or migrations: one PUT. Existing module Worker: a version, a deployment, then settings.
    if (hasMigrations) this.add("PUT", SCRIPT, cause);
    else {
      this.add("PUT", SCRIPT, cause, { when: "fresh" });
      this.add("POST", `${SCRIPT}/versions`, { ...cause, why: "Uploads a new version of the existing Worker" }, { when: "existing" });
      this.add("POST", `${SCRIPT}/deployments`, { ...cause, why: "Deploys the new version to 100% of traffic" }, { when: "existing" });
      this.add("PATCH", `${SCRIPT}/script-settings`, { ...cause, why: "Writes the Worker's settings (logpush, observability, tail consumers, tags)" }, { when: "existing" });
    }
    if (this.cfg?.env && !this.cfg.isPages) {
      this.add("PATCH", `${SCRIPT}/script-settings`, { location: this.ctx.commandLocation, key: "command", why: `--env ${this.cfg.env}: wrangler tags the Worker with its service and environment` });
    }
    this.add("GET", `${A}/workers/workers/{script_name}`, this.nameCause("wrangler reads the Worker's current workers.dev and preview URL state"));
    for (const key of ["logpush", "tail_consumers", "streaming_tail_consumers", "observability"]) {
      const l = this.cfg?.get(key);
      if (!l) continue;
      const what = key === "logpush" ? "logpush is a Worker setting sent with the upload (the Logpush job itself is configured separately)" : key === "observability" ? "observability settings travel with the upload" : "tail consumers are Worker settings sent with the upload; no call of their own";
      this.add("PATCH", `${SCRIPT}/script-settings`, { location: this.loc(l), key: l.key, why: what }, { when: "existing" });
    }
  }

  private routeEntries(): { node: Node; key: string; located: Located }[] {
    const routes = this.cfg?.get("routes");
    if (routes) return arr(routes.node).map((n, i) => ({ node: n, key: `${routes.key}[${i}]`, located: routes }));
    const route = this.cfg?.get("route");
    return route ? [{ node: route.node, key: route.key, located: route }] : [];
  }

  /** The triggers phase: workers.dev, routes, custom domains, crons, queue consumers, workflows. */
  private triggers(partOfDeploy = false) {
    if (!partOfDeploy && !this.requireScript()) return;
    const wd = this.workersDev();
    if (!partOfDeploy && wd.enabled) this.add("GET", `${A}/workers/subdomain`, wd.cause);
    if (!partOfDeploy) this.add("GET", `${SCRIPT}/subdomain`, wd.cause);
    this.add("POST", `${SCRIPT}/subdomain`, wd.cause);
    const zoneRoutes: { zone: ZoneRef; cause: Cause }[] = [];
    for (const r of this.routeEntries()) {
      const pattern = r.node.kind === "string" ? (r.node.value as string) : str(get(r.node, "pattern"));
      if (!pattern) continue;
      const cause: Cause = { location: this.at(r.node, r.key), key: r.key, why: "" };
      if (bool(get(r.node, "custom_domain"))) {
        const c = { ...cause, why: `Custom domain ${pattern}: wrangler attaches it with a domains changeset (medium confidence: the API lists only Workers Scripts Write for custom domains; whether the zone's DNS or SSL permissions are also checked is unverified)` };
        this.add("POST", `${SCRIPT}/domains/changeset`, c, { confidence: "medium" });
        this.add("PUT", `${SCRIPT}/domains/records`, c, { confidence: "medium" });
        continue;
      }
      const zoneId = str(get(r.node, "zone_id"));
      const zoneName = str(get(r.node, "zone_name"));
      const host = hostOf(pattern);
      const zone: ZoneRef = zoneId ? { zoneId } : zoneName ? { zoneName } : { host };
      zoneRoutes.push({ zone, cause: { ...cause, why: `Route ${pattern}${zoneId ? ` (zone_id ${zoneId})` : zoneName ? ` in zone ${zoneName}` : ""}` } });
    }
    for (const { zone, cause } of zoneRoutes) {
      if (!zone.zoneId) this.add("GET", "/zones", { ...cause, why: `${cause.why}: wrangler looks the zone up by name` }, { zone });
      this.add("GET", "/zones/{zone_id}/workers/routes", { ...cause, why: `${cause.why}: wrangler checks who owns the route (with workers.dev off) and, in the per-zone fallback, which routes exist` }, { zone });
      this.add("PUT", `${SCRIPT}/routes`, { ...cause, why: `${cause.why}: wrangler first writes all routes with the account-level API, which needs Workers Routes on all zones; with zone-specific permission it gets error 10000 and falls back to the per-zone API` }, { zone });
      this.add("POST", "/zones/{zone_id}/workers/routes", { ...cause, why: `${cause.why}: the per-zone route API (wrangler's fallback when the account-level write is refused)` }, { zone });
    }
    if (zoneRoutes.length) {
      this.notes.push(
        "Routes: the minimal token grants Workers Routes Write on the route zones only. wrangler's account-level routes write then fails with 10000 and wrangler falls back to the per-zone API, which works but does not delete old routes in zones the token cannot see.",
      );
    }
    const triggers = this.cfg?.get("triggers");
    const crons = triggers ? get(triggers.node, "crons") : undefined;
    if (crons) {
      this.add("PUT", `${SCRIPT}/schedules`, { location: this.at(crons, ""), key: `${triggers!.key}.crons`, why: arr(crons).length ? "Cron triggers are written to the Worker's schedules" : "An empty crons list clears the Worker's schedules" });
    }
    const seen = new Set<string>();
    for (const q of this.queueNames()) {
      if (!q.consumer || seen.has(q.name)) continue;
      seen.add(q.name);
      this.add("GET", `${A}/queues`, { ...q.cause, why: `${q.cause.why}: wrangler looks up the queue id and its consumers` });
      this.add("POST", `${A}/queues/{queue_id}/consumers`, { ...q.cause, why: `${q.cause.why}: wrangler registers the Worker as the consumer (medium confidence: the consumer API is documented for Queues Write or Workers Scripts Write in the Terraform provider, not in the API schema)` }, { confidence: "medium", when: "fresh" });
      this.add("PUT", `${A}/queues/{queue_id}/consumers/{consumer_id}`, { ...q.cause, why: `${q.cause.why}: wrangler updates the existing consumer (medium confidence, as for creating it)` }, { confidence: "medium", when: "existing" });
    }
    const wf = this.cfg?.get("workflows");
    for (const [i, w] of arr(wf?.node).entries()) {
      const name = str(get(w, "name"));
      const script = str(get(w, "script_name"));
      if (!name || (script && script !== this.cfg?.scriptName)) continue;
      this.add("PUT", `${A}/workflows/{workflow_name}`, { location: this.at(w, ""), key: `${wf!.key}[${i}]`, why: `Workflow "${name}" is created or updated to point at this Worker (medium confidence: the workflows API's groups come from the Terraform provider, not the API schema)` }, { confidence: "medium" });
    }
    const addresses = this.cfg?.get("addresses");
    if (addresses && !isEmpty(addresses.node)) {
      this.add("POST", `${A}/email/routing/rules/plan`, { location: this.loc(addresses), key: addresses.key, why: "Email Routing addresses: wrangler plans and applies routing rules" }, { confidence: "low" });
      this.notes.push("`addresses` (Email Routing) also writes zone email routing rules; this tool does not model those calls yet.");
    }
  }

  private secretsStoreBindings() {
    const ss = this.cfg?.get("secrets_store_secrets");
    for (const [i, b] of arr(ss?.node).entries()) {
      const secret = str(get(b, "secret_name")) ?? "?";
      this.add("PUT", SCRIPT, {
        location: this.at(b, ""),
        key: `${ss!.key}[${i}]`,
        why: `Secrets Store binding to "${secret}": the upload API checks that the token may bind it (Account Secrets Store Edit; Read fails with code 10021) and that the secret's scopes include "workers"`,
      }, { serverCheck: { groups: ["Secrets Store Write"], note: "checked by the upload API" } });
    }
  }

  private metadataOnlyBindings() {
    const containers = this.cfg?.get("containers");
    if (containers && arr(containers.node).length) {
      const cause: Cause = { location: this.loc(containers), key: containers.key, why: "Containers: wrangler creates or updates the container application and pushes the image" };
      this.add("GET", `${A}/containers/applications`, cause, { confidence: "low" });
      this.add("POST", `${A}/containers/applications`, cause, { confidence: "low" });
      this.notes.push("Containers also push an image to registry.cloudflare.com; the permission facts for containers are uncertain (low confidence).");
    }
  }

  // ---- other commands ------------------------------------------------------------------------------------

  private versionsUpload() {
    if (!this.requireScript()) return;
    this.add("GET", `${A}/workers/services/{script_name}`, this.nameCause("versions upload needs an existing Worker (run `wrangler deploy` first)"));
    this.secretsCheck();
    this.assets();
    this.provisioning();
    this.add("POST", `${SCRIPT}/versions`, this.nameCause("Uploads a new version (not deployed)"));
    this.secretsStoreBindings();
  }

  private versionsDeploy(dryRun = false) {
    if (!this.requireScript()) return;
    const cause = this.commandCause(dryRun ? "versions deploy --dry-run reads the current deployment and versions" : "versions deploy reads the current deployment and versions, then deploys");
    this.add("GET", `${SCRIPT}/deployments`, cause);
    this.add("GET", `${SCRIPT}/versions/{version_id}`, cause);
    this.add("GET", `${SCRIPT}/versions`, cause);
    if (dryRun) return;
    this.add("POST", `${SCRIPT}/deployments`, cause);
    this.add("GET", `${A}/workers/services/{script_name}`, cause);
    for (const key of ["logpush", "tail_consumers", "observability"]) {
      const l = this.cfg?.get(key);
      if (l) this.add("PATCH", `${SCRIPT}/script-settings`, { location: this.loc(l), key: l.key, why: `${key} is written to the Worker's settings after the deployment` });
    }
  }

  private pagesDeploy() {
    const flag = this.ctx.command.flags["project-name"];
    const project = typeof flag === "string" ? flag : str(this.cfg?.get("name")?.node);
    if (!project) {
      this.errors.push("pages deploy needs --project-name or a `name` in the config.");
      return;
    }
    const cause = typeof flag === "string" ? this.commandCause(`Deploys Pages project "${project}"`) : this.nameCause(`Deploys Pages project "${project}"`);
    this.add("GET", `${A}/pages/projects/{project_name}`, cause);
    this.add("GET", `${A}/pages/projects/{project_name}/upload-token`, { ...cause, why: `${cause.why}: wrangler gets an upload JWT` });
    this.add("POST", "/pages/assets/check-missing", cause);
    this.add("POST", "/pages/assets/upload", cause);
    this.add("POST", "/pages/assets/upsert-hashes", cause);
    this.add("POST", `${A}/pages/projects/{project_name}/deployments`, { ...cause, why: `${cause.why}: creates the deployment` });
    this.add("GET", `${A}/pages/projects/{project_name}/deployments/{deployment_id}`, cause);
    this.notes.push(`pages deploy does not create a missing project when run in CI; create "${project}" once with \`wrangler pages project create\` (also Pages Write).`);
  }

  private d1Binding(name: string): { node: Node; key: string } | undefined {
    const d1 = this.cfg?.get("d1_databases");
    for (const [i, b] of arr(d1?.node).entries()) {
      if (str(get(b, "binding")) === name || str(get(b, "database_name")) === name) return { node: b, key: `${d1!.key}[${i}]` };
    }
    return undefined;
  }

  private d1Command() {
    const db = this.ctx.command.positionals[0];
    if (!db) {
      this.errors.push("The D1 command names no database.");
      return;
    }
    const b = this.d1Binding(db);
    const cause: Cause = b ? { location: this.at(b.node, b.key), key: b.key, why: `D1 database ${db}` } : this.commandCause(`D1 database ${db}`);
    if (!b || !str(get(b.node, "database_id"))) this.add("GET", `${A}/d1/database/{database_name}`, { ...cause, why: `${cause.why}: no database_id in the config, so wrangler looks it up by name` });
    if (this.ctx.command.kind === "d1-execute" && typeof this.ctx.command.flags.file === "string") {
      this.add("POST", `${A}/d1/database/{database_id}/import`, { ...cause, why: `${cause.why}: --file imports the SQL file` });
    } else {
      const sql = typeof this.ctx.command.flags.command === "string" ? this.ctx.command.flags.command : "";
      const readOnly = this.ctx.command.kind === "d1-execute" && /^\s*(select|pragma|explain|with\s[^;]*\bselect\b)[^;]*;?\s*$/i.test(sql) && !/\b(insert|update|delete|create|drop|alter|replace)\b/i.test(sql);
      this.add("POST", `${A}/d1/database/{database_id}/query`, { ...cause, why: `${cause.why}: ${this.ctx.command.kind === "d1-migrations-apply" ? "creates the migrations table, lists applied migrations and applies new ones (writes: D1 Read is not enough)" : readOnly ? "runs a read-only query" : "runs SQL that may write"}` }, { writes: !readOnly });
    }
  }

  private secretCommand() {
    if (!this.requireScript()) return;
    const cause = this.commandCause(this.ctx.command.kind === "secret-bulk" ? "Uploads secrets in bulk" : "Uploads a secret");
    if (this.ctx.command.kind === "secret-bulk") this.add("PATCH", `${SCRIPT}/secrets-bulk`, cause, { confidence: "medium" });
    else this.add("PUT", `${SCRIPT}/secrets`, cause);
    this.add("PUT", SCRIPT, { ...cause, why: "When the Worker does not exist yet, wrangler creates an empty draft Worker to hold the secret" }, { when: "fresh" });
  }

  private kvCommand() {
    const flags = this.ctx.command.flags;
    const cause = this.commandCause(this.ctx.command.kind === "kv-bulk-put" ? "Writes keys in bulk" : "Writes a key");
    if (typeof flags.namespace === "string") this.add("GET", `${A}/storage/kv/namespaces`, { ...cause, why: "--namespace NAME: wrangler lists namespaces to find the id" });
    if (typeof flags.binding === "string") {
      const kv = this.cfg?.get("kv_namespaces");
      const found = arr(kv?.node).findIndex((b) => str(get(b, "binding")) === flags.binding);
      if (found >= 0) cause.location = this.at(arr(kv!.node)[found]!, ""), (cause.key = `${kv!.key}[${found}]`);
    }
    if (this.ctx.command.kind === "kv-bulk-put") this.add("PUT", `${A}/storage/kv/namespaces/{namespace_id}/bulk`, cause);
    else this.add("PUT", `${A}/storage/kv/namespaces/{namespace_id}/values/{key_name}`, cause);
  }

  private r2Command() {
    const target = this.ctx.command.positionals[0] ?? "";
    const slash = target.indexOf("/");
    const bucket = slash > 0 ? target.slice(0, slash) : target;
    const jurisdiction = typeof this.ctx.command.flags.jurisdiction === "string" ? this.ctx.command.flags.jurisdiction : "default";
    if (!bucket) {
      this.errors.push("r2 object put names no bucket.");
      return;
    }
    this.add("PUT", `${A}/r2/buckets/{bucket_name}/objects/{object_key}`, this.commandCause(`Writes an object into bucket "${bucket}"`), { bucket: { name: bucket, jurisdiction } });
  }

  private secretsStoreCreate() {
    const store = this.ctx.command.positionals[0] ?? "{store_id}";
    const scopes = typeof this.ctx.command.flags.scopes === "string" ? this.ctx.command.flags.scopes : "";
    this.add("POST", `${A}/secrets_store/stores/{store_id}/secrets`, this.commandCause(`Creates a secret in store ${store}`));
    if (!scopes.split(",").map((s) => s.trim()).includes("workers")) {
      this.notes.push(`The secret is created without the "workers" scope (--scopes ${scopes || "(none)"}), so Workers cannot bind it.`);
    }
  }
}

export function hostOf(pattern: string): string {
  let p = pattern.replace(/^[a-z]+:\/\//i, "");
  const slash = p.indexOf("/");
  if (slash >= 0) p = p.slice(0, slash);
  p = p.replace(/:\d+$/, "");
  return p.replace(/^\*\.?/, "");
}

/** Second-level labels that, under a two-letter country TLD, form a public suffix (example.co.uk, example.com.au). */
const COUNTRY_SECOND_LEVEL = new Set(["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go"]);

/**
 * The zone name wrangler most likely resolves for a host: its registrable domain (last two labels, or three under
 * a country suffix such as co.uk). wrangler itself tries the full host first and strips labels from the left.
 */
export function guessZoneName(host: string): string {
  const labels = host.split(".").filter(Boolean);
  const n = labels.length;
  const countrySuffix = n >= 3 && labels[n - 1]!.length === 2 && COUNTRY_SECOND_LEVEL.has(labels[n - 2]!.toLowerCase());
  return labels.slice(countrySuffix ? -3 : -2).join(".");
}

function isEmpty(n: Node): boolean {
  if (n.kind === "array") return n.items.length === 0;
  if (n.kind === "object") return n.entries.length === 0;
  return false;
}

/** Spans of array items carry no key; use the item's own span start (its first line). */
function keySpanOf(n: Node): Span {
  if (n.kind === "object" && n.entries.length) return { start: n.span.start, end: n.entries[0]!.keySpan.end };
  return n.span;
}
