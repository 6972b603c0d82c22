// Per-Worker permission groups ("Individual Workers" roles, 2026): groups granted on the script resources
// `com.cloudflare.edge.worker.script.<script tag>` nested under an account key. Their ids are not published, so
// they are kept apart from the id-keyed catalog (data/worker-script-groups.json, validated here) and are found by
// name only. Which API calls they allow is derived from the call's path: calls on one Worker's own resource.
import { z } from "zod";
import rolesData from "../data/worker-script-groups.json";

export const SCRIPT_RESOURCE_PREFIX = "com.cloudflare.edge.worker.script.";

const roleSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  resource: z.literal("com.cloudflare.edge.worker.script"),
  /** Upload, deploy, versions, settings and secrets of the named Workers. */
  deploy: z.boolean(),
  readContent: z.boolean(),
  readMetadata: z.boolean(),
  delete: z.boolean(),
  allows: z.string(),
  source: z.string().min(1),
  confidence: z.enum(["high", "medium", "low"]),
});

export type WorkerRole = z.infer<typeof roleSchema>;

let cached: WorkerRole[] | undefined;

export function workerRoles(): readonly WorkerRole[] {
  return (cached ??= z.array(roleSchema).parse(rolesData));
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[:\s]+/g, " ")
    .replace(/\bedit\b/g, "editor")
    .trim();

/** A per-Worker group by its name or label (case- and punctuation-insensitive). */
export function workerRole(name: string): WorkerRole | undefined {
  const n = norm(name);
  return workerRoles().find((r) => norm(r.name) === n || norm(r.label) === n);
}

// Paths on one Worker's own resource. Routes (zone resources) and custom domains ("Custom Domains do not
// currently support per-Worker roles", developers.cloudflare.com/workers/authorization/workers/) are not.
const SCRIPT_PATH = /^\/accounts\/\{account_id\}\/workers\/(scripts|workers|services)\/\{script_name\}(\/|$)/;
const NOT_SCRIPT_LEVEL = /\/(routes|domains)(\/|$)/;

/** True when an API call ("PUT /accounts/{account_id}/workers/scripts/{script_name}") acts on one Worker only. */
export function scriptLevelCall(api: string): boolean {
  const sp = api.indexOf(" ");
  const path = sp < 0 ? api : api.slice(sp + 1);
  return SCRIPT_PATH.test(path) && !NOT_SCRIPT_LEVEL.test(path.replace(SCRIPT_PATH, "/"));
}

/** Whether a per-Worker role allows one script-level call (method decides between reading and writing). */
export function roleAllowsCall(role: WorkerRole, api: string): boolean {
  if (!scriptLevelCall(api)) return false;
  const method = api.slice(0, api.indexOf(" ")).toUpperCase();
  if (method === "GET") return /\/content(\/|$)/.test(api) ? role.readContent : role.readMetadata;
  if (method === "DELETE" && /\/\{script_name\}$/.test(api)) return role.delete;
  return role.deploy;
}
