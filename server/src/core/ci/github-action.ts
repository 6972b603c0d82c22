// cloudflare/wrangler-action (see the team notes on its inputs: one command per `command:` line, `environment`
// appended as --env, `secrets` uploaded with `secret bulk` before the commands, pre/post commands as shell
// lines; v3 and v4 take the same inputs) and the deprecated cloudflare/pages-action.
import type { Host } from "../host.js";
import type { Location } from "../source.js";
import type { CiDeploy, CiScanResult, CiValue } from "../model/ci.js";
import { resolve } from "../path.js";
import { valueSpan } from "../parse/yaml.js";
import { entry, get, type Node, type ObjectNode, type ScalarNode } from "../parse/tree.js";
import {
  scanShell,
  type EnvMap,
  type ScanCache,
  type ShellContext,
  type ShellHit,
  type ShellSource,
} from "./scripts.js";
import { buildDeploy, resolveText, toCiValue, type BuildInput, type Evaluator, expandCandidates } from "./common.js";

export function emit(out: CiScanResult, hit: ShellHit, input: Omit<Parameters<typeof buildDeploy>[0], "hit">): void {
  const { deploy, secretsStore } = buildDeploy({ ...input, hit });
  out.deploys.push(deploy);
  if (secretsStore) out.secretsStoreCreates.push(secretsStore);
}

/** The `with:` input as text and location. */
export function input(
  file: string,
  step: Node,
  name: string,
): { raw: string; location: Location; node: Node } | undefined {
  const w = get(step, "with");
  const e = entry(w, name);
  if (!e) return undefined;
  const v = e.value;
  if (v.kind === "object" || v.kind === "array" || v.value === null) return undefined;
  return { raw: String(v.value), location: { file, span: v.span }, node: v };
}

function valueFor(r: { raw: string; location: Location } | undefined, env: EnvMap, ev: Evaluator): CiValue | undefined {
  if (!r || r.raw.trim() === "") return undefined;
  return toCiValue(resolveText(r.raw, r.location, env, ev));
}

function parseVersion(v: string | undefined): [number, number, number] | undefined {
  if (!v) return undefined;
  const m = /^\D*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function older(v: [number, number, number] | undefined, than: [number, number, number]): boolean {
  if (!v) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== than[i]) return v[i]! < than[i]!;
  return false;
}

function lines(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let s = 0;
  for (;;) {
    let e = text.indexOf("\n", s);
    const last = e < 0;
    if (last) e = text.length;
    let a = s;
    let b = e;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a) out.push({ start: a, end: b });
    if (last) break;
    s = e + 1;
  }
  return out;
}

/** One wrangler-action step as read from its inputs: where and how its commands run, and what each deploy gets. */
interface ActionStep {
  file: string;
  step: ObjectNode;
  out: CiScanResult;
  via0: Location[];
  cwd: string;
  usesLocation: Location;
  ver: ReturnType<typeof parseVersion>;
  pm: string | undefined;
  /** The `environment` input, appended as --env to the commands the action itself runs. */
  envForCommands: { raw: string; location: Location } | undefined;
  /** The token and account id exported for everything the action runs. */
  actionEnv: EnvMap;
  common: Omit<BuildInput, "hit" | "extra">;
  extra: Partial<CiDeploy>;
  ctx: ShellContext;
}

export function wranglerAction(
  host: Host,
  cache: ScanCache,
  root: string,
  file: string,
  step: ObjectNode,
  env: EnvMap,
  label: string,
  stepLocation: Location,
  ev: Evaluator,
  via0: Location[],
  out: CiScanResult,
): void {
  const a = readActionStep(host, cache, root, file, step, env, label, stepLocation, ev, via0, out);
  actionShellLines(a, "preCommands");
  actionSecrets(a);
  actionCommands(a);
  actionShellLines(a, "postCommands");
}

function readActionStep(
  host: Host,
  cache: ScanCache,
  root: string,
  file: string,
  step: ObjectNode,
  env: EnvMap,
  label: string,
  stepLocation: Location,
  ev: Evaluator,
  via0: Location[],
  out: CiScanResult,
): ActionStep {
  const usesEntry = entry(step, "uses")!;
  const usesLocation: Location = { file, span: usesEntry.value.span };
  const wdIn = input(file, step, "workingDirectory");
  let cwd = root;
  if (wdIn) {
    const r = resolveText(wdIn.raw, wdIn.location, env, ev);
    if (r.value !== undefined) cwd = resolve(root, r.value);
    else
      out.problems.push({
        code: "ci-working-directory-unknown",
        severity: "info",
        message: `The working directory \`${wdIn.raw}\` is an expression; commands are assumed to run in the repository root.`,
        file,
        span: wdIn.location.span,
      });
  }
  const version = input(file, step, "wranglerVersion");
  const versionText = version ? (resolveText(version.raw, version.location, env, ev).value ?? version.raw) : undefined;
  const ver = parseVersion(versionText);
  const pm = input(file, step, "packageManager")?.raw;
  const token = valueFor(input(file, step, "apiToken"), env, ev);
  const accountId = valueFor(input(file, step, "accountId"), env, ev);
  const environment = input(file, step, "environment");
  const envForCommands = environment && environment.raw.trim() !== "" ? environment : undefined;
  const vars = listInput(input(file, step, "vars")?.raw);
  // The action exports the token and account id for everything it runs, pre/post commands included.
  const actionEnv = new Map(env);
  const tokIn = input(file, step, "apiToken");
  if (tokIn) actionEnv.set("CLOUDFLARE_API_TOKEN", { raw: tokIn.raw, location: tokIn.location });
  const accIn = input(file, step, "accountId");
  if (accIn) actionEnv.set("CLOUDFLARE_ACCOUNT_ID", { raw: accIn.raw, location: accIn.location });
  const common = {
    source: "github-actions" as const,
    stepLocation,
    label,
    ev,
    ...(token ? { token } : {}),
    ...(accountId ? { accountId } : {}),
  };
  const extra: Partial<CiDeploy> = {
    ...(versionText ? { wranglerVersion: versionText } : {}),
    ...(pm ? { packageManager: pm } : {}),
    ...(vars.length ? { vars } : {}),
  };
  const ctx: ShellContext = {
    host,
    cache,
    problems: out.problems,
    cwd,
    root,
    env: actionEnv,
    via: via0.length ? via0 : undefined,
    expand: (t, l, v) => expandCandidates(t, l, v, ev),
  };
  return { file, step, out, via0, cwd, usesLocation, ver, pm, envForCommands, actionEnv, common, extra, ctx };
}

/** `preCommands` / `postCommands`: each line runs on its own (in the working directory), so `cd` does not carry over. */
function actionShellLines(a: ActionStep, name: string): void {
  const n = get(get(a.step, "with"), name);
  if (!n || n.kind !== "string") return;
  for (const l of lines(n.value as string)) {
    const src: ShellSource = {
      file: a.file,
      text: (n.value as string).slice(l.start, l.end),
      spanOf: (s, e) => valueSpan(n, l.start + s, l.start + e),
    };
    for (const hit of scanShell(src, a.ctx))
      emit(a.out, hit, { ...a.common, extra: { ...a.extra, packageManager: a.pm ?? hit.packageManager } });
  }
}

/** The `secrets` input: the action uploads them with `secret put` (before 3.4.0), `secret:bulk` or `secret bulk`. */
function actionSecrets(a: ActionStep): void {
  const secretsIn0 = input(a.file, a.step, "secrets");
  const secretNames = listInput(secretsIn0?.raw);
  const secretsKey = entry(get(a.step, "with"), "secrets");
  const secretsIn =
    secretsIn0 && secretsKey ? { ...secretsIn0, location: { file: a.file, span: secretsKey.keySpan } } : undefined;
  if (!secretsIn || !secretNames.length) return;
  const argvs: string[][] = older(a.ver, [3, 4, 0])
    ? secretNames.map((s) => ["secret", "put", s])
    : [older(a.ver, [3, 60, 0]) ? ["secret:bulk"] : ["secret", "bulk"]];
  for (const argv of argvs) {
    const hit: ShellHit = {
      argv,
      argvLocations: argv.map(() => secretsIn.location),
      location: secretsIn.location,
      via: [...a.via0, secretsIn.location],
      cwd: a.cwd,
      env: a.actionEnv,
      vars: a.actionEnv,
    };
    emit(a.out, hit, {
      ...a.common,
      ...(a.envForCommands ? { environment: a.envForCommands } : {}),
      extra: { ...a.extra, implicit: true, secretNames },
    });
  }
}

/** The `command` input, each line a wrangler command line; without one, the action runs `deploy` (`publish` before 2.20.0). */
function actionCommands(a: ActionStep): void {
  const cmdNode = get(get(a.step, "with"), "command");
  const cmdText =
    cmdNode && cmdNode.kind !== "object" && cmdNode.kind !== "array" && cmdNode.value !== null
      ? String(cmdNode.value)
      : "";
  const cmdLines = lines(cmdText);
  if (cmdLines.length === 0) {
    const argv = [older(a.ver, [2, 20, 0]) ? "publish" : "deploy"];
    const hit: ShellHit = {
      argv,
      argvLocations: [a.usesLocation],
      location: a.usesLocation,
      via: [...a.via0, a.usesLocation],
      cwd: a.cwd,
      env: a.actionEnv,
      vars: a.actionEnv,
    };
    emit(a.out, hit, {
      ...a.common,
      ...(a.envForCommands ? { environment: a.envForCommands } : {}),
      extra: { ...a.extra, implicit: true },
    });
    return;
  }
  for (const l of cmdLines) {
    const node = cmdNode as ScalarNode;
    const src: ShellSource = {
      file: a.file,
      text: cmdText.slice(l.start, l.end),
      spanOf: (s, e) => (node.kind === "string" ? valueSpan(node, l.start + s, l.start + e) : node.span),
    };
    const hits = scanShell(src, a.ctx, { wranglerPrefix: true, packageManager: a.pm });
    for (const hit of hits) {
      emit(a.out, hit, {
        ...a.common,
        ...(a.envForCommands && hit.via.length === a.via0.length + 1 ? { environment: a.envForCommands } : {}),
        extra: a.extra,
      });
    }
  }
}

function listInput(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** cloudflare/pages-action (deprecated): runs `wrangler pages publish <directory> --project-name … --branch …`. */
export function pagesAction(
  file: string,
  root: string,
  step: ObjectNode,
  env: EnvMap,
  label: string,
  stepLocation: Location,
  ev: Evaluator,
  via0: Location[],
  out: CiScanResult,
): void {
  const usesLocation: Location = { file, span: entry(step, "uses")!.value.span };
  const wd = input(file, step, "workingDirectory");
  const cwd = wd ? resolve(root, resolveText(wd.raw, wd.location, env, ev).value ?? ".") : root;
  const dir = input(file, step, "directory");
  const project = input(file, step, "projectName");
  const branch = input(file, step, "branch");
  const argv = ["pages", "deploy"];
  const locs = [usesLocation, usesLocation];
  if (dir) {
    argv.push(dir.raw);
    locs.push(dir.location);
  }
  if (project) {
    argv.push("--project-name", project.raw);
    locs.push(project.location, project.location);
  }
  if (branch) {
    argv.push("--branch", branch.raw);
    locs.push(branch.location, branch.location);
  }
  const hit: ShellHit = {
    argv,
    argvLocations: locs,
    location: usesLocation,
    via: [...via0, usesLocation],
    cwd,
    env,
    vars: env,
  };
  const token = valueFor(input(file, step, "apiToken"), env, ev);
  const accountId = valueFor(input(file, step, "accountId"), env, ev);
  const version = input(file, step, "wranglerVersion")?.raw;
  emit(out, hit, {
    source: "github-actions",
    stepLocation,
    label,
    ev,
    ...(token ? { token } : {}),
    ...(accountId ? { accountId } : {}),
    extra: { implicit: true, wranglerVersion: version ?? "2" },
  });
}
