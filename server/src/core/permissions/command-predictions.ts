// The calls of the commands other than deploy that the engine predicts from the config: versions upload and
// deploy, pages deploy, D1 migrations and execute, secret put / bulk, KV and R2 writes, Secrets Store secrets.
import type { Node } from "../parse/tree.js";
import { arr, get, str } from "../parse/tree.js";
import type { Cause } from "./call-types.js";
import { A, SCRIPT, type Predictor } from "./predictor.js";
import { assets, provisioning, secretsCheck, secretsStoreBindings } from "./deploy-calls.js";

export function versionsUpload(p: Predictor) {
  if (!p.requireScript()) return;
  p.add(
    "GET",
    `${A}/workers/services/{script_name}`,
    p.nameCause("versions upload needs an existing Worker (run `wrangler deploy` first)"),
  );
  secretsCheck(p);
  assets(p);
  provisioning(p);
  p.add("POST", `${SCRIPT}/versions`, p.nameCause("Uploads a new version (not deployed)"));
  secretsStoreBindings(p);
}

export function versionsDeploy(p: Predictor, dryRun = false) {
  if (!p.requireScript()) return;
  const cause = p.commandCause(
    dryRun
      ? "versions deploy --dry-run reads the current deployment and versions"
      : "versions deploy reads the current deployment and versions, then deploys",
  );
  p.add("GET", `${SCRIPT}/deployments`, cause);
  p.add("GET", `${SCRIPT}/versions/{version_id}`, cause);
  p.add("GET", `${SCRIPT}/versions`, cause);
  if (dryRun) return;
  p.add("POST", `${SCRIPT}/deployments`, cause);
  p.add("GET", `${A}/workers/services/{script_name}`, cause);
  for (const key of ["logpush", "tail_consumers", "observability"]) {
    const l = p.cfg?.get(key);
    if (l)
      p.add("PATCH", `${SCRIPT}/script-settings`, {
        location: p.loc(l),
        key: l.key,
        why: `${key} is written to the Worker's settings after the deployment`,
      });
  }
}

export function pagesDeploy(p: Predictor) {
  const flag = p.ctx.command.flags["project-name"];
  const project = typeof flag === "string" ? flag : str(p.cfg?.get("name")?.node);
  if (!project) {
    p.errors.push("pages deploy needs --project-name or a `name` in the config.");
    return;
  }
  const cause =
    typeof flag === "string"
      ? p.commandCause(`Deploys Pages project "${project}"`)
      : p.nameCause(`Deploys Pages project "${project}"`);
  p.add("GET", `${A}/pages/projects/{project_name}`, cause);
  p.add("GET", `${A}/pages/projects/{project_name}/upload-token`, {
    ...cause,
    why: `${cause.why}: wrangler gets an upload JWT`,
  });
  p.add("POST", "/pages/assets/check-missing", cause);
  p.add("POST", "/pages/assets/upload", cause);
  p.add("POST", "/pages/assets/upsert-hashes", cause);
  p.add("POST", `${A}/pages/projects/{project_name}/deployments`, {
    ...cause,
    why: `${cause.why}: creates the deployment`,
  });
  p.add("GET", `${A}/pages/projects/{project_name}/deployments/{deployment_id}`, cause);
  p.notes.push(
    `pages deploy does not create a missing project when run in CI; create "${project}" once with \`wrangler pages project create\` (also Pages Write).`,
  );
}

export function d1Binding(p: Predictor, name: string): { node: Node; key: string } | undefined {
  const d1 = p.cfg?.get("d1_databases");
  for (const [i, b] of arr(d1?.node).entries()) {
    if (str(get(b, "binding")) === name || str(get(b, "database_name")) === name)
      return { node: b, key: `${d1!.key}[${i}]` };
  }
  return undefined;
}

export function d1Command(p: Predictor) {
  const db = p.ctx.command.positionals[0];
  if (!db) {
    p.errors.push("The D1 command names no database.");
    return;
  }
  const b = d1Binding(p, db);
  const cause: Cause = b
    ? { location: p.at(b.node), key: b.key, why: `D1 database ${db}` }
    : p.commandCause(`D1 database ${db}`);
  if (!b || !str(get(b.node, "database_id")))
    p.add("GET", `${A}/d1/database/{database_name}`, {
      ...cause,
      why: `${cause.why}: no database_id in the config, so wrangler looks it up by name`,
    });
  if (p.ctx.command.kind === "d1-execute" && typeof p.ctx.command.flags.file === "string") {
    p.add("POST", `${A}/d1/database/{database_id}/import`, {
      ...cause,
      why: `${cause.why}: --file imports the SQL file`,
    });
  } else {
    const sql = typeof p.ctx.command.flags.command === "string" ? p.ctx.command.flags.command : "";
    const readOnly =
      p.ctx.command.kind === "d1-execute" &&
      /^\s*(select|pragma|explain|with\s[^;]*\bselect\b)[^;]*;?\s*$/i.test(sql) &&
      !/\b(insert|update|delete|create|drop|alter|replace)\b/i.test(sql);
    p.add(
      "POST",
      `${A}/d1/database/{database_id}/query`,
      {
        ...cause,
        why: `${cause.why}: ${p.ctx.command.kind === "d1-migrations-apply" ? "creates the migrations table, lists applied migrations and applies new ones (writes: D1 Read is not enough)" : readOnly ? "runs a read-only query" : "runs SQL that may write"}`,
      },
      { writes: !readOnly },
    );
  }
}

export function secretCommand(p: Predictor) {
  if (!p.requireScript()) return;
  const cause = p.commandCause(p.ctx.command.kind === "secret-bulk" ? "Uploads secrets in bulk" : "Uploads a secret");
  if (p.ctx.command.kind === "secret-bulk") p.add("PATCH", `${SCRIPT}/secrets-bulk`, cause, { confidence: "medium" });
  else p.add("PUT", `${SCRIPT}/secrets`, cause);
  p.add(
    "PUT",
    SCRIPT,
    { ...cause, why: "When the Worker does not exist yet, wrangler creates an empty draft Worker to hold the secret" },
    { when: "fresh" },
  );
}

export function kvCommand(p: Predictor) {
  const flags = p.ctx.command.flags;
  const cause = p.commandCause(p.ctx.command.kind === "kv-bulk-put" ? "Writes keys in bulk" : "Writes a key");
  if (typeof flags.namespace === "string")
    p.add("GET", `${A}/storage/kv/namespaces`, {
      ...cause,
      why: "--namespace NAME: wrangler lists namespaces to find the id",
    });
  if (typeof flags.binding === "string") {
    const kv = p.cfg?.get("kv_namespaces");
    const found = arr(kv?.node).findIndex((b) => str(get(b, "binding")) === flags.binding);
    if (found >= 0) {
      cause.location = p.at(arr(kv!.node)[found]!);
      cause.key = `${kv!.key}[${found}]`;
    }
  }
  if (p.ctx.command.kind === "kv-bulk-put") p.add("PUT", `${A}/storage/kv/namespaces/{namespace_id}/bulk`, cause);
  else p.add("PUT", `${A}/storage/kv/namespaces/{namespace_id}/values/{key_name}`, cause);
}

export function r2Command(p: Predictor) {
  const target = p.ctx.command.positionals[0] ?? "";
  const slash = target.indexOf("/");
  const bucket = slash > 0 ? target.slice(0, slash) : target;
  const jurisdiction =
    typeof p.ctx.command.flags.jurisdiction === "string" ? p.ctx.command.flags.jurisdiction : "default";
  if (!bucket) {
    p.errors.push("r2 object put names no bucket.");
    return;
  }
  p.add(
    "PUT",
    `${A}/r2/buckets/{bucket_name}/objects/{object_key}`,
    p.commandCause(`Writes an object into bucket "${bucket}"`),
    { bucket: { name: bucket, jurisdiction } },
  );
}

export function secretsStoreCreate(p: Predictor) {
  const store = p.ctx.command.positionals[0] ?? "{store_id}";
  const scopes = typeof p.ctx.command.flags.scopes === "string" ? p.ctx.command.flags.scopes : "";
  p.add("POST", `${A}/secrets_store/stores/{store_id}/secrets`, p.commandCause(`Creates a secret in store ${store}`));
  if (
    !scopes
      .split(",")
      .map((s) => s.trim())
      .includes("workers")
  ) {
    p.notes.push(
      `The secret is created without the "workers" scope (--scopes ${scopes || "(none)"}), so Workers cannot bind it.`,
    );
  }
}
