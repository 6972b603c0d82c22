// Scripts run across workspace packages: `turbo run deploy` (with turbo.json dependsOn), `nx run app:deploy`
// / `nx run-many -t deploy` (project.json run-commands / run-script targets, or the package script),
// `lerna run deploy`, and the package managers' own forms (`pnpm --filter api deploy:prod`, `pnpm -r exec`,
// `npm run deploy -w api`, `yarn workspace api deploy`, `bun --filter '*' deploy`), resolved to the packages
// of the repository. What cannot be resolved is reported.
import { join, relative, resolve } from "../path.js";
import { parseJsonc } from "../parse/jsonc.js";
import { arr, get, str, type ScalarNode } from "../parse/tree.js";
import type { Recognized, WorkspaceRun } from "./package-managers.js";
import { jsonStringMapper, readPackageJson } from "./package-json.js";
import { problem, type Invocation, type ShellSource } from "./shell-types.js";
import { dispatch, runScript, scanInto } from "./scripts.js";
import { findWorkspace, selectPackages, type Workspace, type WorkspacePackage } from "./workspaces.js";

const DEPLOYISH = /deploy|publish|release|wrangler|migrat/i;
const TURBO_VALUED = new Set([
  "--filter",
  "-F",
  "--concurrency",
  "--cache-dir",
  "--env-mode",
  "--output-logs",
  "--log-order",
  "--log-prefix",
  "--profile",
  "--token",
  "--team",
  "--api",
  "--ui",
  "--cache",
  "--cwd",
  "--graph",
  "--summarize",
]);

export function followMonorepo(inv: Invocation, found: Extract<Recognized, { kind: "monorepo" }>): void {
  if (found.tool === "turbo") return turbo(inv, found.toolArgs ?? []);
  if (found.tool === "nx") return nx(inv, found.toolArgs ?? []);
  if (found.tool === "lerna") return lerna(inv, found.toolArgs ?? []);
  if (found.run) return runInPackages(inv, found.run, found.detail);
  unresolved(inv, found.detail);
}

function unresolved(
  inv: Invocation,
  detail: string,
  why = "no workspace packages were found (pnpm-workspace.yaml, package.json workspaces, nx.json)",
): void {
  if (!DEPLOYISH.test(detail)) return;
  problem(
    inv,
    "ci-unresolved-runner",
    "info",
    `Not followed: \`${inv.cmd} ${inv.args.join(" ")}\` runs ${detail} across workspace packages, but ${why}; the wrangler commands it runs are not analysed.`,
  );
}

function workspaceOf(inv: Invocation): Workspace | undefined {
  return findWorkspace(inv.ctx, inv.state.cwd);
}

function hasScript(inv: Invocation, p: WorkspacePackage, name: string): boolean {
  return readPackageJson(inv.ctx.host, inv.ctx.cache, join(p.dir, "package.json"))?.scripts.has(name) ?? false;
}

function inDir(inv: Invocation, dir: string): Invocation {
  return {
    ...inv,
    state: { ...inv.state, cwd: dir, env: new Map(inv.state.env), vars: new Map(inv.state.vars), dirStack: [] },
  };
}

function runPackageScript(inv: Invocation, p: WorkspacePackage, name: string, args: string[], pm: string): void {
  runScript(inDir(inv, p.dir), {
    name,
    args,
    argLocs: args.map(() => inv.loc),
    pm,
    preAndPost: pm === "npm" || pm === "yarn",
    cwd: p.dir,
    binFallback: false,
  });
}

function note(inv: Invocation, notes: string[]): void {
  for (const n of notes)
    problem(inv, "ci-workspace-selection", "info", `${n}; the packages analysed may not be all that run.`);
}

/** The package managers' own workspace forms. */
function runInPackages(inv: Invocation, run: WorkspaceRun, detail: string): void {
  const ws = workspaceOf(inv);
  if (run.builtinDeploy) {
    const pkgs = ws ? selectPackages(ws, run.selectors).packages.filter((p) => hasScript(inv, p, "deploy")) : [];
    problem(
      inv,
      "ci-pnpm-deploy",
      "info",
      `\`pnpm deploy\` is pnpm's own command (it copies a workspace package into a directory); it does not run ${pkgs.length ? `the "deploy" script of ${pkgs.map((p) => p.name ?? relative(inv.ctx.root, p.dir)).join(", ")}` : "a deploy script"}. Use \`pnpm run deploy\` to run the script; nothing here is analysed.`,
    );
    return;
  }
  if (!ws) return unresolved(inv, detail);
  const picked = run.root ? { packages: [{ dir: ws.root }], notes: [] } : selectPackages(ws, run.selectors);
  note(inv, picked.notes);
  let ran = 0;
  for (const p of picked.packages) {
    if (run.exec) {
      dispatch({
        ...inDir(inv, p.dir),
        cmd: run.exec[0]!,
        args: run.exec.slice(1),
        argLocs: run.exec.slice(1).map(() => inv.loc),
        argWords: [],
      });
      ran++;
    } else if (run.script && hasScript(inv, p, run.script)) {
      runPackageScript(inv, p, run.script, run.args, run.pm);
      ran++;
    } else if (run.script && run.binFallback && run.selectors.length) {
      dispatch({
        ...inDir(inv, p.dir),
        cmd: run.script,
        args: run.args,
        argLocs: run.args.map(() => inv.loc),
        argWords: [],
      });
      ran++;
    }
  }
  if (!ran && run.script && DEPLOYISH.test(run.script)) {
    problem(
      inv,
      "ci-script-not-found",
      "info",
      `No selected workspace package defines a "${run.script}" script (${picked.packages.length} selected); nothing it would run is analysed.`,
    );
  }
}

/** The package manager a workspace uses (package.json packageManager, else its lockfile). */
function packageManagerOf(inv: Invocation, ws: Workspace): string {
  const text = inv.ctx.host.readFile(join(ws.root, "package.json"));
  const pm =
    text !== undefined
      ? /^(npm|pnpm|yarn|bun)@/.exec(str(get(parseJsonc(text).root, "packageManager")) ?? "")?.[1]
      : undefined;
  if (pm) return pm;
  const has = (f: string): boolean => inv.ctx.host.fileExists(join(ws.root, f));
  return has("pnpm-lock.yaml") || has("pnpm-workspace.yaml")
    ? "pnpm"
    : has("bun.lock") || has("bun.lockb")
      ? "bun"
      : has("yarn.lock")
        ? "yarn"
        : "npm";
}

function turbo(inv: Invocation, args: string[]): void {
  const tasks: string[] = [];
  const selectors: string[] = [];
  let pass: string[] = [];
  let affected = false;
  for (let i = args[0] === "run" ? 1 : 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      pass = args.slice(i + 1);
      break;
    }
    if (a === "--dry-run" || a === "--dry" || a.startsWith("--dry-run=")) return; // prints the plan, runs nothing
    if (a === "--affected") affected = true;
    if (a === "--filter" || a === "-F") selectors.push(args[++i] ?? "*");
    else if (a.startsWith("--filter=")) selectors.push(a.slice(9));
    else if (a.startsWith("-")) i += TURBO_VALUED.has(a) && !a.includes("=") ? 1 : 0;
    else tasks.push(a);
  }
  const ws = workspaceOf(inv);
  const pkgs = ws ? selectPackages(ws, selectors) : undefined;
  if (!ws || !pkgs) return unresolved(inv, `turbo task ${tasks.join(", ")}`);
  note(
    inv,
    affected
      ? [...pkgs.notes, "`--affected` runs only packages changed on this branch; every package is assumed"]
      : pkgs.notes,
  );
  const pm = packageManagerOf(inv, ws);
  const deps = turboDependsOn(inv, ws);
  let ran = 0;
  const visit = (p: WorkspacePackage, task: string, seen: Set<string>): void => {
    if (seen.has(task)) return;
    seen.add(task);
    for (const d of deps.get(task) ?? []) visit(p, d, seen);
    if (hasScript(inv, p, task)) {
      runPackageScript(inv, p, task, tasks.includes(task) ? pass : [], pm);
      ran++;
    }
  };
  for (const t of tasks) {
    const m = /^(.+)#(.+)$/.exec(t);
    const list = m ? (m[1] === "//" ? [{ dir: ws.root }] : selectPackages(ws, [m[1]!]).packages) : pkgs.packages;
    for (const p of list) visit(p, m ? m[2]! : t, new Set());
  }
  if (!ran && tasks.some((t) => DEPLOYISH.test(t))) {
    problem(
      inv,
      "ci-script-not-found",
      "info",
      `No workspace package defines a script for turbo task ${tasks.join(", ")}; nothing it would run is analysed.`,
    );
  }
}

/** turbo.json `tasks` (or the older `pipeline`): the same-package tasks each task depends on. */
function turboDependsOn(inv: Invocation, ws: Workspace): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const text =
    inv.ctx.host.readFile(join(ws.root, "turbo.json")) ?? inv.ctx.host.readFile(join(ws.root, "turbo.jsonc"));
  if (text === undefined) return out;
  const root = parseJsonc(text).root;
  const tasks = get(root, "tasks") ?? get(root, "pipeline");
  if (tasks?.kind !== "object") return out;
  for (const e of tasks.entries) {
    const deps = arr(get(e.value, "dependsOn")).flatMap((d) =>
      d.kind === "string" && !(d.value as string).startsWith("^") && !(d.value as string).includes("#")
        ? [d.value as string]
        : [],
    );
    out.set(e.key, deps);
  }
  return out;
}

function lerna(inv: Invocation, args: string[]): void {
  if (args[0] !== "run" && args[0] !== "exec") return;
  const selectors: string[] = [];
  const words: string[] = [];
  let pass: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      pass = args.slice(i + 1);
      break;
    }
    if (a === "--scope") selectors.push(args[++i] ?? "*");
    else if (a === "--ignore") selectors.push(`!${args[++i] ?? ""}`);
    else if (a.startsWith("--scope=")) selectors.push(a.slice(8));
    else if (!a.startsWith("-")) words.push(a);
  }
  const run: WorkspaceRun =
    args[0] === "run"
      ? { pm: "npm", selectors, script: words[0], args: pass }
      : { pm: "npm", selectors, exec: pass.length ? pass : words, args: [] };
  if (run.exec && !run.exec.length) return;
  runInPackages(inv, run, `lerna ${args.join(" ")}`);
}

function nx(inv: Invocation, args: string[]): void {
  const ws = workspaceOf(inv);
  const words: string[] = [];
  const targets: string[] = [];
  const projects: string[] = [];
  let pass: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      pass = args.slice(i + 1);
      break;
    }
    const kv = /^--(target|targets|projects|project)=(.*)$/.exec(a);
    if (kv) (kv[1]!.startsWith("target") ? targets : projects).push(...kv[2]!.split(","));
    else if (a === "-t" || a === "--target" || a === "--targets") targets.push(...(args[++i] ?? "").split(","));
    else if (a === "-p" || a === "--projects" || a === "--project") projects.push(...(args[++i] ?? "").split(","));
    else if (
      a === "-c" ||
      a === "--configuration" ||
      a === "--exclude" ||
      (a === "--parallel" && /^\d+$/.test(args[i + 1] ?? ""))
    )
      i++;
    else if (!a.startsWith("-")) words.push(a);
  }
  if (!ws) return unresolved(inv, `nx ${args.join(" ")}`);
  const [sub, ...rest] = words;
  const want: { project?: string; target: string }[] = [];
  if (sub === "run" && rest[0]) {
    const [project, target] = rest[0].split(":");
    if (project && target) want.push({ project, target });
  } else if (sub === "run-many" || sub === "affected") {
    if (sub === "affected")
      note(inv, ["`nx affected` runs only projects changed on this branch; every project is assumed"]);
    for (const t of targets)
      for (const p of projects.length ? projects : [undefined]) want.push({ ...(p ? { project: p } : {}), target: t });
  } else if (sub && rest[0]) want.push({ project: rest[0], target: sub });
  else if (sub?.includes(":")) want.push({ project: sub.split(":")[0]!, target: sub.split(":")[1]! });
  for (const w of want) {
    const list = w.project ? selectPackages(ws, [w.project]).packages : ws.packages;
    if (!list.length)
      problem(
        inv,
        "ci-script-not-found",
        "info",
        `No nx project \`${w.project}\` was found; \`${w.target}\` is not analysed.`,
      );
    for (const p of list) nxTarget(inv, ws, p, w.target, pass, new Set());
  }
}

/** One nx target of a project: project.json `nx:run-commands` / `nx:run-script`, else the package script. */
function nxTarget(
  inv: Invocation,
  ws: Workspace,
  p: WorkspacePackage,
  target: string,
  pass: string[],
  seen: Set<string>,
): void {
  if (seen.has(target)) return;
  seen.add(target);
  const text = p.projectJson ? inv.ctx.host.readFile(p.projectJson) : undefined;
  const t = text !== undefined ? get(get(parseJsonc(text).root, "targets"), target) : undefined;
  for (const d of arr(get(t, "dependsOn")))
    if (d.kind === "string" && !(d.value as string).startsWith("^")) nxTarget(inv, ws, p, d.value as string, [], seen);
  if (!t) {
    if (hasScript(inv, p, target)) runPackageScript(inv, p, target, pass, packageManagerOf(inv, ws));
    else if (DEPLOYISH.test(target) && p.projectJson)
      problem(
        inv,
        "ci-script-not-found",
        "info",
        `nx project ${p.name ?? relative(inv.ctx.root, p.dir)} has no \`${target}\` target; it is not analysed.`,
      );
    return;
  }
  const executor = str(get(t, "executor")) ?? (get(t, "command") ? "nx:run-commands" : undefined);
  const options = get(t, "options");
  if (executor === "nx:run-script") {
    const script = str(get(options, "script"));
    if (script) runPackageScript(inv, p, script, pass, packageManagerOf(inv, ws));
    return;
  }
  if (executor !== "nx:run-commands") {
    problem(
      inv,
      "ci-unresolved-runner",
      "info",
      `Not followed: nx target \`${target}\` of ${p.name ?? relative(inv.ctx.root, p.dir)} uses the executor ${executor ?? "(none)"}; what it runs is not analysed.`,
    );
    return;
  }
  const cwd = str(get(options, "cwd"));
  const commands = [
    get(t, "command"),
    get(options, "command"),
    ...arr(get(options, "commands")).map((c) => (c.kind === "object" ? get(c, "command") : c)),
  ].filter((c): c is ScalarNode => c?.kind === "string");
  for (const c of commands) {
    const src: ShellSource = { file: p.projectJson!, text: c.value as string, spanOf: jsonStringMapper(text!, c) };
    const ctx = { ...inv.ctx, via: [...(inv.ctx.via ?? []), inv.loc], depth: (inv.ctx.depth ?? 0) + 1 };
    const env = new Map(inv.state.env);
    scanInto(
      src,
      ctx,
      {},
      { cwd: cwd ? resolve(ws.root, cwd) : ws.root, dirStack: [], env, vars: new Map(env) },
      inv.hits,
    );
  }
}
