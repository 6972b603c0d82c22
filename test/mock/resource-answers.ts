// Answers of the Cloudflare API mock for the resource commands the oracle runs besides deploys: D1, KV, R2,
// queues, Vectorize, Hyperdrive, Worker versions/deployments/secrets/delete, Pages projects and deployments,
// workflows and dispatch namespaces. Minimal realistic result shapes: only what wrangler 4.164 reads from them.
import { randomUUID } from "node:crypto";

type Answer = { status?: number; result?: unknown; errors?: { code: number; message: string }[]; resultInfo?: unknown };

export interface ResourceState {
  accountId: string;
  workers: Map<string, { workersDev: boolean }>;
  r2: Set<string>;
  d1: Map<string, string>;
  kv: Map<string, string>;
  queues: Map<string, string>;
  workflows: Set<string>;
  pages: Set<string>;
  dispatch: Map<string, string>;
  /** Queue id → consumer script names. */
  consumers?: Map<string, string[]>;
  vectorize?: Set<string>;
  hyperdrive?: Map<string, string>;
  /** Version ids handed out per Worker, so a later GET of one finds it. */
  versions?: Map<string, string[]>;
}

export interface AnswerContext {
  key: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  state: ResourceState;
  list(items: unknown[]): Answer;
  notFound(code: number, message: string): Answer;
  pagesDeployment(project: string, id: string): unknown;
}

const hex32 = () => randomUUID().replace(/-/g, "");
const now = () => new Date().toISOString();

function version(id: string, n = 1) {
  return {
    id,
    number: n,
    metadata: {
      author_email: "mock@example.com",
      author_id: hex32(),
      source: "wrangler",
      created_on: now(),
      modified_on: now(),
      hasPreview: false,
    },
    annotations: { "workers/triggered_by": "upload" },
    resources: {
      bindings: [],
      script: { etag: hex32(), handlers: ["fetch"], last_deployed_from: "wrangler" },
      script_runtime: { usage_model: "standard", compatibility_date: "2025-01-01", compatibility_flags: [] },
    },
  };
}

function queue(name: string, id: string, consumers: string[]) {
  return {
    queue_id: id,
    queue_name: name,
    created_on: now(),
    modified_on: now(),
    producers: [],
    producers_total_count: 0,
    consumers: consumers.map((script) => ({
      consumer_id: hex32(),
      type: "worker",
      script,
      script_name: script,
      settings: { batch_size: 10 },
      created_on: now(),
    })),
    consumers_total_count: consumers.length,
    settings: { delivery_delay: 0, delivery_paused: false, message_retention_period: 345600 },
  };
}

function vectorIndex(name: string) {
  return { name, description: "", config: { dimensions: 3, metric: "cosine" }, created_on: now(), modified_on: now() };
}

function hyperdriveConfig(id: string, name: string) {
  return {
    id,
    name,
    origin: { host: "db.example.com", port: 5432, database: "x", user: "u", scheme: "postgres" },
    caching: { disabled: false },
  };
}

function workflow(name: string) {
  return {
    id: randomUUID(),
    name,
    script_name: "plain-worker",
    class_name: "MyWorkflow",
    created_on: now(),
    modified_on: now(),
  };
}

function instance(id: string) {
  return { id, status: "complete", created_on: now(), modified_on: now(), version_id: randomUUID() };
}

/** The answer for one of the resource calls, or undefined when the mock has none. */
export function resourceAnswer(c: AnswerContext): Answer | undefined {
  const { state, params, body } = c;
  const s = params.script_name;
  state.versions ??= new Map();
  state.consumers ??= new Map();
  state.vectorize ??= new Set();
  state.hyperdrive ??= new Map();
  const versionsOf = (name: string) => {
    if (!state.versions!.has(name)) state.versions!.set(name, [randomUUID()]);
    return state.versions!.get(name)!;
  };
  switch (c.key) {
    // --- Workers: delete, versions, deployments, secrets ---
    case "GET /accounts/{account_id}/workers/scripts/{script_name}/references":
      return {
        result: { dispatch_outbounds: [], durable_objects: [], services: { incoming: [], pages_function: false } },
      };
    case "GET /accounts/{account_id}/workers/durable_objects/namespaces":
      return c.list([]);
    case "DELETE /accounts/{account_id}/workers/services/{script_name}":
    case "DELETE /accounts/{account_id}/workers/scripts/{script_name}":
      state.workers.delete(s!);
      return { result: null };
    case "GET /accounts/{account_id}/workers/scripts/{script_name}/versions":
      return { result: { items: versionsOf(s!).map((id, i) => version(id, i + 1)) } };
    case "PATCH /accounts/{account_id}/workers/workers/{script_name}/versions/latest": {
      const id = randomUUID();
      versionsOf(s!).push(id);
      return { result: version(id, versionsOf(s!).length) };
    }
    case "GET /accounts/{account_id}/workers/scripts/{script_name}/versions/{version_id}":
      return { result: version(params.version_id!) };
    case "GET /accounts/{account_id}/workers/tails/by-consumer/{script_name}":
      return { result: [] };
    case "DELETE /accounts/{account_id}/workers/scripts/{script_name}/secrets/{secret_name}":
      return { result: null };

    // --- D1 ---
    case "DELETE /accounts/{account_id}/d1/database/{database_id}": {
      for (const [name, uuid] of state.d1)
        if (uuid === params.database_id || name === params.database_id) state.d1.delete(name);
      return { result: null };
    }

    // --- KV ---
    case "DELETE /accounts/{account_id}/storage/kv/namespaces/{namespace_id}":
      state.kv.delete(params.namespace_id!);
      return { result: null };
    case "GET /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/keys":
      return { result: [{ name: "mykey" }], resultInfo: { count: 1, cursor: "" } };
    case "DELETE /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}":
      return { result: null };

    // --- R2 ---
    case "DELETE /accounts/{account_id}/r2/buckets/{bucket_name}":
      state.r2.delete(params.bucket_name!);
      return { result: null };
    case "DELETE /accounts/{account_id}/r2/buckets/{bucket_name}/objects/{object_key}":
      return { result: null };

    // --- Queues ---
    case "POST /accounts/{account_id}/queues": {
      const name = ((body ?? {}) as { queue_name?: string }).queue_name ?? "queue";
      const id = hex32();
      state.queues.set(name, id);
      return { result: queue(name, id, []) };
    }
    case "GET /accounts/{account_id}/queues/{queue_id}": {
      const hit = [...state.queues].find(([, id]) => id === params.queue_id);
      if (!hit) return c.notFound(11000, "Queue does not exist");
      return { result: queue(hit[0], hit[1], state.consumers.get(hit[1]) ?? []) };
    }
    case "DELETE /accounts/{account_id}/queues/{queue_id}":
      for (const [n, id] of state.queues) if (id === params.queue_id) state.queues.delete(n);
      return { result: null };
    case "DELETE /accounts/{account_id}/queues/{queue_id}/consumers/{consumer_id}":
      return { result: null };

    // --- Vectorize ---
    case "POST /accounts/{account_id}/vectorize/v2/indexes": {
      const name = ((body ?? {}) as { name?: string }).name ?? "index";
      state.vectorize.add(name);
      return { result: vectorIndex(name) };
    }
    case "GET /accounts/{account_id}/vectorize/v2/indexes":
      return { result: [...state.vectorize].map(vectorIndex) };
    case "GET /accounts/{account_id}/vectorize/v2/indexes/{index_name}":
      if (!state.vectorize.has(params.index_name!)) return c.notFound(3000, "vectorize.index.not_found");
      return { result: vectorIndex(params.index_name!) };
    case "DELETE /accounts/{account_id}/vectorize/v2/indexes/{index_name}":
      state.vectorize.delete(params.index_name!);
      return { result: null };

    // --- Hyperdrive ---
    case "POST /accounts/{account_id}/hyperdrive/configs": {
      const name = ((body ?? {}) as { name?: string }).name ?? "hyperdrive";
      const id = hex32();
      state.hyperdrive.set(id, name);
      return { result: hyperdriveConfig(id, name) };
    }
    case "GET /accounts/{account_id}/hyperdrive/configs":
      return c.list([...state.hyperdrive].map(([id, name]) => hyperdriveConfig(id, name)));
    case "GET /accounts/{account_id}/hyperdrive/configs/{hyperdrive_id}":
    case "PATCH /accounts/{account_id}/hyperdrive/configs/{hyperdrive_id}": {
      const name = state.hyperdrive.get(params.hyperdrive_id!);
      if (!name) return c.notFound(2009, "Hyperdrive config not found");
      return { result: hyperdriveConfig(params.hyperdrive_id!, name) };
    }
    case "DELETE /accounts/{account_id}/hyperdrive/configs/{hyperdrive_id}":
      state.hyperdrive.delete(params.hyperdrive_id!);
      return { result: null };
  }
  return pagesAndWorkflows(c);
}

function pagesAndWorkflows(c: AnswerContext): Answer | undefined {
  const { state, params, body } = c;
  switch (c.key) {
    // --- Pages ---
    case "GET /accounts/{account_id}/pages/projects":
      return c.list(
        [...state.pages].map((name) => ({
          name,
          subdomain: `${name}.pages.dev`,
          domains: [`${name}.pages.dev`],
          source: null,
          created_on: now(),
          latest_deployment: null,
        })),
      );
    case "DELETE /accounts/{account_id}/pages/projects/{project_name}":
      state.pages.delete(params.project_name!);
      return { result: null };
    case "GET /accounts/{account_id}/pages/projects/{project_name}/deployments":
      return c.list([c.pagesDeployment(params.project_name!, randomUUID())]);
    case "DELETE /accounts/{account_id}/pages/projects/{project_name}/deployments/{deployment_id}":
      return { result: null };

    // --- Secrets Store ---
    case "GET /accounts/{account_id}/secrets_store/stores":
      return c.list([{ id: hex32(), name: "default_secrets_store", created: now(), modified: now() }]);

    // --- Workflows ---
    case "GET /accounts/{account_id}/workflows":
      return c.list([...state.workflows].map(workflow));
    case "GET /accounts/{account_id}/workflows/{workflow_name}/versions":
      return c.list([{ id: randomUUID(), class_name: "MyWorkflow", created_on: now(), modified_on: now() }]);
    case "DELETE /accounts/{account_id}/workflows/{workflow_name}":
      state.workflows.delete(params.workflow_name!);
      return { result: null };
    case "GET /accounts/{account_id}/workflows/{workflow_name}/instances":
      return c.list([instance(randomUUID())]);
    case "POST /accounts/{account_id}/workflows/{workflow_name}/instances": {
      const id = ((body ?? {}) as { instance_id?: string }).instance_id ?? randomUUID();
      return { result: { id, status: "queued", version_id: randomUUID(), workflow_id: randomUUID() } };
    }
    case "GET /accounts/{account_id}/workflows/{workflow_name}/instances/{instance_id}":
      return {
        result: {
          ...instance(params.instance_id!),
          params: {},
          trigger: { source: "api" },
          start: now(),
          end: now(),
          success: true,
          steps: [],
          output: null,
          error: null,
        },
      };
    case "PATCH /accounts/{account_id}/workflows/{workflow_name}/instances/{instance_id}/status":
      return { result: { status: "terminated", timestamp: now() } };

    // --- Workers for Platforms ---
    case "GET /accounts/{account_id}/workers/dispatch/namespaces/{dispatch_namespace}": {
      const id = state.dispatch.get(params.dispatch_namespace!);
      if (!id) return c.notFound(100119, "Dispatch namespace not found");
      return {
        result: {
          namespace_id: id,
          namespace_name: params.dispatch_namespace,
          created_on: now(),
          modified_on: now(),
          script_count: 0,
        },
      };
    }
    case "DELETE /accounts/{account_id}/workers/dispatch/namespaces/{dispatch_namespace}":
      state.dispatch.delete(params.dispatch_namespace!);
      return { result: null };
  }
  return undefined;
}
