// Small, strict argument parsing for the CLI: known flags only, values checked, errors are one line.

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
  const byShort = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([k, s]) => [s.short!, k]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      let name = a.startsWith("--") ? a.slice(2) : byShort.get(a.slice(1)) ?? a.slice(1);
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
        if (s.choices && !s.choices.includes(value)) throw new UsageError(`--${name} must be one of ${s.choices.join(", ")} (got "${value}")`);
        out.flags[name] = value;
      } else {
        if (value !== undefined) throw new UsageError(`option --${name} takes no value`);
        out.flags[name] = true;
      }
    } else out.positionals.push(a);
  }
  return out;
}
