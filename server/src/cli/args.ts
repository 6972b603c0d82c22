// Small, strict argument parsing for the CLI: known flags only, values checked, errors are one line.
import { CLI_FLAGS, normalizeOptions, SEVERITY_SETTINGS, type SeveritySetting } from "../core/index.js";

export interface FlagSpec {
  /** Takes a value (`--env NAME`) rather than being a switch. */
  value: boolean;
  short?: string;
  choices?: string[];
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | true>;
  /** Words after a bare `--`. */
  rest: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): Parsed {
  const out: Parsed = { positionals: [], flags: {}, rest: [] };
  const byShort = new Map(
    Object.entries(spec)
      .filter(([, s]) => s.short)
      .map(([k, s]) => [s.short!, k]),
  );
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      let name = a.startsWith("--") ? a.slice(2) : (byShort.get(a.slice(1)) ?? a.slice(1));
      let value: string | undefined;
      const eq = name.indexOf("=");
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const s = spec[name];
      if (!s) throw new UsageError(`unknown option ${a}`);
      if (s.value) {
        if (value === undefined) {
          value = argv[++i];
          if (value === undefined) throw new UsageError(`option --${name} needs a value`);
        }
        if (s.choices && !s.choices.includes(value))
          throw new UsageError(`--${name} must be one of ${s.choices.join(", ")} (got "${value}")`);
        out.flags[name] = value;
      } else {
        if (value !== undefined) throw new UsageError(`option --${name} takes no value`);
        out.flags[name] = true;
      }
    } else out.positionals.push(a);
  }
  return out;
}

/** What the repeatable option flags (--rule, --token-secret, --token-glob) give the analysis. */
export interface OptionFlags {
  ruleSeverities: Record<string, SeveritySetting>;
  tokenSecrets: Record<string, string[]>;
  tokenGlobs: string[];
}

/** Help lines of the option flags, the severities spelled from the options schema. */
export const OPTION_FLAGS_HELP = {
  rule: `  --rule ID=SEVERITY      override a rule's severity (${SEVERITY_SETTINGS.join(", ")}); repeatable`,
  "token-secret":
    "  --token-secret T=SECRET link a token definition (name, Terraform address or file) to a CI secret; repeatable",
  "token-glob": "  --token-glob GLOB       only read JSON token definitions matching GLOB (root-relative); repeatable",
};

/**
 * Takes the option flags out of argv (the rest is returned for parseArgs) and reads them through the options
 * schema (core/options.ts), as the project file and the editor settings are read. `flags` limits which ones the
 * command takes; `ruleIds` are the rules --rule may name.
 */
export function optionFlags(
  argv: string[],
  ruleIds: ReadonlySet<string>,
  flags: readonly (keyof typeof CLI_FLAGS)[] = ["rule", "token-secret", "token-glob"],
): { rest: string[]; options: OptionFlags } | { error: string } {
  const given: Record<string, string[]> = { rule: [], "token-secret": [], "token-glob": [] };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith("--") ? a.slice(2).split("=")[0]! : "";
    if (!(flags as readonly string[]).includes(name)) {
      rest.push(a);
      continue;
    }
    const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
    if (v === undefined) return { error: `option --${name} needs a value` };
    given[name]!.push(v);
  }
  // Maps, then own properties (Object.fromEntries): a key such as `__proto__` reaches the schema, which refuses it.
  const rules = new Map<string, string>();
  for (const r of given.rule!) {
    const eq = r.indexOf("=");
    const id = eq < 0 ? r : r.slice(0, eq);
    if (!ruleIds.has(id)) return { error: `unknown rule "${id}" in --rule` };
    rules.set(id, eq < 0 ? "" : r.slice(eq + 1));
  }
  const tokenSecrets = new Map<string, string[]>();
  for (const m of given["token-secret"]!) {
    const eq = m.lastIndexOf("=");
    if (eq <= 0) return { error: `--token-secret needs TOKEN=SECRET (got "${m}")` };
    const key = m.slice(0, eq);
    tokenSecrets.set(key, [...(tokenSecrets.get(key) ?? []), m.slice(eq + 1)]);
  }
  const raw = {
    rules: Object.fromEntries(rules),
    tokenSecrets: Object.fromEntries(tokenSecrets),
    tokenGlobs: given["token-glob"],
  };
  const { options, problems } = normalizeOptions(raw, ["rules", "tokenSecrets", "tokenGlobs"]);
  const p = problems[0];
  if (p) {
    const flag = Object.entries(CLI_FLAGS).find(([, o]) => o === p.path[0])?.[0];
    return { error: `--${flag}${typeof p.path[1] === "string" ? ` ${p.path[1]}=` : ""} ${p.message}` };
  }
  return {
    rest,
    options: { ruleSeverities: options.rules, tokenSecrets: options.tokenSecrets, tokenGlobs: options.tokenGlobs },
  };
}
