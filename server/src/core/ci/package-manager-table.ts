// The data behind package-managers.ts: for npm, pnpm, yarn and bun, the options that come before the
// subcommand (and what each one sets), the subcommands that exec a binary, run a script or are the package
// manager's own, how script arguments are passed on, and how a run in several workspace packages is written.
import type { Recognized } from "./package-managers.js";

/** What a global option sets: the directory, a package selector, every package, the workspace root; "stop" hands
 * the rest of the line to the manager's `special` reader of that option. */
export type OptionEffect = "dir" | "select" | "all" | "root" | "stop";

/** The options read before the subcommand (and again where `run` re-reads them). */
export interface OptionState {
  dir?: string;
  selectors: string[];
  /** A selector or "all packages" option was given (npm `-w`, `--workspaces`). */
  workspace: boolean;
  /** The last selector given, "*" for "all packages" (pnpm `--filter`, `-r`). */
  filtered?: string;
  root: boolean;
}

export interface PackageManagerSpec {
  pm: string;
  /** Options written `-C dir` (effects "dir" and "select" take the next word) or alone. */
  options: Record<string, OptionEffect>;
  /** Options written `--dir=x`: the prefix up to and including `=`. */
  prefixed: Record<string, OptionEffect>;
  /** The option loop ends at `--` (npm, bun) or skips it like any option (pnpm, yarn). */
  stopAtDashDash: boolean;
  /** Subcommands that run a binary (`npm exec`, `pnpm dlx`), with the exec options that take a value. */
  exec: { subs: string[]; valued: string[] };
  /** Subcommands that run the script named next. */
  run: string[];
  /** Between `run` and the script name: read the global options again ("global"), or skip dashes ("skip"). */
  runOptions: "global" | "skip";
  /** npm reads its options after the script name too. */
  optionsAfterName: boolean;
  /** Lifecycle shortcuts (`npm test`, `pnpm t`) and the script each runs. */
  lifecycle: Record<string, string>;
  /** A lifecycle shortcut runs in the current package even with workspace options (npm). */
  lifecycleHere: boolean;
  /** Any other word that is not one of the manager's own commands names a script (`pnpm build`). */
  bareScripts: boolean;
  /** The manager's own commands, which never run a script. */
  builtins: Set<string>;
  /** Script arguments: only what follows `--` (npm), or everything with one leading `--` dropped. */
  scriptArgs: "after-dash-dash" | "strip-dash-dash";
  preAndPost: boolean;
  /** A name that is no script runs the package's bin (`pnpm wrangler deploy`). */
  binFallback: boolean;
  /** Where options select several packages (or the root): when they do, and the workspace run they make. */
  workspaces?: {
    selected(st: OptionState): boolean;
    run(st: OptionState, name: string, args: string[], explicitRun: boolean): Recognized;
  };
  /** Subcommands with their own grammar (`pnpm deploy`, `yarn workspace …`): the rest after the subcommand. */
  special?: Record<string, (rest: string[], st: OptionState, sub: string) => Recognized | undefined>;
  /** pnpm runs an exec in every selected package. */
  execMany?: (r: Recognized | undefined, st: OptionState) => Recognized | undefined;
  /** Reads the rest of the line from an option with effect "stop" (`bun --filter`). */
  stopped?: (rest: string[]) => Recognized;
}

export function splitDashDash(args: string[]): string[] {
  return args[0] === "--" ? args.slice(1) : args;
}

const npm: PackageManagerSpec = {
  pm: "npm",
  options: {
    "--prefix": "dir",
    "-C": "dir",
    "-w": "select",
    "--workspace": "select",
    "--workspaces": "all",
    "-ws": "all",
  },
  prefixed: { "--prefix=": "dir", "--workspace=": "select" },
  stopAtDashDash: true,
  exec: { subs: ["exec", "x"], valued: ["-p", "--package", "-c", "--call", "-w", "--workspace"] },
  run: ["run", "run-script", "rum", "urn"],
  runOptions: "global",
  optionsAfterName: true,
  lifecycle: { start: "start", test: "test", t: "test", stop: "stop", restart: "restart" },
  lifecycleHere: true,
  bareScripts: false,
  builtins: new Set(),
  scriptArgs: "after-dash-dash",
  preAndPost: true,
  binFallback: false,
  workspaces: {
    selected: (st) => st.workspace,
    run: (st, name, args) => ({
      kind: "monorepo",
      detail: `npm run ${name} (workspaces)`,
      run: {
        pm: "npm",
        selectors: st.selectors.map((x) => (x.includes("/") && !x.startsWith("@") ? `{${x}}` : x)),
        script: name,
        args,
      },
    }),
  },
};

const pnpm: PackageManagerSpec = {
  pm: "pnpm",
  options: {
    "-C": "dir",
    "--dir": "dir",
    "--filter": "select",
    "-F": "select",
    "--filter-prod": "select",
    "-r": "all",
    "--recursive": "all",
    "-w": "root",
    "--workspace-root": "root",
  },
  prefixed: { "--dir=": "dir", "--filter=": "select", "--filter-prod=": "select" },
  stopAtDashDash: false,
  exec: { subs: ["exec", "dlx", "x"], valued: ["--package", "-c"] },
  run: ["run", "run-script"],
  runOptions: "skip",
  optionsAfterName: false,
  lifecycle: { start: "start", test: "test", t: "test" },
  lifecycleHere: false,
  bareScripts: true,
  builtins: new Set([
    "install",
    "i",
    "add",
    "remove",
    "rm",
    "uninstall",
    "un",
    "update",
    "up",
    "upgrade",
    "link",
    "ln",
    "unlink",
    "import",
    "rebuild",
    "rb",
    "prune",
    "fetch",
    "store",
    "publish",
    "pack",
    "audit",
    "outdated",
    "list",
    "ls",
    "why",
    "env",
    "setup",
    "init",
    "config",
    "c",
    "patch",
    "patch-commit",
    "deploy",
    "create",
    "root",
    "bin",
    "licenses",
    "server",
    "doctor",
    "self-update",
    "dedupe",
    "approve-builds",
    "ignored-builds",
    "cat-file",
    "cat-index",
    "find-hash",
    "catalog",
  ]),
  scriptArgs: "strip-dash-dash",
  preAndPost: false,
  binFallback: true,
  workspaces: {
    selected: (st) => st.filtered !== undefined || st.root,
    run: (st, name, args, explicitRun) => ({
      kind: "monorepo",
      detail: `script "${name}" in packages matching ${st.filtered ?? "(root)"}`,
      run: { pm: "pnpm", selectors: st.selectors, script: name, args, root: st.root, binFallback: !explicitRun },
    }),
  },
  special: {
    deploy: (_rest, st) => ({
      kind: "monorepo",
      detail: "pnpm deploy",
      run: { pm: "pnpm", selectors: st.selectors, script: "deploy", args: [], builtinDeploy: true },
    }),
  },
  execMany: (r, st) =>
    r && r.kind === "wrangler" && st.filtered !== undefined
      ? {
          kind: "monorepo",
          detail: `wrangler in packages matching ${st.filtered}`,
          run: { pm: "pnpm", selectors: st.selectors, exec: ["wrangler", ...r.argv], args: [] },
        }
      : r,
};

const yarn: PackageManagerSpec = {
  pm: "yarn",
  options: { "--cwd": "dir" },
  prefixed: { "--cwd=": "dir" },
  stopAtDashDash: false,
  exec: { subs: ["dlx", "exec"], valued: ["-p", "--package"] },
  run: ["run"],
  runOptions: "skip",
  optionsAfterName: false,
  lifecycle: {},
  lifecycleHere: false,
  bareScripts: true,
  builtins: new Set([
    "install",
    "add",
    "remove",
    "upgrade",
    "up",
    "init",
    "info",
    "why",
    "config",
    "cache",
    "global",
    "link",
    "unlink",
    "pack",
    "publish",
    "set",
    "version",
    "bin",
    "npm",
    "plugin",
    "node",
    "workspaces",
    "constraints",
    "dedupe",
    "explain",
    "login",
    "logout",
    "owner",
    "tag",
    "team",
    "licenses",
    "import",
    "outdated",
    "audit",
    "autoclean",
    "check",
    "generate-lock-entry",
    "policies",
    "upgrade-interactive",
  ]),
  scriptArgs: "strip-dash-dash",
  preAndPost: true,
  binFallback: true,
  special: {
    workspace: (rest, _st, sub) => yarnWorkspaces(sub, rest),
    workspaces: (rest, _st, sub) => yarnWorkspaces(sub, rest),
  },
};

const bun: PackageManagerSpec = {
  pm: "bun",
  options: { "--cwd": "dir", "--filter": "stop", "-F": "stop" },
  prefixed: { "--cwd=": "dir" },
  stopAtDashDash: true,
  exec: { subs: ["x"], valued: ["-p", "--package"] },
  run: ["run"],
  runOptions: "global",
  optionsAfterName: false,
  lifecycle: {},
  lifecycleHere: false,
  bareScripts: true,
  builtins: new Set([
    "install",
    "i",
    "add",
    "a",
    "remove",
    "rm",
    "update",
    "build",
    "test",
    "init",
    "create",
    "pm",
    "link",
    "unlink",
    "upgrade",
    "outdated",
    "publish",
    "patch",
    "audit",
    "info",
    "repl",
  ]),
  scriptArgs: "strip-dash-dash",
  preAndPost: false,
  binFallback: true,
  stopped: bunFilter,
};

export const PACKAGE_MANAGERS: Record<string, PackageManagerSpec> = { npm, pnpm, yarn, bun };

/** `yarn workspace <name> <script>`, `yarn workspaces foreach [--include x] run <script>`, `yarn workspaces run <script>`. */
function yarnWorkspaces(sub: string, rest: string[]): Recognized {
  const detail = [sub, ...rest].join(" ");
  const selectors: string[] = [];
  let i = 0;
  if (sub === "workspace") {
    if (rest[0] !== undefined) selectors.push(rest[0]);
    i = 1;
  } else {
    if (rest[0] === "foreach") i = 1;
    while (i < rest.length && rest[i]!.startsWith("-")) {
      const a = rest[i]!;
      if (a === "--include" || a === "--from") selectors.push(rest[i + 1] ?? "*");
      else if (a === "--exclude") selectors.push(`!${rest[i + 1] ?? ""}`);
      i += ["--include", "--exclude", "--from", "-j", "--jobs", "--since"].includes(a) ? 2 : 1;
    }
  }
  let explicitRun = false;
  if (rest[i] === "run") {
    explicitRun = true;
    i++;
  }
  const script = rest[i];
  return {
    kind: "monorepo",
    detail,
    run: {
      pm: "yarn",
      selectors,
      ...(script ? { script } : {}),
      args: splitDashDash(rest.slice(i + 1)),
      binFallback: !explicitRun || sub === "workspace",
    },
  };
}

/** `bun --filter <pattern> [run] <script> [args]`. */
function bunFilter(args: string[]): Recognized {
  const selectors: string[] = [];
  let i = 0;
  while (args[i] === "--filter" || args[i] === "-F") {
    if (args[i + 1] !== undefined) selectors.push(args[i + 1]!);
    i += 2;
  }
  if (args[i] === "run") i++;
  const script = args[i];
  return {
    kind: "monorepo",
    detail: args.join(" "),
    run: { pm: "bun", selectors, ...(script ? { script } : {}), args: splitDashDash(args.slice(i + 1)) },
  };
}
