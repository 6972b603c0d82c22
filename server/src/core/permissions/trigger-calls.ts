// The triggers phase of a deploy (and `wrangler triggers deploy`): workers.dev, routes, custom domains, crons,
// queue consumers, workflows and Email Routing addresses.
import { arr, bool, get, str } from "../parse/tree.js";
import type { Cause, ZoneRef } from "./call-types.js";
import { A, SCRIPT, isEmpty, type Predictor } from "./predictor.js";
import { hostOf } from "./zones.js";

/** The triggers phase: workers.dev, routes, custom domains, crons, queue consumers, workflows. */
export function triggers(p: Predictor, partOfDeploy = false) {
  if (!partOfDeploy && !p.requireScript()) return;
  const wd = p.workersDev();
  if (!partOfDeploy && wd.enabled) p.add("GET", `${A}/workers/subdomain`, wd.cause);
  if (!partOfDeploy) p.add("GET", `${SCRIPT}/subdomain`, wd.cause);
  p.add("POST", `${SCRIPT}/subdomain`, wd.cause);
  routeCalls(p);
  const triggers = p.cfg?.get("triggers");
  const crons = triggers ? get(triggers.node, "crons") : undefined;
  if (crons) {
    p.add("PUT", `${SCRIPT}/schedules`, {
      location: p.at(crons),
      key: `${triggers!.key}.crons`,
      why: arr(crons).length
        ? "Cron triggers are written to the Worker's schedules"
        : "An empty crons list clears the Worker's schedules",
    });
  }
  queueConsumerCalls(p);
  workflowAndEmailCalls(p);
}

/** Routes and custom domains: the domains changeset, or the account-level routes write with its per-zone fallback. */
function routeCalls(p: Predictor): void {
  const zoneRoutes: { zone: ZoneRef; cause: Cause }[] = [];
  for (const r of p.routeEntries()) {
    const pattern = r.node.kind === "string" ? (r.node.value as string) : str(get(r.node, "pattern"));
    if (!pattern) continue;
    const cause: Cause = { location: p.at(r.node), key: r.key, why: "" };
    if (bool(get(r.node, "custom_domain"))) {
      const c = {
        ...cause,
        why: `Custom domain ${pattern}: wrangler attaches it with a domains changeset (medium confidence: the API lists only Workers Scripts Write for custom domains; whether the zone's DNS or SSL permissions are also checked is unverified)`,
      };
      p.add("POST", `${SCRIPT}/domains/changeset`, c, { confidence: "medium" });
      p.add("PUT", `${SCRIPT}/domains/records`, c, { confidence: "medium" });
      continue;
    }
    const zoneId = str(get(r.node, "zone_id"));
    const zoneName = str(get(r.node, "zone_name"));
    const host = hostOf(pattern);
    const zone: ZoneRef = zoneId ? { zoneId } : zoneName ? { zoneName } : { host };
    zoneRoutes.push({
      zone,
      cause: {
        ...cause,
        why: `Route ${pattern}${zoneId ? ` (zone_id ${zoneId})` : zoneName ? ` in zone ${zoneName}` : ""}`,
      },
    });
  }
  for (const { zone, cause } of zoneRoutes) {
    if (!zone.zoneId)
      p.add("GET", "/zones", { ...cause, why: `${cause.why}: wrangler looks the zone up by name` }, { zone });
    p.add(
      "GET",
      "/zones/{zone_id}/workers/routes",
      {
        ...cause,
        why: `${cause.why}: wrangler checks who owns the route (with workers.dev off) and, in the per-zone fallback, which routes exist`,
      },
      { zone },
    );
    p.add(
      "PUT",
      `${SCRIPT}/routes`,
      {
        ...cause,
        why: `${cause.why}: wrangler first writes all routes with the account-level API, which needs Workers Routes on all zones; with zone-specific permission it gets error 10000 and falls back to the per-zone API`,
      },
      { zone },
    );
    p.add(
      "POST",
      "/zones/{zone_id}/workers/routes",
      {
        ...cause,
        why: `${cause.why}: the per-zone route API (wrangler's fallback when the account-level write is refused)`,
      },
      { zone },
    );
  }
  if (zoneRoutes.length) {
    p.notes.push(
      "Routes: the minimal token grants Workers Routes Write on the route zones only. wrangler's account-level routes write then fails with 10000 and wrangler falls back to the per-zone API, which works but does not delete old routes in zones the token cannot see.",
    );
  }
}

/** Queue consumers: each consumed queue is looked up and the Worker registered (or updated) as its consumer. */
function queueConsumerCalls(p: Predictor): void {
  const seen = new Set<string>();
  for (const q of p.queueNames()) {
    if (!q.consumer || seen.has(q.name)) continue;
    seen.add(q.name);
    p.add("GET", `${A}/queues`, {
      ...q.cause,
      why: `${q.cause.why}: wrangler looks up the queue id and its consumers`,
    });
    p.add(
      "POST",
      `${A}/queues/{queue_id}/consumers`,
      {
        ...q.cause,
        why: `${q.cause.why}: wrangler registers the Worker as the consumer (medium confidence: the consumer API is documented for Queues Write or Workers Scripts Write in the Terraform provider, not in the API schema)`,
      },
      { confidence: "medium", when: "fresh" },
    );
    p.add(
      "PUT",
      `${A}/queues/{queue_id}/consumers/{consumer_id}`,
      {
        ...q.cause,
        why: `${q.cause.why}: wrangler updates the existing consumer (medium confidence, as for creating it)`,
      },
      { confidence: "medium", when: "existing" },
    );
  }
}

/** Workflows that point at this Worker, and Email Routing addresses. */
function workflowAndEmailCalls(p: Predictor): void {
  const wf = p.cfg?.get("workflows");
  for (const [i, w] of arr(wf?.node).entries()) {
    const name = str(get(w, "name"));
    const script = str(get(w, "script_name"));
    if (!name || (script && script !== p.cfg?.scriptName)) continue;
    p.add(
      "PUT",
      `${A}/workflows/{workflow_name}`,
      {
        location: p.at(w),
        key: `${wf!.key}[${i}]`,
        why: `Workflow "${name}" is created or updated to point at this Worker (medium confidence: the workflows API's groups come from the Terraform provider, not the API schema)`,
      },
      { confidence: "medium" },
    );
  }
  const addresses = p.cfg?.get("addresses");
  if (addresses && !isEmpty(addresses.node)) {
    p.add(
      "POST",
      `${A}/email/routing/rules/plan`,
      {
        location: p.loc(addresses),
        key: addresses.key,
        why: "Email Routing addresses: wrangler plans and applies routing rules",
      },
      { confidence: "low" },
    );
    p.notes.push(
      "`addresses` (Email Routing) also writes zone email routing rules; this tool does not model those calls yet.",
    );
  }
}
