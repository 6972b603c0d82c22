// How npx, npm, pnpm, yarn, bun and bunx hand over to wrangler or to a package.json script: each package
// manager's own subcommands (which never run a script) and the options that take a value.

export type Recognized =
  | { kind: "wrangler"; argv: string[]; pm?: string; version?: string }
  | { kind: "script"; name: string; args: string[]; pm: string; dir?: string; preAndPost: boolean; binFallback: boolean }
  | { kind: "monorepo"; detail: string };

export function isWranglerWord(w: string | undefined): { version?: string } | undefined {
  if (!w) return undefined;
  const m = /^(?:wrangler|@cloudflare\/wrangler)(?:@(.+))?$/.exec(w);
  if (m) return { version: m[1] };
  if (/(^|\/)node_modules\/\.bin\/wrangler$/.test(w) || /(^|\/)wrangler\/bin\/wrangler\.js$/.test(w)) return {};
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
      return { kind: "monorepo", detail: `${cmd} ${args.join(" ")}` };
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
  if (head && /^(turbo|nx|lerna)(@|$)/.test(head)) return { kind: "monorepo", detail: args.slice(i).join(" ") };
  return undefined;
}

function splitDashDash(args: string[]): string[] {
  return args[0] === "--" ? args.slice(1) : args;
}

function recognizeNpm(args: string[]): Recognized | undefined {
  let dir: string | undefined;
  let workspace = false;
  let i = 0;
  const opts = (): void => {
    while (i < args.length && args[i]!.startsWith("-")) {
      const a = args[i]!;
      if (a === "--prefix" || a === "-C") {
        dir = args[i + 1];
        i += 2;
      } else if (a.startsWith("--prefix=")) {
        dir = a.slice(9);
        i++;
      } else if (a === "-w" || a === "--workspace") {
        workspace = true;
        i += 2;
      } else if (a.startsWith("--workspace") || a === "-ws") {
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
    const restArgs = args.slice(i);
    const dd = restArgs.indexOf("--");
    // npm passes only what follows `--` to the script; its own options before that are dropped.
    const extra = dd >= 0 ? restArgs.slice(dd + 1) : [];
    if (workspace || restArgs.slice(0, dd >= 0 ? dd : restArgs.length).some((a) => a.startsWith("--workspace") || a === "-w" || a === "-ws")) {
      return { kind: "monorepo", detail: `npm run ${name} (workspaces)` };
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
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    const a = args[i]!;
    if (a === "-C" || a === "--dir") {
      dir = args[i + 1];
      i += 2;
    } else if (a.startsWith("--dir=")) {
      dir = a.slice(6);
      i++;
    } else if (a === "--filter" || a === "-F") {
      filtered = args[i + 1];
      i += 2;
    } else if (a.startsWith("--filter=")) {
      filtered = a.slice(9);
      i++;
    } else if (a === "-r" || a === "--recursive") {
      filtered = "*";
      i++;
    } else i++;
  }
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "exec" || sub === "dlx" || sub === "x") {
    const r = afterOptions(args.slice(i), new Set(["--package", "-c"]), "pnpm");
    if (r && r.kind === "wrangler" && filtered !== undefined) return { kind: "monorepo", detail: `wrangler in packages matching ${filtered}` };
    return r;
  }
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
  if (filtered !== undefined) return { kind: "monorepo", detail: `script "${name}" in packages matching ${filtered}` };
  void explicitRun;
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
  if (sub === "workspace" || sub === "workspaces") return { kind: "monorepo", detail: args.slice(i - 1).join(" ") };
  let name = sub;
  if (sub === "run") {
    while (i < args.length && args[i]!.startsWith("-") && args[i] !== "--") i++;
    name = args[i++] ?? "";
    if (!name) return undefined;
  } else if (YARN_BUILTINS.has(sub)) return undefined;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "yarn", dir, preAndPost: true, binFallback: true };
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
  if (args[i] === "--filter" || args[i] === "-F") return { kind: "monorepo", detail: args.join(" ") };
  const sub = args[i++];
  if (!sub) return undefined;
  if (sub === "x") return afterOptions(args.slice(i), new Set(["-p", "--package"]), "bun");
  let name = sub;
  if (sub === "run") {
    opts();
    if (args[i] === "--filter" || args[i] === "-F") return { kind: "monorepo", detail: args.join(" ") };
    name = args[i++] ?? "";
    if (!name) return undefined;
  } else if (BUN_BUILTINS.has(sub)) return undefined;
  return { kind: "script", name, args: splitDashDash(args.slice(i)), pm: "bun", dir, preAndPost: false, binFallback: true };
}

