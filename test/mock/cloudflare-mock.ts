// A mock of the Cloudflare API (v4 envelope) on 127.0.0.1, good enough for wrangler 4.164 to finish deploys
// and the other commands the oracle tests run. The answers and error codes follow the shared oracle research
// (what wrangler reads from each answer, and which "not found" codes it tests for).
//
// Account states are switchable: fresh account vs existing Worker, missing vs existing resources, the
// workers.dev state of an existing Worker, and forced errors on chosen calls. Every request is recorded; a
// request the mock has no answer for gets HTTP 500 and lands in `unknown`, which tests must assert empty.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { templatePath } from "../../server/src/core/record/template.js";
import { resourceAnswer, type ResourceState } from "./resource-answers.js";

export interface ForcedError {
  method: string;
  /** Path template as the traces write it: "/accounts/{account_id}/workers/scripts/{script_name}/routes". */
  path: string;
  code: number;
  /** HTTP status; 403 for auth codes (10000, 9106, 9109) unless given. */
  status?: number;
  message?: string;
}

export interface MockOptions {
  accountId?: string;
  accountName?: string;
  /** The Worker already exists (upload takes the versions path, secrets list answers 200). */
  existingWorker?: boolean;
  /** workers.dev state of an existing Worker before the deploy. Default "on". */
  workersDevInitial?: "on" | "off";
  r2Buckets?: string[];
  /** D1 databases by name (a uuid is made up for each). */
  d1Databases?: string[];
  /** KV namespace titles. */
  kvNamespaces?: string[];
  queues?: string[];
  workflows?: string[];
  pagesProjects?: string[];
  /** Queue name → the Worker names already consuming it. */
  queueConsumers?: Record<string, string[]>;
  vectorizeIndexes?: string[];
  /** Hyperdrive configs: id → name. */
  hyperdriveConfigs?: Record<string, string>;
  /** Workers for Platforms dispatch namespaces. */
  dispatchNamespaces?: string[];
  /** Zones of the account: name → id. */
  zones?: Record<string, string>;
  fail?: ForcedError[];
  /** When set, token-authenticated requests with another bearer value get 403 code 9109 (invalid token). */
  expectToken?: string;
  /**
   * Who owns the API token. An account-owned token cannot hold user-level groups, so Cloudflare refuses its
   * GET /memberships with 403 code 9106 (research/wrangler.md §3.0; oracle.md finding 14); a user-owned token
   * gets its memberships. Default "user" (what the recorded traces saw).
   */
  tokenOwner?: "account" | "user";
}

export interface MockRequest {
  method: string;
  /** Raw path after /client/v4, with query. */
  rawPath: string;
  /** "METHOD /template?query-names". */
  call: string;
  auth: "token" | "jwt" | "none";
  status: number;
}

export interface CloudflareMock {
  /** API base to give wrangler: http://127.0.0.1:PORT/client/v4 */
  url: string;
  requests: MockRequest[];
  /** "METHOD /path" of every request the mock could not answer. */
  unknown: string[];
  close(): Promise<void>;
}

const AUTH_CODES = new Set([10000, 9106, 9109, 10001]);

function b64url(s: string): string {
  return Buffer.from(s).toString("base64url");
}

/** An unsigned JWT wrangler can decode (it reads exp and, for assets, the upload tuning claims). */
export function fakeJwt(claims: Record<string, unknown> = {}): string {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify({ exp, ...claims }))}.sig`;
}

function hex32(): string {
  return randomUUID().replace(/-/g, "");
}

function now(): string {
  return new Date().toISOString();
}

type Answer = { status?: number; result?: unknown; errors?: { code: number; message: string }[]; resultInfo?: unknown };

export async function startMock(opts: MockOptions = {}): Promise<CloudflareMock> {
  const accountId = opts.accountId ?? "0123456789abcdef0123456789abcdef";
  const state: ResourceState & { zones: Record<string, string>; pagesDeployments: Map<string, string> } = {
    accountId,
    workers: new Map<string, { workersDev: boolean }>(),
    r2: new Set(opts.r2Buckets ?? []),
    d1: new Map((opts.d1Databases ?? []).map((n) => [n, randomUUID()])),
    kv: new Map((opts.kvNamespaces ?? []).map((t) => [hex32(), t])),
    queues: new Map((opts.queues ?? []).map((n) => [n, hex32()])),
    workflows: new Set(opts.workflows ?? []),
    pages: new Set(opts.pagesProjects ?? []),
    dispatch: new Map((opts.dispatchNamespaces ?? []).map((n) => [n, randomUUID()])),
    zones: opts.zones ?? { "example.com": "dddddddddddddddddddddddddddddddd" },
    pagesDeployments: new Map<string, string>(),
    vectorize: new Set(opts.vectorizeIndexes ?? []),
    hyperdrive: new Map(Object.entries(opts.hyperdriveConfigs ?? {})),
  };
  state.consumers = new Map(
    Object.entries(opts.queueConsumers ?? {}).map(([q, scripts]) => [state.queues.get(q) ?? q, scripts]),
  );
  const requests: MockRequest[] = [];
  const unknown: string[] = [];
  const existing = !!opts.existingWorker;
  const wdInitial = (opts.workersDevInitial ?? "on") === "on";

  const worker = (name: string) => state.workers.get(name);
  const ensureWorker = (name: string) => {
    if (!state.workers.has(name)) state.workers.set(name, { workersDev: false });
    return state.workers.get(name)!;
  };
  // The script named in the first call is "the" worker of the run; an existing account has it already.
  const seenScripts = new Set<string>();
  const touchScript = (name: string) => {
    if (seenScripts.has(name)) return;
    seenScripts.add(name);
    if (existing) state.workers.set(name, { workersDev: wdInitial });
  };

  const notFound = (code: number, message: string): Answer => ({ status: 404, errors: [{ code, message }] });
  const scriptSettings = (name: string) => ({
    bindings: [],
    compatibility_date: "2025-01-01",
    compatibility_flags: [],
    logpush: false,
    observability: null,
    placement: {},
    tags: [],
    tail_consumers: null,
    usage_model: "standard",
    script_name: name,
  });
  const deployment = (versionId: string) => ({
    id: randomUUID(),
    source: "wrangler",
    strategy: "percentage",
    author_email: "mock@example.com",
    created_on: now(),
    annotations: { "workers/triggered_by": "upload" },
    versions: [{ version_id: versionId, percentage: 100 }],
  });
  const pagesDeployment = (project: string, id: string) => ({
    id,
    short_id: id.slice(0, 8),
    project_name: project,
    environment: "production",
    url: `https://${id.slice(0, 8)}.${project}.pages.dev`,
    created_on: now(),
    modified_on: now(),
    latest_stage: { name: "deploy", status: "success", started_on: now(), ended_on: now() },
    stages: [{ name: "deploy", status: "success", started_on: now(), ended_on: now() }],
    deployment_trigger: { type: "ad_hoc", metadata: { branch: "main", commit_hash: "", commit_message: "" } },
    aliases: [],
    is_skipped: false,
  });

  function answer(
    method: string,
    path: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: unknown,
  ): Answer | undefined {
    const s = params.script_name;
    if (s && path.includes("/workers/")) touchScript(s);
    const key = `${method} ${path}`;
    const list = (items: unknown[]): Answer => ({
      result: Number(query.get("page") ?? "1") > 1 ? [] : items,
      resultInfo: {
        page: Number(query.get("page") ?? "1"),
        per_page: 100,
        count: items.length,
        total_count: items.length,
        total_pages: 1,
      },
    });
    switch (key) {
      // --- account discovery (no account id configured) ---
      case "GET /accounts":
        return list([{ id: accountId, name: opts.accountName ?? "Mock Account" }]);
      case "GET /memberships":
        if (opts.tokenOwner === "account")
          return { status: 403, errors: [{ code: 9106, message: "Authentication error" }] };
        return list([
          { id: hex32(), status: "accepted", account: { id: accountId, name: opts.accountName ?? "Mock Account" } },
        ]);
      case "GET /user/tokens/verify":
        return { result: { id: hex32(), status: "active" } };
      case "GET /user":
        return { result: { id: hex32(), email: "mock@example.com" } };

      // --- Worker scripts ---
      case "GET /accounts/{account_id}/workers/services/{script_name}": {
        if (!worker(s!)) return notFound(10090, "This Worker does not exist on your account.");
        return {
          result: {
            id: s,
            default_environment: {
              environment: "production",
              created_on: now(),
              modified_on: now(),
              script: { id: s, tag: hex32(), etag: hex32(), handlers: ["fetch"], last_deployed_from: "wrangler" },
            },
            created_on: now(),
            modified_on: now(),
          },
        };
      }
      case "GET /accounts/{account_id}/workers/subdomain":
        return { result: { subdomain: "mock-subdomain" } };
      case "GET /accounts/{account_id}/workers/scripts/{script_name}/deployments": {
        if (!worker(s!)) return { result: { deployments: [] } };
        return { result: { deployments: [deployment(randomUUID())] } };
      }
      case "GET /accounts/{account_id}/workers/scripts/{script_name}/settings":
      case "GET /accounts/{account_id}/workers/scripts/{script_name}/script-settings":
        if (!worker(s!)) return notFound(10007, "This Worker does not exist on your account.");
        return { result: scriptSettings(s!) };
      case "GET /accounts/{account_id}/workers/scripts/{script_name}/secrets":
        if (!worker(s!)) return notFound(10007, "This Worker does not exist on your account.");
        return { result: [] };
      case "PUT /accounts/{account_id}/workers/scripts/{script_name}/secrets": {
        if (!worker(s!)) return notFound(10007, "This Worker does not exist on your account.");
        const name = (body as { name?: string } | undefined)?.name ?? "SECRET";
        return { result: { name, type: "secret_text" } };
      }
      case "PUT /accounts/{account_id}/workers/scripts/{script_name}": {
        ensureWorker(s!);
        return {
          result: {
            id: s,
            etag: hex32(),
            handlers: ["fetch"],
            startup_time_ms: 1,
            created_on: now(),
            modified_on: now(),
            deployment_id: randomUUID(),
            usage_model: "standard",
            has_modules: true,
          },
        };
      }
      case "POST /accounts/{account_id}/workers/scripts/{script_name}/versions": {
        ensureWorker(s!);
        return {
          result: {
            id: randomUUID(),
            number: 2,
            metadata: { author_email: "mock@example.com", source: "wrangler", created_on: now(), modified_on: now() },
            resources: {
              bindings: [],
              script: { etag: hex32(), handlers: ["fetch"] },
              script_runtime: { usage_model: "standard" },
            },
            startup_time_ms: 1,
          },
        };
      }
      case "POST /accounts/{account_id}/workers/scripts/{script_name}/deployments": {
        const v =
          (body as { versions?: { version_id: string }[] } | undefined)?.versions?.[0]?.version_id ?? randomUUID();
        return { result: deployment(v) };
      }
      case "PATCH /accounts/{account_id}/workers/scripts/{script_name}/script-settings": {
        const b = (body ?? {}) as Record<string, unknown>;
        return { result: { logpush: false, observability: null, tail_consumers: null, tags: [], ...b } };
      }
      case "GET /accounts/{account_id}/workers/workers/{script_name}": {
        const w = worker(s!);
        return {
          result: {
            id: hex32(),
            name: s,
            subdomain: { enabled: w?.workersDev ?? false, previews_enabled: w?.workersDev ?? false },
            created_on: now(),
            updated_on: now(),
          },
        };
      }
      case "POST /accounts/{account_id}/workers/scripts/{script_name}/subdomain": {
        const b = (body ?? {}) as { enabled?: boolean; previews_enabled?: boolean };
        const w = ensureWorker(s!);
        w.workersDev = !!b.enabled;
        return { result: { enabled: !!b.enabled, previews_enabled: b.previews_enabled ?? !!b.enabled } };
      }
      case "PUT /accounts/{account_id}/workers/scripts/{script_name}/schedules": {
        const crons = Array.isArray(body) ? (body as { cron: string }[]) : [];
        return { result: { schedules: crons.map((c) => ({ cron: c.cron, created_on: now(), modified_on: now() })) } };
      }
      case "PUT /accounts/{account_id}/workers/scripts/{script_name}/routes": {
        const routes = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
        return { result: routes.map((r) => ({ id: hex32(), script: s, ...r })) };
      }
      case "POST /accounts/{account_id}/workers/scripts/{script_name}/domains/changeset": {
        // wrangler reads added/removed/updated/conflicting; every requested domain is new here.
        const origins = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
        return {
          result: { added: origins.map((o) => ({ id: hex32(), ...o })), removed: [], updated: [], conflicting: [] },
        };
      }
      case "PUT /accounts/{account_id}/workers/scripts/{script_name}/domains/records":
        return { result: Array.isArray(body) ? body : [] };
      case "POST /accounts/{account_id}/workers/scripts/{script_name}/assets-upload-session": {
        const manifest = ((body ?? {}) as { manifest?: Record<string, { hash: string }> }).manifest ?? {};
        const hashes = Object.values(manifest).map((m) => m.hash);
        return {
          result: {
            jwt: fakeJwt({ wrangler_single_asset_uploads: false, edge_kv_upload_concurrency: 3 }),
            buckets: hashes.length ? [hashes] : [],
          },
        };
      }
      case "POST /accounts/{account_id}/workers/assets/upload":
        return { status: 201, result: { jwt: fakeJwt({ completion: true }) } };

      // --- Workers for Platforms ---
      case "GET /accounts/{account_id}/workers/dispatch/namespaces":
        return list(
          [...state.dispatch].map(([namespace_name, namespace_id]) => ({
            namespace_id,
            namespace_name,
            created_on: now(),
            modified_on: now(),
            script_count: 0,
          })),
        );
      case "POST /accounts/{account_id}/workers/dispatch/namespaces": {
        const name = ((body ?? {}) as { name?: string }).name ?? "namespace";
        const id = randomUUID();
        state.dispatch.set(name, id);
        return {
          result: { namespace_id: id, namespace_name: name, created_on: now(), modified_on: now(), script_count: 0 },
        };
      }

      // --- zones and zone routes ---
      case "GET /zones": {
        const name = query.get("name");
        const zones = Object.entries(state.zones)
          .filter(([n]) => !name || n === name)
          .map(([n, id]) => ({ id, name: n, status: "active", account: { id: accountId } }));
        return list(zones);
      }
      case "GET /zones/{zone_id}/workers/routes":
        return { result: [] };
      case "POST /zones/{zone_id}/workers/routes": {
        const b = (body ?? {}) as Record<string, unknown>;
        return { result: { id: hex32(), ...b } };
      }

      // --- R2 ---
      case "GET /accounts/{account_id}/r2/buckets/{bucket_name}":
        if (!state.r2.has(params.bucket_name!)) return notFound(10006, "The specified bucket does not exist.");
        return {
          result: { name: params.bucket_name, creation_date: now(), location: "WEUR", storage_class: "Standard" },
        };
      case "GET /accounts/{account_id}/r2/buckets":
        return { result: { buckets: [...state.r2].map((name) => ({ name, creation_date: now() })) } };
      case "POST /accounts/{account_id}/r2/buckets": {
        const name = ((body ?? {}) as { name?: string }).name ?? "bucket";
        state.r2.add(name);
        return { result: { name, creation_date: now(), location: "WEUR", storage_class: "Standard" } };
      }
      case "PUT /accounts/{account_id}/r2/buckets/{bucket_name}/objects/{object_key}":
        return { result: { key: params.object_key, etag: hex32(), size: 1, uploaded: now() } };

      // --- D1 ---
      case "GET /accounts/{account_id}/d1/database/{database_id}": {
        const ref = params.database_id!;
        const byName = state.d1.get(ref);
        const byId = [...state.d1].find(([, id]) => id === ref);
        if (!byName && !byId) return notFound(7404, `The database ${ref} could not be found`);
        const [name, uuid] = byId ?? [ref, byName!];
        return { result: { uuid, name, created_at: now(), version: "production", num_tables: 0, file_size: 0 } };
      }
      case "GET /accounts/{account_id}/d1/database":
        return list([...state.d1].map(([name, uuid]) => ({ uuid, name, created_at: now(), version: "production" })));
      case "POST /accounts/{account_id}/d1/database": {
        const name = ((body ?? {}) as { name?: string }).name ?? "db";
        const uuid = randomUUID();
        state.d1.set(name, uuid);
        return { result: { uuid, name, created_at: now(), version: "production" } };
      }
      case "POST /accounts/{account_id}/d1/database/{database_id}/query": {
        const meta = {
          changed_db: false,
          changes: 0,
          duration: 1,
          last_row_id: 0,
          rows_read: 0,
          rows_written: 0,
          size_after: 0,
          served_by_region: "WEUR",
        };
        return { result: [{ results: [], success: true, meta }] };
      }

      // --- KV ---
      case "GET /accounts/{account_id}/storage/kv/namespaces":
        return list([...state.kv].map(([id, title]) => ({ id, title, supports_url_encoding: true })));
      case "POST /accounts/{account_id}/storage/kv/namespaces": {
        const title = ((body ?? {}) as { title?: string }).title ?? "ns";
        const id = hex32();
        state.kv.set(id, title);
        return { result: { id, title, supports_url_encoding: true } };
      }
      case "PUT /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}":
        return { result: null };

      // --- Queues ---
      case "GET /accounts/{account_id}/queues": {
        const name = query.get("name");
        const qs = [...state.queues]
          .filter(([n]) => !name || n === name)
          .map(([queue_name, queue_id]) => ({
            queue_id,
            queue_name,
            created_on: now(),
            modified_on: now(),
            producers: [],
            producers_total_count: 0,
            consumers: (state.consumers!.get(queue_id) ?? []).map((script) => ({
              consumer_id: "c" + queue_id.slice(1),
              type: "worker",
              script,
              script_name: script,
              settings: { batch_size: 10 },
            })),
            consumers_total_count: (state.consumers!.get(queue_id) ?? []).length,
          }));
        return list(qs);
      }
      case "POST /accounts/{account_id}/queues/{queue_id}/consumers": {
        const b = (body ?? {}) as Record<string, unknown>;
        return { result: { consumer_id: hex32(), created_on: now(), ...b } };
      }

      // --- Workflows ---
      case "GET /accounts/{account_id}/workflows/{workflow_name}":
        if (!state.workflows.has(params.workflow_name!)) return notFound(10200, "Workflow not found");
        return { result: { id: randomUUID(), name: params.workflow_name, created_on: now(), modified_on: now() } };
      case "PUT /accounts/{account_id}/workflows/{workflow_name}": {
        state.workflows.add(params.workflow_name!);
        const b = (body ?? {}) as Record<string, unknown>;
        return {
          result: {
            id: randomUUID(),
            name: params.workflow_name,
            version_id: randomUUID(),
            created_on: now(),
            modified_on: now(),
            ...b,
          },
        };
      }

      // --- Pages ---
      case "GET /accounts/{account_id}/pages/projects/{project_name}": {
        const p = params.project_name!;
        if (!state.pages.has(p))
          return notFound(
            8000007,
            "Project not found. The specified project name does not match any of your existing projects.",
          );
        return {
          result: {
            id: randomUUID(),
            name: p,
            subdomain: `${p}.pages.dev`,
            production_branch: "main",
            domains: [`${p}.pages.dev`],
            created_on: now(),
            deployment_configs: {
              production: { compatibility_date: "2025-01-01" },
              preview: { compatibility_date: "2025-01-01" },
            },
            source: null,
            build_config: {},
            latest_deployment: null,
            canonical_deployment: null,
          },
        };
      }
      case "POST /accounts/{account_id}/pages/projects": {
        const b = (body ?? {}) as { name?: string; production_branch?: string };
        const name = b.name ?? "project";
        state.pages.add(name);
        return {
          result: {
            id: randomUUID(),
            name,
            subdomain: `${name}.pages.dev`,
            production_branch: b.production_branch ?? "main",
            created_on: now(),
          },
        };
      }
      case "GET /accounts/{account_id}/pages/projects/{project_name}/upload-token":
        return { result: { jwt: fakeJwt({ pages: true }) } };
      case "POST /pages/assets/check-missing":
        return { result: ((body ?? {}) as { hashes?: string[] }).hashes ?? [] };
      case "POST /pages/assets/upload":
        return { result: null };
      case "POST /pages/assets/upsert-hashes":
        return { result: null };
      case "POST /accounts/{account_id}/pages/projects/{project_name}/deployments": {
        const id = randomUUID();
        state.pagesDeployments.set(id, params.project_name!);
        return { result: pagesDeployment(params.project_name!, id) };
      }
      case "GET /accounts/{account_id}/pages/projects/{project_name}/deployments/{deployment_id}":
        return { result: pagesDeployment(params.project_name!, params.deployment_id!) };
    }
    return resourceAnswer({ key, params, query, body, state, list, notFound, pagesDeployment });
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.method ?? "GET").toUpperCase();
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let raw = url.pathname + url.search;
      if (raw.startsWith("/client/v4")) raw = raw.slice("/client/v4".length) || "/";
      const t = templatePath(raw);
      const call = `${method} ${t.path}${t.query.length ? "?" + t.query.join("&") : ""}`;
      const authz = String(req.headers.authorization ?? "");
      const bearer = authz.replace(/^Bearer\s+/i, "");
      const auth: MockRequest["auth"] = !authz ? "none" : bearer.split(".").length === 3 ? "jwt" : "token";
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      if (/^\s*[[{]/.test(text)) {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      }
      let a: Answer | undefined;
      const forced = (opts.fail ?? []).find((f) => f.method.toUpperCase() === method && f.path === t.path);
      if (forced) {
        a = {
          status: forced.status ?? (AUTH_CODES.has(forced.code) ? 403 : 400),
          errors: [
            {
              code: forced.code,
              message:
                forced.message ?? (forced.code === 10000 ? "Authentication error" : `mock forced error ${forced.code}`),
            },
          ],
        };
      } else if (opts.expectToken !== undefined && auth === "token" && bearer !== opts.expectToken) {
        a = { status: 403, errors: [{ code: 9109, message: "Invalid access token" }] };
      } else if (auth === "none" && !raw.startsWith("/pages/assets")) {
        a = {
          status: 400,
          errors: [{ code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" }],
        };
      } else {
        try {
          a = answer(method, t.path, t.params, url.searchParams, body);
        } catch (e) {
          a = { status: 500, errors: [{ code: 99998, message: `mock crashed: ${String(e)}` }] };
          unknown.push(`${method} ${raw} (mock crashed: ${String(e)})`);
        }
        if (!a) {
          unknown.push(`${method} ${raw}`);
          a = { status: 500, errors: [{ code: 99999, message: `mock: no answer for ${method} ${t.path}` }] };
        }
      }
      const status = a.status ?? 200;
      const ok = status < 400;
      requests.push({ method, rawPath: raw, call, auth, status });
      const envelope: Record<string, unknown> = {
        success: ok,
        errors: a.errors ?? [],
        messages: [],
        result: ok ? (a.result ?? null) : null,
      };
      if (a.resultInfo) envelope.result_info = a.resultInfo;
      const out = JSON.stringify(envelope);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(out) });
      res.end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    requests,
    unknown,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
