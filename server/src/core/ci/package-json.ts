// package.json scripts, read once per scan, with offsets of each script body mapped back to the file.
import type { Host } from "../host.js";
import type { Location, Span } from "../source.js";
import { dirname, join } from "../path.js";
import { parseJsonc } from "../parse/jsonc.js";
import { get, type ScalarNode } from "../parse/tree.js";
import type { PackageScripts, ScanCache, ShellContext, ShellSource } from "./shell-types.js";

/** The nearest package.json at or above `dir` (not above the repository root). */
export function findPackageJson(
  ctx: Pick<ShellContext, "host" | "cache" | "root">,
  dir: string,
): PackageScripts | undefined {
  let d = dir;
  for (let n = 0; n < 32; n++) {
    const p = join(d, "package.json");
    const pkg = readPackageJson(ctx.host, ctx.cache, p);
    if (pkg) return pkg;
    if (d === ctx.root || d === "/" || d === ".") break;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

export function readPackageJson(host: Host, cache: ScanCache, path: string): PackageScripts | undefined {
  if (cache.packageJson.has(path)) return cache.packageJson.get(path) ?? undefined;
  const text = host.readFile(path);
  if (text === undefined) {
    cache.packageJson.set(path, null);
    return undefined;
  }
  const doc = parseJsonc(text);
  const scripts = new Map<string, { body: string; source: ShellSource; keyLocation: Location }>();
  const node = get(doc.root, "scripts");
  if (node && node.kind === "object") {
    for (const e of node.entries) {
      if (e.value.kind !== "string") continue;
      const v = e.value;
      scripts.set(e.key, {
        body: v.value as string,
        source: { file: path, text: v.value as string, spanOf: jsonStringMapper(text, v) },
        keyLocation: { file: path, span: e.keySpan },
      });
    }
  }
  const pkg: PackageScripts = { file: path, scripts };
  cache.packageJson.set(path, pkg);
  return pkg;
}

/** Maps decoded offsets of a JSON string value to the source (handles escapes). */
export function jsonStringMapper(text: string, node: ScalarNode): (s: number, e: number) => Span {
  let map: number[] | undefined;
  const build = (): number[] => {
    const decoded = node.value as string;
    const out: number[] = [];
    let p = node.span.start;
    if (text[p] === '"') p++;
    const end = text[node.span.end - 1] === '"' ? node.span.end - 1 : node.span.end;
    for (let i = 0; i < decoded.length; i++) {
      out.push(Math.min(p, end));
      if (text[p] === "\\") {
        if (text[p + 1] === "u") p += 6;
        else p += 2;
        // a surrogate pair from one \u escape decodes to two code units
        if (i + 1 < decoded.length && /[\uD800-\uDBFF]/.test(decoded[i]!) && text[p] !== "\\") {
          out.push(Math.min(p, end));
          i++;
        }
      } else p++;
    }
    out.push(Math.min(p, end));
    return out;
  };
  return (s, e) => {
    map ??= build();
    const n = map.length - 1;
    const a = Math.max(0, Math.min(s, n));
    const b = Math.max(a, Math.min(e, n));
    return { start: map[a]!, end: b > a ? map[b - 1]! + (text[map[b - 1]!] === "\\" ? 2 : 1) : map[a]! };
  };
}

// ---------------------------------------------------------------------------------------------------------
