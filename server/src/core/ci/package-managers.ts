// How npx, npm, pnpm, yarn, bun and bunx hand over to wrangler or to a package.json script: each package
// manager's own subcommands (which never run a script) and the options that take a value.

export type Recognized =
  | { kind: "wrangler"; argv: string[]; pm?: string; version?: string }
  | { kind: "script"; name: string; args: string[]; pm: string; dir?: string; preAndPost: boolean; binFallback: boolean }
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

const PNPM_BUILTINS = new Set(["install", "i", "add", "remove", "rm", "uninstall", "un", "update", "up", "upgrade", "link", "ln", "unlink", "import", "rebuild", "rb", "prune", "fetch", "store", "publish", "pack", "audit", "outdated", "list", "ls", "why", "env", "setup", "init", "config", "c", "patch", "patch-commit", "deploy", "create", "root", "bin", "licenses", "server", "doctor", "self-update", "dedupe", "approve-builds", "ignored-builds", "cat-file", "cat-index", "find-hash", "catalog"]);
const YARN_BUILTINS = new Set(["install", "add", "remove", "upgrade", "up", "init", "info", "why", "config", "cache", "global", "link", "unlink", "pack", "publish", "set", "version", "bin", "npm", "plugin", "node", "workspaces", "constraints", "dedupe", "explain", "login", "logout", "owner", "tag", "team", "licenses", "import", "outdated", "audit", "autoclean", "check", "generate-lock-entry", "policies", "upgrade-interactive"]);
const BUN_BUILTINS = new Set(["install", "i", "add", "a", "remove", "rm", "update", "build", "test", "init", "create", "pm", "link", "unlink", "upgrade", "outdated", "publish", "patch", "audit", "info", "repl"]);

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
      return recognizeNpm(args);
    case "pnpm":
      return recognizePnpm(args);
    case "yarn":
      return recognizeYarn(args);
    case "bun":
      return recognizeBun(args);
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
  if (tool) return { kind: "monorepo", detail: args.slice(i).join(" "), tool: tool as "turbo" | "nx" | "lerna", toolArgs: args.slice(i + 1) };
  return undefined;
}

function splitDashDash(args: string[]): string[] {
  return args[0] === "--" ? args.slice(1) : args;
}

function recognizeNpm(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let workspace = false;
  const selectors: string[] = [];
  let i = 0;
  const opts = (): void => {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") {
      const a = args[i]!;
      if (a === "--prefix" || a === "-C") {
        dir = args[i + 1];
        i += 2;
      } else if (a.startsWith("--prefix=")) {
        dir = a.slice(9);
        i++;
      } else if (a === "-w" || a === "--workspace") {
        workspace = true;
        if (args[i + 1] !== undefined) selectors.push(args[i + 1]!);
        i += 2;
      } else if (a.startsWith("--workspace=")) {
        workspace = true;
        selectors.push(a.slice(12));
        i++;
      } else if (a === "--workspaces" || a === "-ws") {
        workspace = true;
        i++;
      } else i++;
    }
  };
  opts();
  const sub = args[i++];
  if (sub === "exec" || sub === "x") {
    const r = afterOptions(args.slice(i), new Set(["-p", "--package", "-c", "--call", "-w", "--workspace"]), "npm");
    return r;
  }
  if (sub === "run" || sub === "run-script" || sub === "rum" || sub === "urn") {
    opts();
    const name = args[i++];
    if (!name) return undefined;
    opts();
    const restArgs = args.slice(i);
    const dd = restArgs.indexOf("--");
    // npm passes only what follows `--` to the script; its own options before that are dropped.
    const extra = dd >= 0 ? restArgs.slice(dd + 1) : [];
    if (workspace) {
      return { kind: "monorepo", detail: `npm run ${name} (workspaces)`, run: { pm: "npm", selectors: selectors.map((x) => (x.includes("/") && !x.startsWith("@") ? `{${x}}` : x)), script: name, args: extra } };
    }
    return { kind: "script", name, args: extra, pm: "npm", dir, preAndPost: true, binFallback: false };
  }
  if (sub === "start" || sub === "test" || sub === "t" || sub === "stop" || sub === "restart") {
    const restArgs = args.slice(i);
    const dd = restArgs.indexOf("--");
    const name = sub === "t" ? "test" : sub;
    return { kind: "script", name, args: dd >= 0 ? restArgs.slice(dd + 1) : [], pm: "npm", dir, preAndPost: true, binFallback: false };
  }
  return undefined;
}

function recognizePnpm(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let filtered: string | undefined;
  const selectors: string[] = [];
  let root = false;
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    const a = args[i]!;
    if (a === "-C" || a === "--dir") {
      dir = args[i + 1];
      i += 2;
    } else if (a.startsWith("--dir=")) {
      dir = a.slice(6);
      i++;
    } else if (a === "--filter" || a === "-F" || a === "--filter-prod") {
      filtered = args[i + 1];
      if (filtered !== undefined) selectors.push(filtered);
      i += 2;
    } else if (a.startsWith("--filter=") || a.startsWith("--filter-prod=")) {
      filtered = a.slice(a.indexOf("=") + 1);
      selectors.push(filtered);
      i++;
    } else if (a === "-r" || a === "--recursive") {
      filtered ??= "*";
      i++;
    } else if (a === "-w" || a === "--workspace-root") {
      root = true;
      i++;
    } else i++;
  }
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "exec" || sub === "dlx" || sub === "x") {
    const r = afterOptions(args.slice(i), new Set(["--package", "-c"]), "pnpm");
    if (r && r.kind === "wrangler" && filtered !== undefined) return { kind: "monorepo", detail: `wrangler in packages matching ${filtered}`, run: { pm: "pnpm", selectors, exec: ["wrangler", ...r.argv], args: [] } };
    return r;
  }
  if (sub === "deploy") return { kind: "monorepo", detail: "pnpm deploy", run: { pm: "pnpm", selectors, script: "deploy", args: [], builtinDeploy: true } };
  let name = sub;
  let explicitRun = false;
  if (sub === "run" || sub === "run-script") {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") i++;
    name = args[i++] ?? "";
    explicitRun = true;
    if (!name) return undefined;
  } else if (sub === "start" || sub === "test" || sub === "t") {
    name = sub === "t" ? "test" : sub;
  } else if (PNPM_BUILTINS.has(sub)) return undefined;
  if (filtered !== undefined || root) {
    return { kind: "monorepo", detail: `script "${name}" in packages matching ${filtered ?? "(root)"}`, run: { pm: "pnpm", selectors, script: name, args: splitDashDash(args.slice(i)), root, binFallback: !explicitRun } };
  }
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "pnpm", dir, preAndPost: false, binFallback: true };
}

function recognizeYarn(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    const a = args[i]!;
    if (a === "--cwd") {
      dir = args[i + 1];
      i += 2;
    } else if (a.startsWith("--cwd=")) {
      dir = a.slice(6);
      i++;
    } else i++;
  }
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "dlx" || sub === "exec") {
    return afterOptions(args.slice(i), new Set(["-p", "--package"]), "yarn");
  }
  if (sub === "workspace" || sub === "workspaces") return yarnWorkspaces(sub, args.slice(i), args.slice(i - 1).join(" "));
  let name = sub;
  if (sub === "run") {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") i++;
    name = args[i++] ?? "";
    if (!name) return undefined;
  } else if (YARN_BUILTINS.has(sub)) return undefined;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "yarn", dir, preAndPost: true, binFallback: true };
}

/** `yarn workspace <name> <script>`, `yarn workspaces foreach [--include x] run <script>`, `yarn workspaces run <script>`. */
function yarnWorkspaces(sub: string, rest: string[], detail: string): Recognized {
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
  return { kind: "monorepo", detail, run: { pm: "yarn", selectors, ...(script ? { script } : {}), args: splitDashDash(rest.slice(i + 1)), binFallback: !explicitRun || sub === "workspace" } };
}

function recognizeBun(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let i = 0;
  const opts = (): void => {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") {
      const a = args[i]!;
      if (a === "--cwd") {
        dir = args[i + 1];
        i += 2;
      } else if (a.startsWith("--cwd=")) {
        dir = a.slice(6);
        i++;
      } else if (a === "--filter" || a === "-F") {
        return;
      } else i++;
    }
  };
  opts();
  if (args[i] === "--filter" || args[i] === "-F") return bunFilter(args.slice(i));
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "x") return afterOptions(args.slice(i), new Set(["-p", "--package"]), "bun");
  let name = sub;
  if (sub === "run") {
    opts();
    if (args[i] === "--filter" || args[i] === "-F") return bunFilter(args.slice(i));
    name = args[i++] ?? "";
    if (!name) return undefined;
  } else if (BUN_BUILTINS.has(sub)) return undefined;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "bun", dir, preAndPost: false, binFallback: true };
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
  return { kind: "monorepo", detail: args.join(" "), run: { pm: "bun", selectors, ...(script ? { script } : {}), args: splitDashDash(args.slice(i + 1)) } };
}
