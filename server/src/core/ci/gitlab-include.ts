// GitLab `include:`: local files (`include: 'ci/deploy.yml'`, `- local: /ci/*.yml`, nested includes) are read
// and merged under the including file the way GitLab merges them (included first, the includer's keys win,
// hashes merged deeply). Includes from other projects, remote URLs, templates and components cannot be read
// here: each one is reported. Every node remembers the file it came from.
import type { Host } from "../host.js";
import type { CiScanResult } from "../model/ci.js";
import { dirname, join, relative } from "../path.js";
import { parseYaml } from "../parse/yaml.js";
import { arr, get, str, type Entry, type Node, type ObjectNode } from "../parse/tree.js";
import { withFile } from "./common.js";

export interface GitlabConfig {
  top: ObjectNode;
  fileOf(n: Node): string;
}

const MAX_INCLUDES = 150;

export function loadGitlabConfig(
  host: Host,
  root: string,
  path: string,
  doc: ReturnType<typeof parseYaml>,
  out: CiScanResult,
): GitlabConfig | undefined {
  const files = new WeakMap<Node, string>();
  const fileOf = (n: Node): string => files.get(n) ?? path;
  const tag = (n: Node | undefined, file: string): void => {
    if (!n || files.has(n)) return;
    files.set(n, file);
    if (n.kind === "object") for (const e of n.entries) tag(e.value, file);
    else if (n.kind === "array") for (const i of n.items) tag(i, file);
  };
  if (!doc.root || doc.root.kind !== "object") return undefined;
  // The including file's own nodes are not tagged: an untagged node is the including file's (a walk of the
  // whole document putting each node in the table cost as much as the rest of the scan on a large file).
  const seen = new Set<string>([path]);
  const collect = (top: ObjectNode, file: string, depth: number): Entry[] => {
    const included: Entry[] = [];
    for (const item of includeItems(get(top, "include"))) {
      const local = localPath(item);
      if (local === undefined) {
        reportRemote(item, fileOf(item), out);
        continue;
      }
      const targets = expandLocal(host, root, local);
      if (!targets.length) {
        out.problems.push({
          code: "ci-include-unresolved",
          severity: "warning",
          message: `The included file ${local} was not found; the jobs it defines are not analysed.`,
          file: fileOf(item),
          span: item.span,
        });
      }
      for (const t of targets) {
        if (seen.has(t) || seen.size > MAX_INCLUDES || depth > 100) continue;
        seen.add(t);
        const text = host.readFile(t);
        if (text === undefined) continue;
        const sub = parseYaml(text);
        out.problems.push(...withFile(t, sub.problems));
        if (!sub.root || sub.root.kind !== "object") continue;
        tag(sub.root, t);
        included.push(...collect(sub.root, t, depth + 1));
      }
    }
    return [...included, ...top.entries.filter((e) => e.key !== "include")];
  };
  const entries = collect(doc.root, path, 0);
  const merged: Entry[] = [];
  // Where each key is in `merged` (a search of the list for each key was quadratic in the number of jobs).
  const at = new Map<string, number>();
  for (const e of entries) {
    const i = at.get(e.key);
    if (i === undefined) {
      at.set(e.key, merged.length);
      merged.push(e);
    } else {
      const prev = merged[i]!;
      merged[i] =
        prev.value.kind === "object" && e.value.kind === "object"
          ? { ...e, value: deepMerge(prev.value, e.value, files) }
          : e;
    }
  }
  const top: ObjectNode = { kind: "object", span: doc.root.span, entries: merged };
  files.set(top, path);
  return { top, fileOf };
}

function includeItems(n: Node | undefined): Node[] {
  if (!n) return [];
  if (n.kind === "array") return n.items;
  return [n];
}

/** The local path an include item names, or undefined when it is not a local file. */
function localPath(item: Node): string | undefined {
  if (item.kind === "string") {
    const v = item.value as string;
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? undefined : v;
  }
  if (item.kind !== "object") return undefined;
  return str(get(item, "local"));
}

function reportRemote(item: Node, file: string, out: CiScanResult): void {
  const kind =
    item.kind === "string"
      ? "remote"
      : (["project", "remote", "template", "component"].find((k) => get(item, k)) ?? "include");
  const what = item.kind === "string" ? (item.value as string) : (str(get(item, kind)) ?? "");
  const files = arr(get(item, "file"))
    .map((f) => str(f))
    .filter(Boolean);
  const fileList = files.length ? files.join(", ") : str(get(item, "file"));
  out.problems.push({
    code: "ci-include-unresolved",
    severity: "info",
    message: `Not followed: \`include: ${kind}: ${what}${fileList ? ` (${fileList})` : ""}\` is not in this repository; the jobs it defines and the variables it sets are not analysed.`,
    file,
    span: item.span,
  });
}

/** Files a local include names (leading `/` is the repository root; `*` and `**` globs). */
function expandLocal(host: Host, root: string, local: string): string[] {
  const rel = local.replace(/^\/+/, "");
  if (!/[*?]/.test(rel)) {
    const p = join(root, rel);
    return host.fileExists(p) ? [p] : [];
  }
  const re = new RegExp(
    `^${rel
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*\*\/?/g, "\u0000")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]")
      .replace(/\u0000/g, "(?:.*/)?")}$`,
  );
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 8) return;
    for (const e of host.readDirectory(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) {
        if (e.name !== "node_modules" && e.name !== ".git") walk(p, depth + 1);
      } else if (re.test(relative(root, p))) out.push(p);
    }
  };
  const fixed = rel.slice(0, rel.search(/[*?]/));
  walk(join(root, fixed.includes("/") ? dirname(fixed) : ""), 0);
  return out.sort();
}

/** Hashes merged key by key (the later one wins for other values), as GitLab merges `extends` and includes. */
export function deepMerge(base: ObjectNode, over: ObjectNode, files?: WeakMap<Node, string>): ObjectNode {
  const entries: Entry[] = base.entries.map((x) => x);
  // The first place of each key, as a search of the list would find it.
  const at = new Map<string, number>();
  entries.forEach((x, i) => {
    if (!at.has(x.key)) at.set(x.key, i);
  });
  for (const oe of over.entries) {
    const i = at.get(oe.key);
    if (i === undefined) {
      at.set(oe.key, entries.length);
      entries.push(oe);
    } else {
      const be = entries[i]!;
      entries[i] =
        be.value.kind === "object" && oe.value.kind === "object"
          ? { ...oe, value: deepMerge(be.value, oe.value, files) }
          : oe;
    }
  }
  const merged: ObjectNode = { kind: "object", span: over.span, entries };
  const f = files?.get(over);
  if (f && files) files.set(merged, f);
  return merged;
}
