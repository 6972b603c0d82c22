// POSIX path helpers for the core (which may not import node:path, so the same code runs anywhere).

const CLEAN = /^\/?(?:[^/.]|\.[^/.]|\.\.[^/])[^/]*(?:\/(?:[^/.]|\.[^/.]|\.\.[^/])[^/]*)*$/;

export function normalize(p: string): string {
  // Fast path: already normal (no empty, "." or ".." segment, no trailing slash).
  if (CLEAN.test(p)) return p;
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(part);
  }
  const s = out.join("/");
  return abs ? "/" + s : s || ".";
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== "").join("/"));
}

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf("/");
  if (i < 0) return ".";
  if (i === 0) return "/";
  return n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalize(p);
  return n.slice(n.lastIndexOf("/") + 1);
}

/** Resolves `p` against `base` (p wins when it is absolute). */
export function resolve(base: string, p: string): string {
  return p.startsWith("/") ? normalize(p) : join(base, p);
}

/** `to` relative to `from` (both absolute, or both relative to the same root). */
export function relative(from: string, to: string): string {
  const a = normalize(from).split("/").filter(Boolean);
  const b = normalize(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => "..");
  const rest = b.slice(i);
  return [...up, ...rest].join("/") || ".";
}
