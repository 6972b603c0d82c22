// The packages of a JavaScript monorepo (pnpm-workspace.yaml `packages:`, package.json `workspaces`, nx
// project.json files), the bins they provide, and the package selectors of pnpm/turbo/bun/npm/yarn/lerna
// (`--filter api`, `@scope/*`, `./apps/*`, `{apps/web}`, `...api`, `!docs`).
import type { Host } from "../host.js";
import { basename, dirname, join, relative } from "../path.js";
import { parseJsonc } from "../parse/jsonc.js";
import { parseYaml } from "../parse/yaml.js";
import { arr, get, str, type Node } from "../parse/tree.js";
import type { ShellContext } from "./shell-types.js";

export interface WorkspacePackage {
  dir: string;
  name?: string;
  /** The nx project.json, when there is one. */
  projectJson?: string;
}

export interface Workspace {
  root: string;
  packages: WorkspacePackage[];
  /** Bin name → file, for bins that workspace packages provide (package.json `bin`, `directories.bin`). */
  bins: Map<string, string>;
}

type Ctx = Pick<ShellContext, "host" | "root" | "cache">;

/** The workspace that holds `dir`: the nearest directory up to the repository root that declares packages. */
export function findWorkspace(ctx: Ctx, dir: string): Workspace | undefined {
  // Remembered per scan (the scan's own cache): the scan as a whole is kept in the workspace database.
  const memo = (ctx.cache.workspaces ??= new Map<string, Workspace | null>());
  let d = dir;
  for (let n = 0; n < 32; n++) {
    if (!memo.has(d)) memo.set(d, readWorkspace(ctx.host, d) ?? null);
    const w = memo.get(d);
    if (w) return w;
    if (d === ctx.root || d === "/") break;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

function readWorkspace(host: Host, dir: string): Workspace | undefined {
  const globs: string[] = [];
  const pnpm = host.readFile(join(dir, "pnpm-workspace.yaml"));
  if (pnpm !== undefined) globs.push(...strings(get(parseYaml(pnpm).root, "packages")));
  const pkgText = host.readFile(join(dir, "package.json"));
  if (pkgText !== undefined) {
    const ws = get(parseJsonc(pkgText).root, "workspaces");
    globs.push(...strings(ws), ...strings(get(ws, "packages")));
  }
  const nx = host.fileExists(join(dir, "nx.json"));
  if (!globs.length && !nx && pnpm === undefined) return undefined;
  const dirs = new Set<string>();
  for (const g of globs.filter((x) => !x.startsWith("!"))) for (const d of expandGlob(host, dir, g)) dirs.add(d);
  for (const g of globs.filter((x) => x.startsWith("!")))
    for (const d of expandGlob(host, dir, g.slice(1))) dirs.delete(d);
  if (nx) for (const d of projectJsonDirs(host, dir)) dirs.add(d);
  const packages: WorkspacePackage[] = [];
  const bins = new Map<string, string>();
  for (const d of [...dirs].sort()) {
    const p = readPackage(host, d, bins);
    if (p) packages.push(p);
  }
  readPackage(host, dir, bins);
  return { root: dir, packages, bins };
}

function strings(n: Node | undefined): string[] {
  return arr(n).flatMap((x) => (x.kind === "string" ? [x.value as string] : []));
}

function readPackage(host: Host, dir: string, bins: Map<string, string>): WorkspacePackage | undefined {
  const text = host.readFile(join(dir, "package.json"));
  const project = host.readFile(join(dir, "project.json"));
  if (text === undefined && project === undefined) return undefined;
  const doc = text !== undefined ? parseJsonc(text).root : undefined;
  const name = str(get(project !== undefined ? parseJsonc(project).root : undefined, "name")) ?? str(get(doc, "name"));
  const bin = get(doc, "bin");
  if (bin?.kind === "string" && name) bins.set(name.replace(/^@[^/]+\//, ""), join(dir, bin.value as string));
  if (bin?.kind === "object")
    for (const e of bin.entries) if (e.value.kind === "string") bins.set(e.key, join(dir, e.value.value as string));
  const binDir = str(get(get(doc, "directories"), "bin"));
  if (binDir)
    for (const e of host.readDirectory(join(dir, binDir)))
      if (!e.isDirectory) bins.set(e.name, join(dir, binDir, e.name));
  return {
    dir,
    ...(name ? { name } : {}),
    ...(project !== undefined ? { projectJson: join(dir, "project.json") } : {}),
  };
}

const SKIP = new Set(["node_modules", ".git", "dist", "build", ".turbo", ".nx", ".wrangler"]);

/** Directories matching a workspace glob (`apps/*`, `packages/**`, `tools/cli`). */
export function expandGlob(host: Host, root: string, glob: string): string[] {
  const parts = glob.replace(/^\.\//, "").replace(/\/$/, "").split("/").filter(Boolean);
  const out: string[] = [];
  const walk = (dir: string, i: number, budget: { n: number }): void => {
    if (budget.n-- <= 0) return;
    if (i === parts.length) {
      out.push(dir);
      return;
    }
    const part = parts[i]!;
    if (part === "**") {
      walk(dir, i + 1, budget);
      for (const e of host.readDirectory(dir))
        if (e.isDirectory && !SKIP.has(e.name) && !e.name.startsWith(".")) walk(join(dir, e.name), i, budget);
      return;
    }
    if (!/[*?[{]/.test(part)) {
      walk(join(dir, part), i + 1, budget);
      return;
    }
    const re = globPart(part);
    for (const e of host.readDirectory(dir))
      if (e.isDirectory && !SKIP.has(e.name) && re.test(e.name)) walk(join(dir, e.name), i + 1, budget);
  };
  walk(root, 0, { n: 5000 });
  return out;
}

function globPart(p: string): RegExp {
  const body = p
    .replace(/[.+^$()|\\]/g, "\\$&")
    .replace(/\{([^}]*)\}/g, (_m, alts: string) => `(?:${alts.split(",").join("|")})`)
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`);
}

function projectJsonDirs(host: Host, root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 4) return;
    for (const e of host.readDirectory(dir)) {
      if (e.isDirectory && !SKIP.has(e.name) && !e.name.startsWith(".")) walk(join(dir, e.name), depth + 1);
      else if (!e.isDirectory && e.name === "project.json" && dir !== root) out.push(dir);
    }
  };
  walk(root, 0);
  return out;
}

export interface Selection {
  packages: WorkspacePackage[];
  /** What the selection left out or approximated (`...api` dependents, `[origin/main]` changes). */
  notes: string[];
}

/** The packages a list of selectors picks (none: every package). */
export function selectPackages(ws: Workspace, selectors: string[]): Selection {
  const notes: string[] = [];
  if (!selectors.length) return { packages: ws.packages, notes };
  const include = selectors.filter((s) => !s.startsWith("!"));
  const exclude = selectors.filter((s) => s.startsWith("!")).map((s) => s.slice(1));
  const pick = (sel: string): WorkspacePackage[] => {
    let s = sel;
    if (/^\.\.\.|\.\.\.$|\^\.\.\./.test(s)) {
      notes.push(`\`${sel}\` also selects dependents or dependencies, which are not followed`);
      s = s.replace(/^\.\.\.\^?|\^?\.\.\.$/g, "");
    }
    const changed = /\[([^\]]*)\]/.exec(s);
    if (changed) {
      notes.push(`\`${sel}\` selects packages changed since ${changed[1]}; every package is assumed`);
      s = s.replace(/\[[^\]]*\]/, "");
      if (!s) return ws.packages;
    }
    const dirSel = /^\{(.*)\}$/.exec(s)?.[1] ?? (s.startsWith(".") || s.startsWith("/") ? s : undefined);
    if (dirSel !== undefined) {
      const re = pathPattern(dirSel.replace(/^\.\//, ""));
      return ws.packages.filter((p) => re.test(relative(ws.root, p.dir)));
    }
    const re = namePattern(s);
    return ws.packages.filter((p) => (p.name !== undefined && re.test(p.name)) || re.test(basename(p.dir)));
  };
  const chosen = new Set<WorkspacePackage>();
  for (const s of include.length ? include : ["*"]) for (const p of pick(s)) chosen.add(p);
  for (const s of exclude) for (const p of pick(s)) chosen.delete(p);
  return { packages: ws.packages.filter((p) => chosen.has(p)), notes };
}

function namePattern(s: string): RegExp {
  return new RegExp(`^${s.replace(/[.+^$()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
}

function pathPattern(s: string): RegExp {
  const body = s
    .replace(/\/$/, "")
    .replace(/[.+^$()|[\]\\]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^/]*")
    .replace(/\u0000/g, ".*");
  return new RegExp(`^${body}$`);
}
