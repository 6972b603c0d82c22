// The calls of `wrangler deploy` (and the phases `versions upload` shares with it): the existence and name-clash
// checks, static assets, Workers Sites, automatic provisioning, the upload itself, Secrets Store bindings and
// containers. The triggers phase is in trigger-calls.ts.
import type { Located } from "../model/wrangler.js";
import { arr, get, str } from "../parse/tree.js";
import type { Cause } from "./call-types.js";
import { A, SCRIPT, SECRET_CHECK_KEYS, isEmpty, type Predictor } from "./predictor.js";
import { triggers } from "./trigger-calls.js";

export function deploy(p: Predictor) {
  const cfg = p.cfg;
  if (cfg?.isPages) {
    p.errors.push(
      "This is a Pages config (pages_build_output_dir): use `wrangler pages deploy`, not `wrangler deploy`.",
    );
    return;
  }
  if (!p.requireScript()) return;
  const dispatch = typeof p.ctx.command.flags["dispatch-namespace"] === "string";
  const exists = p.nameCause("wrangler deploy first checks whether the Worker exists (new vs existing upload path)");
  if (!dispatch) p.add("GET", `${A}/workers/services/{script_name}`, exists);
  secretsCheck(p);
  workflowsPreCheck(p);
  queuesPreCheck(p);
  const wd = p.workersDev();
  if (wd.enabled) p.add("GET", `${A}/workers/subdomain`, wd.cause);
  if (!dispatch)
    p.add("GET", `${SCRIPT}/deployments`, p.nameCause("wrangler reads the latest deployment before replacing it"));
  const migrations = p.cfg?.get("migrations");
  if (migrations && arr(migrations.node).length) {
    p.add("GET", `${A}/workers/services/{script_name}`, {
      location: p.loc(migrations),
      key: migrations.key,
      why: "Durable Object migrations: wrangler reads the Worker's current migration tag",
    });
  }
  assets(p);
  site(p);
  provisioning(p);
  upload(p, !!(migrations && arr(migrations.node).length));
  triggers(p, true);
  secretsStoreBindings(p);
  metadataOnlyBindings(p);
}

export function secretsCheck(p: Predictor) {
  const cfg = p.cfg;
  if (!cfg) return;
  // The reason points at the first such key as written in the file.
  const first = SECRET_CHECK_KEYS.map((k) => cfg.get(k))
    .filter((l): l is Located => l !== undefined && !isEmpty(l.node))
    .sort((a, b) => a.keySpan.start - b.keySpan.start)[0];
  if (first) {
    p.add("GET", `${SCRIPT}/secrets`, {
      location: p.loc(first),
      key: first.key,
      why: "Vars and bindings make wrangler list the Worker's secrets to warn about name clashes",
    });
  }
}

export function workflowsPreCheck(p: Predictor) {
  const wf = p.cfg?.get("workflows");
  for (const [i, w] of arr(wf?.node).entries()) {
    const name = str(get(w, "name"));
    const script = str(get(w, "script_name"));
    // wrangler checks only the workflows this Worker deploys: no script_name, or its own name (workers-sdk
    // deploy-helpers/src/deploy/helpers/check-workflow-conflicts.ts filters on script_name).
    if (!name || (script && script !== p.cfg?.scriptName)) continue;
    p.add(
      "GET",
      `${A}/workflows/{workflow_name}`,
      {
        location: p.at(w),
        key: `${wf!.key}[${i}]`,
        why: `Workflow "${name}": wrangler checks for a workflow of the same name owned by another Worker`,
      },
      { confidence: "high" },
    );
  }
}

export function queuesPreCheck(p: Predictor) {
  const seen = new Set<string>();
  for (const q of p.queueNames()) {
    if (seen.has(q.name)) continue;
    seen.add(q.name);
    p.add("GET", `${A}/queues`, { ...q.cause, why: `${q.cause.why}: wrangler checks that the queue exists` });
  }
  for (const q of p.queueNames()) {
    if (!q.consumer && !seen.has("created:" + q.name)) {
      seen.add("created:" + q.name);
      p.add(
        "POST",
        `${A}/queues`,
        { ...q.cause, why: `${q.cause.why}: a missing queue is created by automatic provisioning` },
        { when: "fresh", confidence: "medium" },
      );
    }
  }
}

export function assets(p: Predictor) {
  const a = p.cfg?.get("assets");
  if (!a || !get(a.node, "directory")) return;
  const cause: Cause = {
    location: p.loc(a),
    key: a.key,
    why: "Static assets: wrangler opens an upload session, then uploads the files with the session's JWT",
  };
  p.add("POST", `${SCRIPT}/assets-upload-session`, cause);
  p.add("POST", `${A}/workers/assets/upload`, cause);
}

export function site(p: Predictor) {
  const s = p.cfg?.get("site");
  if (!s || !get(s.node, "bucket")) return;
  const cause: Cause = {
    location: p.loc(s),
    key: s.key,
    why: "Workers Sites uploads the site into a KV namespace named after the Worker",
  };
  p.add("GET", `${A}/storage/kv/namespaces`, cause);
  p.add("POST", `${A}/storage/kv/namespaces`, cause, { when: "fresh" });
  p.add("GET", `${A}/storage/kv/namespaces/{namespace_id}/keys`, cause);
  p.add("PUT", `${A}/storage/kv/namespaces/{namespace_id}/bulk`, cause);
  p.add("POST", `${A}/storage/kv/namespaces/{namespace_id}/bulk/delete`, cause, { confidence: "medium" });
  p.notes.push("Workers Sites (site.bucket) is deprecated; Workers static assets need only Workers Scripts Write.");
}

export function provisioning(p: Predictor) {
  const cfg = p.cfg;
  if (!cfg) return;
  p.add(
    "GET",
    `${SCRIPT}/settings`,
    p.nameCause("Automatic provisioning reads the deployed Worker's bindings first (a 404 is fine)"),
  );
  const kv = cfg.get("kv_namespaces");
  for (const [i, b] of arr(kv?.node).entries()) {
    if (str(get(b, "id"))) continue;
    const binding = str(get(b, "binding")) ?? "?";
    const cause: Cause = {
      location: p.at(b),
      key: `${kv!.key}[${i}]`,
      why: `KV binding "${binding}" has no id: wrangler provisions the namespace (lists namespaces, creates it when missing)`,
    };
    p.add("GET", `${A}/storage/kv/namespaces`, cause);
    p.add("POST", `${A}/storage/kv/namespaces`, cause, { when: "fresh" });
  }
  const d1 = cfg.get("d1_databases");
  for (const [i, b] of arr(d1?.node).entries()) {
    if (str(get(b, "database_id"))) continue;
    const name = str(get(b, "database_name"));
    const binding = str(get(b, "binding")) ?? "?";
    const cause: Cause = {
      location: p.at(b),
      key: `${d1!.key}[${i}]`,
      why: `D1 binding "${binding}" has no database_id: wrangler looks the database up${name ? ` by name "${name}"` : ""} and creates it when missing`,
    };
    if (name) p.add("GET", `${A}/d1/database/{database_name}`, cause);
    p.add("GET", `${A}/d1/database`, cause, { when: "fresh" });
    p.add("POST", `${A}/d1/database`, cause, { when: "fresh" });
  }
  const r2 = cfg.get("r2_buckets");
  for (const [i, b] of arr(r2?.node).entries()) {
    const name = str(get(b, "bucket_name"));
    const binding = str(get(b, "binding")) ?? "?";
    const jurisdiction = str(get(b, "jurisdiction")) ?? "default";
    const cause: Cause = {
      location: p.at(b),
      key: `${r2!.key}[${i}]`,
      why: name
        ? `R2 binding "${binding}": wrangler checks that bucket "${name}" exists on every deploy and creates it when missing`
        : `R2 binding "${binding}" has no bucket_name: wrangler creates a bucket`,
    };
    if (name) p.add("GET", `${A}/r2/buckets/{bucket_name}`, cause, { bucket: { name, jurisdiction } });
    p.add("GET", `${A}/r2/buckets`, cause, { when: "fresh" });
    p.add("POST", `${A}/r2/buckets`, cause, { when: "fresh" });
  }
  const dn = cfg.get("dispatch_namespaces");
  for (const [i, b] of arr(dn?.node).entries()) {
    const cause: Cause = {
      location: p.at(b),
      key: `${dn!.key}[${i}]`,
      why: "Dispatch namespace binding: wrangler checks the namespace exists and creates it when missing",
    };
    p.add("GET", `${A}/workers/dispatch/namespaces`, cause, { confidence: "medium" });
    p.add("POST", `${A}/workers/dispatch/namespaces`, cause, { when: "fresh", confidence: "medium" });
  }
}

export function upload(p: Predictor, hasMigrations: boolean) {
  const cause = p.nameCause("Uploads the Worker");
  // New Worker, or migrations: one PUT. Existing module Worker: a version, a deployment, then settings.
  if (hasMigrations) p.add("PUT", SCRIPT, cause);
  else {
    p.add("PUT", SCRIPT, cause, { when: "fresh" });
    p.add(
      "POST",
      `${SCRIPT}/versions`,
      { ...cause, why: "Uploads a new version of the existing Worker" },
      { when: "existing" },
    );
    p.add(
      "POST",
      `${SCRIPT}/deployments`,
      { ...cause, why: "Deploys the new version to 100% of traffic" },
      { when: "existing" },
    );
    p.add(
      "PATCH",
      `${SCRIPT}/script-settings`,
      { ...cause, why: "Writes the Worker's settings (logpush, observability, tail consumers, tags)" },
      { when: "existing" },
    );
  }
  if (p.cfg?.env && !p.cfg.isPages) {
    p.add("PATCH", `${SCRIPT}/script-settings`, {
      location: p.ctx.commandLocation,
      key: "command",
      why: `--env ${p.cfg.env}: wrangler tags the Worker with its service and environment`,
    });
  }
  p.add(
    "GET",
    `${A}/workers/workers/{script_name}`,
    p.nameCause("wrangler reads the Worker's current workers.dev and preview URL state"),
  );
  for (const key of ["logpush", "tail_consumers", "streaming_tail_consumers", "observability"]) {
    const l = p.cfg?.get(key);
    if (!l) continue;
    const what =
      key === "logpush"
        ? "logpush is a Worker setting sent with the upload (the Logpush job itself is configured separately)"
        : key === "observability"
          ? "observability settings travel with the upload"
          : "tail consumers are Worker settings sent with the upload; no call of their own";
    p.add("PATCH", `${SCRIPT}/script-settings`, { location: p.loc(l), key: l.key, why: what }, { when: "existing" });
  }
}

export function secretsStoreBindings(p: Predictor) {
  const ss = p.cfg?.get("secrets_store_secrets");
  for (const [i, b] of arr(ss?.node).entries()) {
    const secret = str(get(b, "secret_name")) ?? "?";
    p.add(
      "PUT",
      SCRIPT,
      {
        location: p.at(b),
        key: `${ss!.key}[${i}]`,
        why: `Secrets Store binding to "${secret}": the upload API checks that the token may bind it (Account Secrets Store Edit; Read fails with code 10021) and that the secret's scopes include "workers"`,
      },
      { serverCheck: { groups: ["Secrets Store Write"], note: "checked by the upload API" } },
    );
  }
}

export function metadataOnlyBindings(p: Predictor) {
  const containers = p.cfg?.get("containers");
  if (containers && arr(containers.node).length) {
    const cause: Cause = {
      location: p.loc(containers),
      key: containers.key,
      why: "Containers: wrangler creates or updates the container application and pushes the image",
    };
    p.add("GET", `${A}/containers/applications`, cause, { confidence: "low" });
    p.add("POST", `${A}/containers/applications`, cause, { confidence: "low" });
    p.notes.push(
      "Containers also push an image to registry.cloudflare.com; the permission facts for containers are uncertain (low confidence).",
    );
  }
}
