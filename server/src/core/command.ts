// Parses a wrangler command line ("deploy --env production", "d1 migrations apply DB --remote") into the
// command kinds the engine knows, with the flags that change what the command calls, and its entry in the
// command catalog (data/commands.json).
import { callsApi, commandCatalog, type CommandEntry } from "./permissions/commands.js";

export type CommandKind =
  | "deploy"
  | "versions-upload"
  | "versions-deploy"
  | "triggers-deploy"
  | "pages-deploy"
  | "pages-project-create"
  | "d1-migrations-apply"
  | "d1-execute"
  | "secret-put"
  | "secret-bulk"
  | "kv-key-put"
  | "kv-bulk-put"
  | "r2-object-put"
  | "secrets-store-secret-create"
  | "other";

export interface WranglerCommand {
  kind: CommandKind;
  /** The words after `wrangler`, as given. */
  argv: string[];
  /** Positional arguments after the command words. */
  positionals: string[];
  /** Flags by long name without dashes (aliases resolved: -e → env, -c → config). Repeated flags keep the last. */
  flags: Record<string, string | true>;
  /** --env / -e, when given. */
  env?: string;
  /** --config / -c, when given. */
  config?: string;
  /** True when a data command targets the remote API (--remote); deploy-like commands are always remote. */
  remote: boolean;
  /** True with --dry-run: wrangler then makes no API call. */
  dryRun: boolean;
  /** The command's catalog entry (aliases resolved); undefined for a command wrangler 4.164 does not have. */
  entry?: CommandEntry;
  /** The command words (after `wrangler`, before the positionals), as written. */
  words: string[];
}

const ALIASES: Record<string, string> = { e: "env", c: "config", j: "jurisdiction", J: "jurisdiction", f: "file" };
/** Flags that take no value (so the next word is a positional). */
const BOOLEAN_FLAGS = new Set([
  "remote",
  "local",
  "dry-run",
  "preview",
  "minify",
  "keep-vars",
  "latest",
  "yes",
  "y",
  "force",
  "x-provision",
  "experimental-provision",
  "x-auto-create",
  "no-bundle",
  "strict",
  "json",
  "commit-dirty",
  "skip-caching",
  "persist",
]);

const KINDS: [string[], CommandKind][] = [
  [["deploy"], "deploy"],
  [["publish"], "deploy"],
  [["versions", "upload"], "versions-upload"],
  [["versions", "deploy"], "versions-deploy"],
  [["triggers", "deploy"], "triggers-deploy"],
  [["pages", "deploy"], "pages-deploy"],
  [["pages", "publish"], "pages-deploy"],
  [["pages", "project", "create"], "pages-project-create"],
  [["d1", "migrations", "apply"], "d1-migrations-apply"],
  [["d1", "execute"], "d1-execute"],
  [["secret", "put"], "secret-put"],
  [["secret", "bulk"], "secret-bulk"],
  [["secret:bulk"], "secret-bulk"],
  [["kv", "key", "put"], "kv-key-put"],
  [["kv:key", "put"], "kv-key-put"],
  [["kv", "bulk", "put"], "kv-bulk-put"],
  [["kv:bulk", "put"], "kv-bulk-put"],
  [["r2", "object", "put"], "r2-object-put"],
  [["secrets-store", "secret", "create"], "secrets-store-secret-create"],
];

/** Splits a shell-like command line into words (single/double quotes, backslash escapes). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = undefined;
      else if (c === "\\" && q === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Parses the words after `wrangler` (a string is split first). */
export function parseWranglerCommand(input: string | string[]): WranglerCommand {
  const argv = typeof input === "string" ? splitWords(input) : input;
  const words: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a.length > 1 && !/^-\d/.test(a)) {
      const long = a.startsWith("--");
      let name = a.replace(/^--?/, "");
      let value: string | true | undefined;
      const eq = name.indexOf("=");
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      if (!long && ALIASES[name]) name = ALIASES[name]!;
      if (value === undefined) {
        const next = argv[i + 1];
        if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith("-")) {
          value = next;
          i++;
        } else value = true;
      }
      flags[name] = value;
    } else words.push(a);
  }
  let kind: CommandKind = "other";
  let used = 0;
  for (const [prefix, k] of KINDS) {
    if (prefix.every((p, i) => words[i] === p) && prefix.length > used) {
      kind = k;
      used = prefix.length;
    }
  }
  const env = typeof flags.env === "string" ? flags.env : undefined;
  const config = typeof flags.config === "string" ? flags.config : undefined;
  const hit = commandCatalog().match(words);
  if (hit && hit.used > used) used = hit.used;
  if (kind === "other" && hit?.entry.engine) kind = hit.entry.engine as CommandKind;
  const deployLike = [
    "deploy",
    "versions-upload",
    "versions-deploy",
    "triggers-deploy",
    "pages-deploy",
    "pages-project-create",
    "secret-put",
    "secret-bulk",
  ].includes(kind);
  return {
    kind,
    argv,
    positionals: words.slice(used),
    flags,
    env,
    config,
    remote: hit ? callsApi(hit.entry, flags) : deployLike || flags.remote === true,
    dryRun: flags["dry-run"] === true,
    entry: hit?.entry,
    words: words.slice(0, used),
  };
}

/** Flags whose value is a credential (wrangler reads tokens from the environment, but a command line can hold one). */
const SECRET_FLAG =
  /^(api[-_]?token|token|api[-_]?key|auth[-_]?key|auth[-_]?token|global[-_]?api[-_]?key|password|secret[-_]?value)$/i;
const PREFIXED = /^(cfut_|cfat_|cfk_|cfoat_)[A-Za-z0-9_-]{16,}$/;

/** Older Cloudflare API tokens are 40 characters of [A-Za-z0-9_-] without prefix; newer ones carry a prefix above. */
export function looksLikeToken(value: string): boolean {
  if (PREFIXED.test(value)) return true;
  return (
    /^[A-Za-z0-9_-]{40,}$/.test(value) &&
    /[0-9]/.test(value) &&
    /[A-Za-z]/.test(value) &&
    !/^[0-9a-f]{32,40}$/.test(value)
  );
}

/**
 * The command line for people to read (hovers, messages, reports): the value of a credential flag
 * (`--api-token X`, `--api-token=X`) and any word shaped like a token value are replaced by `<redacted>`.
 */
export function commandText(argv: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?([^=]+)(=.*)?$/.exec(a);
    if (m && SECRET_FLAG.test(m[1]!)) {
      if (m[2] !== undefined) out.push(`${a.slice(0, a.indexOf("="))}=<redacted>`);
      else {
        out.push(a);
        if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) {
          out.push("<redacted>");
          i++;
        }
      }
    } else
      out.push(looksLikeToken(a) || looksLikeToken(a.replace(/^[^=]*=/, "")) ? a.replace(/[^=]*$/, "<redacted>") : a);
  }
  return out.join(" ");
}
