// The command catalog: every command of wrangler 4.164 (data/commands.json, taken from wrangler's own command
// registry), whether it calls the Cloudflare API, and which calls it makes. A command the catalog does not know,
// or one that calls the API with calls the catalog does not list, is unsupported: the engine says so and never
// answers "no group needed" for it. Validated with zod when first used; every entry names its source.
import { z } from "zod";
import commandsData from "../data/commands.json";

const callSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  path: z.string().startsWith("/"),
  /** Why the command makes the call, when it is not the command's main call. */
  why: z.string().optional(),
});

const entrySchema = z.object({
  /** The command words after `wrangler`, e.g. "d1 migrations apply". */
  command: z.string().min(1),
  /** Another spelling of `aliasOf` (wrangler's own alias, or a wrangler 3 spelling with `legacy`). */
  aliasOf: z.string().optional(),
  legacy: z.boolean().optional(),
  /**
   * When the command calls the API: "api" always, "local" never, "remote-flag" only with --remote (local by
   * default), "local-flag" unless --local. On a legacy alias: how the old spelling ran (overrides the target's).
   */
  runs: z.enum(["api", "local", "remote-flag", "local-flag"]).optional(),
  /** The engine's own predictor computes the calls (calls.ts), by command kind. */
  engine: z.string().optional(),
  /** The calls the command makes (any config-driven calls are the engine's). */
  calls: z.array(callSchema).optional(),
  /** The calls name one Worker (`{script_name}`): from --name, the positional name, or the config's `name`. */
  worker: z.boolean().optional(),
  /** False when the command does not resolve an account id first (whoami makes its own lookups). */
  account: z.boolean().optional(),
  /** Flags that make a local command call the API in ways the catalog does not list (then it is unsupported). */
  unsupportedWith: z.array(z.string()).optional(),
  hidden: z.boolean().optional(),
  source: z.string().min(1),
  confidence: z.enum(["high", "medium", "low"]),
  note: z.string().optional(),
});

export type CommandEntry = z.infer<typeof entrySchema>;

export interface CommandCatalog {
  entries: readonly CommandEntry[];
  /** The entry whose command words are the longest prefix of `words`, aliases resolved, with the words it used. */
  match(words: readonly string[]): { entry: CommandEntry; used: number } | undefined;
}

let cached: CommandCatalog | undefined;

export function commandCatalog(): CommandCatalog {
  return (cached ??= buildCommandCatalog(commandsData));
}

export function buildCommandCatalog(raw: unknown): CommandCatalog {
  const entries = z.array(entrySchema).parse(raw);
  const byCommand = new Map(entries.map((e) => [e.command, e]));
  const longest = Math.max(...entries.map((e) => e.command.split(" ").length));
  const find = (words: readonly string[], depth: number): { entry: CommandEntry; used: number } | undefined => {
    for (let n = Math.min(longest, words.length); n > 0; n--) {
      const hit = byCommand.get(words.slice(0, n).join(" "));
      if (!hit) continue;
      // An alias names a command or a namespace ("metrics" → "telemetry"): match again with its words.
      if (hit.aliasOf && depth < 8) {
        const target = find([...hit.aliasOf.split(" "), ...words.slice(n)], depth + 1);
        if (target) {
          // A legacy spelling may run differently from today's command (wrangler 3's KV commands were remote by default).
          const entry = hit.runs && target.entry.runs !== "local" ? { ...target.entry, runs: hit.runs } : target.entry;
          return { entry, used: n + Math.max(0, target.used - hit.aliasOf.split(" ").length) };
        }
      }
      return { entry: hit, used: n };
    }
    return undefined;
  };
  return { entries, match: (words) => find(words, 0) };
}

/** True when the command, with these flags, calls the Cloudflare API according to its entry. */
export function callsApi(entry: CommandEntry, flags: Record<string, string | true>): boolean {
  switch (entry.runs) {
    case "local":
      return false;
    case "remote-flag":
      return flags.remote === true && flags.local !== true;
    case "local-flag":
      return flags.local !== true;
    default:
      return true;
  }
}
