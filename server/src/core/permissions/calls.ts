// Predicts the Cloudflare API calls one wrangler command makes for one resolved config, each with the config
// key (or command) that causes it. The call lists follow wrangler 4.164 as recorded against a mock API
// (team research: research/oracle.md) and its source (research/wrangler.md §3).
import type { ResolvedConfig } from "../model/wrangler.js";
import { arr, bool, get } from "../parse/tree.js";
import { commandText } from "../command.js";
import { catalogCalls, unsupportedReason } from "./command-calls.js";
import type { Cause, PredictContext, Prediction } from "./call-types.js";
import { A, Predictor, SECRET_CHECK_KEYS } from "./predictor.js";
import { deploy } from "./deploy-calls.js";
import { triggers } from "./trigger-calls.js";
import {
  d1Command,
  kvCommand,
  pagesDeploy,
  r2Command,
  secretCommand,
  secretsStoreCreate,
  versionsDeploy,
  versionsUpload,
} from "./command-predictions.js";

export type { Cause, PredictContext, PredictedCall, Prediction, ZoneRef } from "./call-types.js";
export { guessZoneName, hostOf } from "./zones.js";

export function predictCalls(cfg: ResolvedConfig | undefined, ctx: PredictContext): Prediction {
  const p = new Predictor(cfg, ctx);
  run(p);
  return { calls: p.calls, notes: p.notes, errors: p.errors, ...(p.unsupported ? { unsupported: p.unsupported } : {}) };
}

function run(p: Predictor) {
  const { command } = p.ctx;
  const words = command.words.join(" ");
  const dryRunKnown = command.kind !== "other" || words === "delete";
  if (!(command.dryRun && dryRunKnown)) p.unsupported = unsupportedReason(command);
  if (p.unsupported) return;
  if (command.dryRun && command.kind === "versions-deploy") {
    // Unlike the other dry runs, `versions deploy --dry-run` authenticates and does its reads, then stops before
    // the deployment is created (research/wrangler.md §3.3 and §5.4).
    if (!p.ctx.accountKnown) accountLookup(p);
    p.notes.push(
      "`versions deploy --dry-run` still reads the Worker's deployments and versions; it stops before creating the deployment.",
    );
    return versionsDeploy(p, true);
  }
  if (command.dryRun && dryRunKnown) {
    p.notes.push("--dry-run makes no Cloudflare API call (wrangler skips authentication too), so it needs no token.");
    return;
  }
  if (!command.remote && words === "dev" && remoteBinding(p)) {
    p.unsupported = `\`wrangler dev\` with bindings marked \`remote = true\` (${remoteBinding(p)}) calls the Cloudflare API for remote bindings, and which calls it makes is not in this tool's command catalog yet: no token is computed for it.`;
    return;
  }
  if (!command.remote) {
    const entry = command.entry;
    p.notes.push(
      entry?.runs === "local"
        ? `\`wrangler ${words}\` ${entry.note ?? "makes no Cloudflare API call"}.`
        : `\`wrangler ${commandText(command.argv)}\` works on local data without --remote: it makes no API call.`,
    );
    if (entry?.note && entry.runs !== "local" && !entry.calls && !entry.engine)
      p.notes.push(`\`wrangler ${words}\`: ${entry.note}`);
    return;
  }
  if (!p.ctx.accountKnown && command.entry?.account !== false) accountLookup(p);
  switch (command.kind) {
    case "deploy":
      return deploy(p);
    case "versions-upload":
      return versionsUpload(p);
    case "versions-deploy":
      return versionsDeploy(p);
    case "triggers-deploy":
      return triggers(p);
    case "pages-deploy":
      return pagesDeploy(p);
    case "pages-project-create":
      return p.add("POST", `${A}/pages/projects`, p.commandCause("`pages project create` creates the Pages project"));
    case "d1-migrations-apply":
    case "d1-execute":
      return d1Command(p);
    case "secret-put":
    case "secret-bulk":
      return secretCommand(p);
    case "kv-key-put":
    case "kv-bulk-put":
      return kvCommand(p);
    case "r2-object-put":
      return r2Command(p);
    case "secrets-store-secret-create":
      return secretsStoreCreate(p);
    default: {
      const r = catalogCalls(command.entry!, command, p.cfg?.scriptName ?? undefined, (why) => p.commandCause(why));
      p.calls.push(...r.calls);
      p.notes.push(...r.notes);
      p.errors.push(...r.errors);
    }
  }
}

/** The first binding marked `remote = true` (wrangler dev then connects to the real resource), as a dotted key. */
export function remoteBinding(p: Predictor): string | undefined {
  for (const key of SECRET_CHECK_KEYS) {
    const l = p.cfg?.get(key);
    const items =
      l?.node.kind === "object"
        ? l.node.entries.flatMap((e) => (e.value.kind === "array" ? e.value.items : [e.value]))
        : arr(l?.node);
    const i = items.findIndex((b) => bool(get(b, "remote")) === true);
    if (i >= 0) return `${l!.key}[${i}]`;
  }
  return undefined;
}

export function accountLookup(p: Predictor) {
  const why =
    "No account id is configured (account_id, CLOUDFLARE_ACCOUNT_ID): wrangler lists the token's accounts and memberships to pick one";
  const cause: Cause = { location: p.loc(p.cfg?.get("name")), key: "account_id", why };
  p.add("GET", "/accounts", cause);
  p.add("GET", "/memberships", cause, { confidence: "medium" });
  // What the lookup asks of the token depends on who owns it: the note is written by minimal.ts.
}
