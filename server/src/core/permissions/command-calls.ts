// The calls of a command the catalog lists (data/commands.json) rather than the engine's predictor: resource
// commands (d1 create, kv namespace list, queues delete, …), Worker commands (tail, delete, rollback, versions
// list, …), whoami, Pages project and deployment commands, workflows. Also decides when a command is
// unsupported: unknown to the catalog, or calling the API with calls the catalog does not list.
import type { WranglerCommand } from "../command.js";
import type { CommandEntry } from "./commands.js";
import type { Cause, PredictedCall } from "./calls.js";

export interface CatalogPrediction {
  calls: PredictedCall[];
  notes: string[];
  errors: string[];
}

/** The sentence `minimal` prints (and `check` reports) for a command it cannot answer; undefined when it can. */
export function unsupportedReason(command: WranglerCommand): string | undefined {
  const written = `\`wrangler ${command.words.join(" ") || command.argv.join(" ")}\``;
  const entry = command.entry;
  if (!entry) {
    return `${written} is not a wrangler 4.164 command this tool knows, so which Cloudflare API calls it makes (and which permission groups it needs) is unknown: no token is computed for it.`;
  }
  const flag = entry.unsupportedWith?.find((f) => command.flags[f] !== undefined);
  if (flag)
    return `${written} with --${flag} calls the Cloudflare API in ways this tool's command catalog does not list: no token is computed for it.`;
  if (!command.remote || command.dryRun) return undefined;
  if (!entry.engine && !entry.calls) {
    const how = entry.runs === "remote-flag" ? `\`wrangler ${command.words.join(" ")} --remote\`` : written;
    return `${how} calls the Cloudflare API, but which calls it makes (and so which permission groups it needs) is not in this tool's command catalog yet: no token is computed for it.`;
  }
  return undefined;
}

/** The Worker a Worker command acts on: --name, the command's own positional name (delete, tail), or the config. */
function workerName(command: WranglerCommand, configName: string | undefined): string | undefined {
  const flag = command.flags.name;
  if (typeof flag === "string") return flag;
  const first = command.positionals[0];
  if (first && (command.words.join(" ") === "delete" || command.words.join(" ") === "tail")) return first;
  return configName;
}

export function catalogCalls(
  entry: CommandEntry,
  command: WranglerCommand,
  configName: string | undefined,
  commandCause: (why: string) => Cause,
): CatalogPrediction {
  const out: CatalogPrediction = { calls: [], notes: [], errors: [] };
  const words = command.words.join(" ");
  if (entry.worker && !workerName(command, configName)) {
    out.errors.push(`\`wrangler ${words}\` acts on one Worker: give its name (--name, or \`name\` in the config).`);
    return out;
  }
  for (const c of entry.calls ?? []) {
    const why = c.why ? `\`wrangler ${words}\` ${c.why}` : `\`wrangler ${words}\``;
    const call: PredictedCall = { method: c.method, path: c.path, cause: commandCause(why) };
    if (entry.confidence !== "high") call.confidence = entry.confidence;
    out.calls.push(call);
  }
  if (entry.note) out.notes.push(`\`wrangler ${words}\`: ${entry.note}`);
  return out;
}
