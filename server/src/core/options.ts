// The options, said once as a zod schema: the project file `.wrangler-token-lint.json`, the editor settings
// (package.json contributes.configuration, checked against this by test/meta/options.test.ts) and the CLI flags
// (--rule, --token-secret, --token-glob) are all read through normalizeOptions. Reading keeps the valid parts:
// each bad value is dropped with a problem that names where it is, never the whole option.
import { z } from "zod";

export const SEVERITY_SETTINGS = ["error", "warning", "info", "off"] as const;
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

/** Keys that would reach an object's prototype: refused in every map option. */
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const nonEmpty = z.string().min(1);

/** Every option with its type and default; the keys are the editor settings' names under `wranglerTokenLint.`. */
export const OPTIONS_SCHEMA = z.object({
  enable: z.boolean().default(true),
  rules: z.record(z.enum(SEVERITY_SETTINGS)).default({}),
  tokenGlobs: z.array(nonEmpty).default([]),
  tokenSecrets: z.record(z.array(nonEmpty)).default({}),
  inlayHints: z.boolean().default(true),
  "audit.apiBaseUrl": z.string().default(""),
  "trace.server": z.enum(["off", "messages", "verbose"]).default("off"),
});

export type OptionName = keyof typeof OPTIONS_SCHEMA.shape;
export type Options = z.infer<typeof OPTIONS_SCHEMA>;

/** Where each option can be given (the editor takes all of them; `audit.apiBaseUrl` and `trace.server` are read by the client). */
export const PROJECT_OPTIONS = ["rules", "tokenGlobs", "tokenSecrets"] as const satisfies readonly OptionName[];
export const SERVER_OPTIONS = [
  "enable",
  "rules",
  "tokenGlobs",
  "tokenSecrets",
  "inlayHints",
] as const satisfies readonly OptionName[];
/** CLI flag → the option it fills (each flag is repeatable: `--rule ID=SEVERITY`, `--token-secret T=SECRET`, `--token-glob GLOB`). */
export const CLI_FLAGS = {
  rule: "rules",
  "token-secret": "tokenSecrets",
  "token-glob": "tokenGlobs",
} as const satisfies Record<string, OptionName>;

export interface OptionProblem {
  /** Where the bad value is: option name, then map key or list index. */
  path: (string | number)[];
  message: string;
}

/** The defaults of the named options. */
export function defaultOptions<K extends OptionName>(names: readonly K[]): Pick<Options, K> {
  const all = OPTIONS_SCHEMA.parse({});
  return Object.fromEntries(names.map((n) => [n, all[n]])) as Pick<Options, K>;
}

/**
 * The named options from an untrusted value (parsed JSON, the client's settings): valid parts kept, the rest
 * dropped with a problem. A single string where a list of strings is expected is a one-item list. Keys that
 * would reach an object's prototype (`__proto__`, `constructor`, `prototype`) are refused in maps.
 */
export function normalizeOptions<K extends OptionName>(
  raw: unknown,
  names: readonly K[],
): { options: Pick<Options, K>; problems: OptionProblem[] } {
  const problems: OptionProblem[] = [];
  const out = defaultOptions(names) as Record<string, unknown>;
  const o = isRecord(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isRecord(raw)) problems.push({ path: [], message: "must be an object" });
  for (const name of names) {
    if (!Object.hasOwn(o, name) || o[name] === undefined || o[name] === null) continue;
    const r = readValue(unwrap(OPTIONS_SCHEMA.shape[name]), o[name], [name], problems);
    if (r.ok) out[name] = r.value;
  }
  return { options: out as Pick<Options, K>, problems };
}

function readValue(
  schema: z.ZodTypeAny,
  value: unknown,
  path: (string | number)[],
  problems: OptionProblem[],
): { ok: boolean; value?: unknown } {
  if (schema instanceof z.ZodRecord) {
    if (!isRecord(value)) return bad(path, "must be an object", problems);
    const map: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (UNSAFE_KEYS.has(key)) {
        problems.push({ path: [...path, key], message: `"${key}" cannot be used as a key` });
        continue;
      }
      const r = readValue(schema.valueSchema as z.ZodTypeAny, v, [...path, key], problems);
      if (r.ok) map[key] = r.value;
    }
    return { ok: true, value: map };
  }
  if (schema instanceof z.ZodArray) {
    const items = typeof value === "string" ? [value] : value;
    if (!Array.isArray(items)) return bad(path, "must be a list", problems);
    const list: unknown[] = [];
    items.forEach((v, i) => {
      const r = readValue(schema.element as z.ZodTypeAny, v, typeof value === "string" ? path : [...path, i], problems);
      if (r.ok) list.push(r.value);
    });
    return { ok: true, value: list };
  }
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return bad(path, describe(schema), problems);
}

function bad(path: (string | number)[], message: string, problems: OptionProblem[]): { ok: false } {
  problems.push({ path, message });
  return { ok: false };
}

/** What a value must be, in words. */
function describe(schema: z.ZodTypeAny): string {
  if (schema instanceof z.ZodEnum)
    return `must be ${(schema.options as string[])
      .map((o) => `"${o}"`)
      .join(", ")
      .replace(/, ([^,]*)$/, " or $1")}`;
  if (schema instanceof z.ZodBoolean) return "must be true or false";
  if (schema instanceof z.ZodString) return schema.minLength ? "must be a non-empty string" : "must be a string";
  return "has the wrong type";
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  return schema instanceof z.ZodDefault ? unwrap(schema._def.innerType as z.ZodTypeAny) : schema;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An option as JSON Schema, the form package.json's contributes.configuration declares it in. */
export function optionJsonSchema(name: OptionName): Record<string, unknown> {
  const s = OPTIONS_SCHEMA.shape[name];
  return { ...jsonSchema(unwrap(s)), default: OPTIONS_SCHEMA.parse({})[name] };
}

function jsonSchema(schema: z.ZodTypeAny): Record<string, unknown> {
  if (schema instanceof z.ZodBoolean) return { type: "boolean" };
  if (schema instanceof z.ZodString) return { type: "string" };
  if (schema instanceof z.ZodEnum) return { type: "string", enum: [...(schema.options as string[])] };
  if (schema instanceof z.ZodArray) return { type: "array", items: jsonSchema(schema.element as z.ZodTypeAny) };
  if (schema instanceof z.ZodRecord)
    return { type: "object", additionalProperties: jsonSchema(schema.valueSchema as z.ZodTypeAny) };
  return {};
}
