// Shared by the GitHub and GitLab finders: evaluating values (`${{ … }}`, `$VAR`) as far as the file allows,
// and turning a wrangler invocation found in shell text into a CiDeploy.
import type { Location } from "../source.js";
import type { CiDeploy, CiProblem, CiSecretsStoreCreate, CiValue } from "../model/ci.js";
import { parseWranglerCommand, type WranglerCommand } from "../command.js";
import type { Problem } from "../problems.js";
import type { EnvMap, ShellHit } from "./scripts.js";

/** A value evaluated as far as possible. */
export interface Resolved {
  /** The single value, when known. */
  value?: string;
  /** Several possible values (matrix, choice options). */
  candidates?: string[];
  /** Secret or variable name. */
  secret?: string;
  origin: "literal" | "secret" | "variable" | "expression";
  /** Text as written where the chain ended (the secret reference, the literal, the expression). */
  raw: string;
  location: Location;
}

/** Platform rules for evaluating values. */
export interface Evaluator {
  /** A `${{ … }}` expression (GitHub); undefined result → unknown expression. */
  expression?(expr: string, raw: string, location: Location, vars: EnvMap, depth: number): Resolved | undefined;
  /** A `$NAME` not defined in the visible variables. */
  undefinedVariable(name: string, raw: string, location: Location): Resolved;
}

const WHOLE_EXPR = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/;
const WHOLE_VAR = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** Evaluates text that may be a literal, a `${{ … }}` expression or a `$VAR` reference. */
export function resolveText(
  raw: string,
  location: Location,
  vars: EnvMap,
  ev: Evaluator,
  depth = 0,
  seen: Set<string> = new Set(),
): Resolved {
  const t = raw.trim();
  if (depth > 12) return { origin: "expression", raw, location };
  const e = WHOLE_EXPR.exec(t);
  if (e) {
    return ev.expression?.(e[1]!, raw, location, vars, depth + 1) ?? { origin: "expression", raw, location };
  }
  const v = WHOLE_VAR.exec(t);
  if (v) {
    const name = (v[1] ?? v[2])!;
    const def = vars.get(name);
    if (def && !seen.has(name)) {
      const inner = new Set(seen).add(name);
      return resolveText(def.raw, def.location, def.scope ?? vars, ev, depth + 1, inner);
    }
    return ev.undefinedVariable(name, raw, location);
  }
  if (!t.includes("$")) return { value: t, origin: "literal", raw, location };
  // Mixed text: substitute the pieces that evaluate to one value.
  let unknown = false;
  const out = t.replace(/\$\{\{[\s\S]*?\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, (piece) => {
    const r = resolveText(piece, location, vars, ev, depth + 1, seen);
    if (r.value !== undefined && r.origin === "literal") return r.value;
    if (r.value !== undefined && r.origin === "expression" && !r.candidates) return r.value;
    unknown = true;
    return piece;
  });
  // `${X:-default}`, `$1`, `$@` and the like are not evaluated here: the text stays unknown.
  if (!unknown && !/\$(?:\{|\(|[0-9@*#?!$])/.test(out)) return { value: out, origin: "literal", raw, location };
  return { origin: "expression", raw, location };
}

/**
 * Every value text can take: pieces with several known values (matrix entries, choice options) multiply.
 * Undefined when a piece cannot be evaluated, or when there would be more than `limit` values.
 */
export function expandCandidates(
  raw: string,
  location: Location,
  vars: EnvMap,
  ev: Evaluator,
  limit = 16,
): string[] | undefined {
  const whole = resolveText(raw, location, vars, ev);
  if (whole.value !== undefined && (whole.origin === "literal" || (whole.origin === "expression" && !whole.candidates)))
    return [whole.value];
  if (whole.candidates) return whole.candidates;
  let outs = [""];
  const re = /\$\{\{[\s\S]*?\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;
  let last = 0;
  for (const m of raw.matchAll(re)) {
    const lit = raw.slice(last, m.index);
    const r = resolveText(m[0], location, vars, ev);
    const vals = r.value !== undefined && r.origin !== "secret" && r.origin !== "variable" ? [r.value] : r.candidates;
    if (!vals) return undefined;
    outs = outs.flatMap((o) => vals.map((v) => o + lit + v));
    if (outs.length > limit) return undefined;
    last = m.index + m[0].length;
  }
  const tail = raw.slice(last);
  if (tail.includes("$")) return undefined;
  return outs.map((o) => o + tail);
}

export function toCiValue(r: Resolved): CiValue {
  const v: CiValue = { raw: r.raw, location: r.location, origin: r.origin };
  if (r.value !== undefined && r.origin === "literal") v.value = r.value;
  if (r.secret !== undefined) v.secret = r.secret;
  return v;
}

/** First variable of `names` that is set (wrangler prefers the CLOUDFLARE_ name over the deprecated CF_ one). */
export function pickVar(env: EnvMap, names: string[]): { name: string; raw: string; location: Location } | undefined {
  for (const n of names) {
    const v = env.get(n);
    if (v) return { name: n, ...v };
  }
  return undefined;
}

export const TOKEN_VARS = ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"];
export const ACCOUNT_VARS = ["CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID"];

export interface BuildInput {
  hit: ShellHit;
  source: CiDeploy["source"];
  stepLocation: Location;
  label: string;
  ev: Evaluator;
  /** Overrides from wrangler-action inputs (apiToken, accountId). */
  token?: CiValue;
  accountId?: CiValue;
  /** wrangler-action `environment` (appended as --env when the command has none). */
  environment?: { raw: string; location: Location };
  /** The token when no variable names one (GitLab: the project's CLOUDFLARE_API_TOKEN CI/CD variable). */
  defaultToken?: CiValue;
  extra?: Partial<CiDeploy>;
}

/** Builds a CiDeploy (and a CiSecretsStoreCreate when it is one) from a shell hit. */
export function buildDeploy(input: BuildInput): { deploy: CiDeploy; secretsStore?: CiSecretsStoreCreate } {
  const { hit, ev } = input;
  let argv = hit.argv;
  let argvLocations = hit.argvLocations;
  let command: WranglerCommand = parseWranglerCommand(argv);
  if (input.environment && command.flags.env === undefined) {
    argv = [...argv, "--env", input.environment.raw.trim()];
    argvLocations = [...argvLocations, input.environment.location, input.environment.location];
    command = parseWranglerCommand(argv);
  }
  const { env, envCandidates, envExpression, envLocation } = deployEnv(command, argv, argvLocations, hit, ev);
  // Token and account id.
  let token = input.token;
  if (!token) {
    const t = pickVar(hit.env, TOKEN_VARS);
    if (t) token = toCiValue(resolveText(t.raw, t.location, hit.vars, ev));
    else token = input.defaultToken;
  }
  let accountId = input.accountId;
  if (!accountId) {
    const a = pickVar(hit.env, ACCOUNT_VARS);
    if (a) accountId = toCiValue(resolveText(a.raw, a.location, hit.vars, ev));
  }
  const deploy: CiDeploy = {
    source: input.source,
    location: hit.location,
    stepLocation: input.stepLocation,
    label: input.label,
    command,
    via: hit.via,
    workingDirectory: hit.cwd,
    env,
    ...(envCandidates ? { envCandidates } : {}),
    ...(envExpression !== undefined ? { envExpression } : {}),
    ...(envLocation ? { envLocation } : {}),
    ...(token ? { token } : {}),
    ...(accountId ? { accountId } : {}),
    ...(hit.wranglerVersion ? { wranglerVersion: hit.wranglerVersion } : {}),
    ...(hit.packageManager ? { packageManager: hit.packageManager } : {}),
    ...(input.extra ?? {}),
  };
  let secretsStore: CiSecretsStoreCreate | undefined;
  if (command.kind === "secrets-store-secret-create") {
    const scopes = command.flags.scopes;
    const name = command.flags.name;
    secretsStore = {
      location: hit.location,
      ...(command.positionals[0] !== undefined ? { storeId: command.positionals[0] } : {}),
      ...(typeof name === "string" ? { name } : {}),
      scopes:
        typeof scopes === "string"
          ? scopes
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : [],
      remote: command.flags.remote === true,
      stepLocation: input.stepLocation,
      label: input.label,
      ...(token ? { token } : {}),
      ...(accountId ? { accountId } : {}),
    };
  }
  return { deploy, secretsStore };
}

/** The environment a deploy targets: --env/-e, else CLOUDFLARE_ENV; resolved, or its candidates or expression. */
function deployEnv(
  command: WranglerCommand,
  argv: string[],
  argvLocations: Location[],
  hit: ShellHit,
  ev: Evaluator,
): { env: string | null; envCandidates?: string[]; envExpression?: string; envLocation?: Location } {
  let env: string | null = null;
  let envCandidates: string[] | undefined;
  let envExpression: string | undefined;
  let envLocation: Location | undefined;
  let envRaw: { raw: string; location: Location } | undefined;
  const envFlag = command.flags.env;
  if (typeof envFlag === "string") {
    envRaw = { raw: envFlag, location: flagValueLocation(argv, argvLocations, "env", "e") ?? hit.location };
  } else if (envFlag === undefined) {
    const ce = hit.env.get("CLOUDFLARE_ENV");
    if (ce) envRaw = ce;
  }
  if (envRaw) {
    envLocation = envRaw.location;
    const r = resolveText(envRaw.raw, envRaw.location, hit.vars, ev);
    const isExpr = envRaw.raw.includes("$");
    if (isExpr) envExpression = envRaw.raw.trim();
    if (r.value !== undefined && (r.origin === "literal" || r.origin === "expression")) env = r.value;
    else if (r.candidates && r.candidates.length) envCandidates = r.candidates;
    if (r.value !== undefined && r.origin === "literal" && !isExpr) envExpression = undefined;
    if (env === "") env = null;
  }
  return { env, envCandidates, envExpression, envLocation };
}

/** Location of the value of --name/-n (or --name=value) in argv. */
function flagValueLocation(argv: string[], locs: Location[], long: string, short: string): Location | undefined {
  let found: Location | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${long}` || a === `-${short}`) {
      found = locs[i + 1] ?? locs[i];
      i++;
    } else if (a.startsWith(`--${long}=`) || a.startsWith(`-${short}=`)) found = locs[i];
  }
  return found;
}

export function withFile(file: string, problems: Problem[]): CiProblem[] {
  return problems.map((p) => ({ ...p, file }));
}

export function basenameOf(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? p : p.slice(i + 1);
}
