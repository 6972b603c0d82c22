// How npx, npm, pnpm, yarn, bun and bunx hand over to wrangler or to a package.json script: each package
// manager's own subcommands (which never run a script) and the options that take a value.

import {
  PACKAGE_MANAGERS,
  splitDashDash,
  type OptionEffect,
  type OptionState,
  type PackageManagerSpec,
} from "./package-manager-table.js";

export type Recognized =
  | { kind: "wrangler"; argv: string[]; pm?: string; version?: string }
  | {
      kind: "script";
      name: string;
      args: string[];
      pm: string;
      dir?: string;
      preAndPost: boolean;
      binFallback: boolean;
    }
  | { kind: "monorepo"; detail: string; tool?: "turbo" | "nx" | "lerna"; toolArgs?: string[]; run?: WorkspaceRun };

/** A script (or command) run in several workspace packages by a package manager. */
export interface WorkspaceRun {
  pm: string;
  /** Package selectors (`--filter`, `-w`, `workspace <name>`); empty: every package. */
  selectors: string[];
  script?: string;
  /** Run instead of a script (`pnpm -r exec wrangler deploy`). */
  exec?: string[];
  args: string[];
  /** The workspace root package (`pnpm -w`). */
  root?: boolean;
  /** `pnpm deploy`: pnpm's own command, not the package's deploy script. */
  builtinDeploy?: boolean;
  /** A name that is not a script runs the package's bin (`yarn workspace api wrangler deploy`). */
  binFallback?: boolean;
}

export function isWranglerWord(w: string | undefined): { version?: string } | undefined {
  if (!w) return undefined;
  const m = /^(?:wrangler|@cloudflare\/wrangler)(?:@(.+))?$/.exec(w);
  if (m) return { version: m[1] };
  if (/(^|\/)node_modules\/\.bin\/wrangler$/.test(w) || /(^|\/)wrangler\/bin\/wrangler\.js$/.test(w)) return {};
  if (/^\$\((?:npm|pnpm|yarn)\s+bin(?:\s+-g)?\)\/wrangler$/.test(w)) return {};
  return undefined;
}

export function recognize(cmd: string, args: string[]): Recognized | undefined {
  const w = isWranglerWord(cmd);
  if (w && cmd !== "@cloudflare/wrangler") return { kind: "wrangler", argv: args, version: w.version };
  switch (cmd) {
    case "npx":
      return afterOptions(args, new Set(["-p", "--package", "-c", "--call"]), "npm");
    case "bunx": {
      const a = args.filter((x) => x !== "--bun");
      return afterOptions(a, new Set(["-p", "--package"]), "bun");
    }
    case "npm":
    case "pnpm":
    case "yarn":
    case "bun":
      return recognizeWith(PACKAGE_MANAGERS[cmd]!, args);
    case "turbo":
    case "nx":
    case "lerna":
      return { kind: "monorepo", detail: `${cmd} ${args.join(" ")}`, tool: cmd, toolArgs: args };
    default:
      return undefined;
  }
}

/** `npx -y wrangler@3 deploy`: skips options, then expects wrangler. */
function afterOptions(args: string[], valued: Set<string>, pm: string): Recognized | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    if (args[i] === "--") {
      i++;
      break;
    }
    if (valued.has(args[i]!)) i++;
    i++;
  }
  const w = isWranglerWord(args[i]);
  if (w) return { kind: "wrangler", argv: args.slice(i + 1), pm, version: w.version };
  const head = args[i];
  const tool = head && /^(turbo|nx|lerna)(?:@|$)/.exec(head)?.[1];
  if (tool)
    return {
      kind: "monorepo",
      detail: args.slice(i).join(" "),
      tool: tool as "turbo" | "nx" | "lerna",
      toolArgs: args.slice(i + 1),
    };
  return undefined;
}

/** A table entry by name, never one inherited from Object (`yarn constructor` names a script). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const VALUED: ReadonlySet<OptionEffect> = new Set(["dir", "select"]);

/** Reads global options from args[i]; returns where they end, and whether an option with effect "stop" ended them. */
function readOptions(
  spec: PackageManagerSpec,
  args: string[],
  i: number,
  st: OptionState,
): { i: number; stopped: boolean } {
  while (i < args.length && args[i]!.startsWith("-") && !(spec.stopAtDashDash && args[i] === "--")) {
    const a = args[i]!;
    const exact = own(spec.options, a);
    const prefix = exact ? undefined : Object.keys(spec.prefixed).find((p) => a.startsWith(p));
    const effect = exact ?? (prefix ? own(spec.prefixed, prefix) : undefined);
    if (effect === "stop") return { i, stopped: true };
    if (effect) setOption(st, effect, exact ? args[i + 1] : a.slice(prefix!.length));
    i += exact && VALUED.has(exact) ? 2 : 1;
  }
  return { i, stopped: false };
}

function setOption(st: OptionState, effect: OptionEffect, value: string | undefined): void {
  if (effect === "dir") st.dir = value;
  else if (effect === "select") {
    st.workspace = true;
    st.filtered = value;
    if (value !== undefined) st.selectors.push(value);
  } else if (effect === "all") {
    st.workspace = true;
    st.filtered ??= "*";
  } else if (effect === "root") st.root = true;
}

/** npm, pnpm, yarn or bun, read from its row of the table (package-manager-table.ts). */
function recognizeWith(spec: PackageManagerSpec, args: string[]): Recognized | undefined {
  const st: OptionState = { selectors: [], workspace: false, root: false };
  let r = readOptions(spec, args, 0, st);
  if (r.stopped) return spec.stopped!(args.slice(r.i));
  let i = r.i;
  const sub = args[i++];
  if (!sub) return undefined;
  if (spec.exec.subs.includes(sub)) {
    const found = afterOptions(args.slice(i), new Set(spec.exec.valued), spec.pm);
    return spec.execMany ? spec.execMany(found, st) : found;
  }
  const special = spec.special && own(spec.special, sub);
  if (special) return special(args.slice(i), st, sub);
  let name = sub;
  let explicitRun = false;
  if (spec.run.includes(sub)) {
    explicitRun = true;
    if (spec.runOptions === "global") {
      r = readOptions(spec, args, i, st);
      if (r.stopped) return spec.stopped!(args.slice(r.i));
      i = r.i;
    } else while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") i++;
    name = args[i++] ?? "";
    if (!name) return undefined;
    if (spec.optionsAfterName) i = readOptions(spec, args, i, st).i;
  } else if (own(spec.lifecycle, sub) !== undefined) {
    name = own(spec.lifecycle, sub)!;
  } else if (!spec.bareScripts || spec.builtins.has(sub)) return undefined;
  const rest = args.slice(i);
  const dd = rest.indexOf("--");
  // npm passes only what follows `--` to the script; its own options before that are dropped.
  const scriptArgs = spec.scriptArgs === "after-dash-dash" ? (dd >= 0 ? rest.slice(dd + 1) : []) : splitDashDash(rest);
  const here = !explicitRun && spec.lifecycleHere;
  if (spec.workspaces && !here && spec.workspaces.selected(st))
    return spec.workspaces.run(st, name, scriptArgs, explicitRun);
  return {
    kind: "script",
    name,
    args: scriptArgs,
    pm: spec.pm,
    dir: st.dir,
    preAndPost: spec.preAndPost,
    binFallback: spec.binFallback,
  };
}
