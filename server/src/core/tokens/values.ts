// The evaluator's values (tokens/evaluate.ts): plain data, lists and maps that may stand for one of Cloudflare's
// permission-group lists ("open"), permission groups as the list data sources return them, and "unknown" with
// the reason. Attribute and index access, equality and conversion to plain data live here too.
import type { PermissionGroup } from "../permissions/catalog.js";
import type { WorkerRole } from "../permissions/worker-roles.js";

/** A collection that stands for one of Cloudflare's permission-group lists, of which the catalog holds a part. */
export interface Openness {
  /** What the whole list is, e.g. "every account permission group". */
  what: string;
  /** Names an equality filter pinned the list to; a pinned list is exactly those groups. */
  pinned?: string[];
  /** Scope label for messages ("account"). */
  scope?: string;
  /** A map key the entries lack, looked up in the catalog by alias or old name. */
  resolve?: (key: string) => Value | undefined;
}

export type Value =
  | { t: "prim"; v: string | number | boolean | null }
  | { t: "list"; items: Value[]; open?: Openness }
  | { t: "map"; entries: Map<string, Value>; open?: Openness }
  /** A permission group as the list data sources return it (attributes id, name, scopes). */
  | { t: "group"; g: PermissionGroup | WorkerRole }
  /** A group id whose value is not a literal here (a per-Worker group's unpublished id). */
  | { t: "gid"; g: PermissionGroup | WorkerRole }
  /** Not known here; `fails` when Terraform itself would fail on it (what `can()` and `try()` catch). */
  | { t: "unknown"; why: string; fails?: boolean };

export const unknown = (why: string): Value => ({ t: "unknown", why });
/** A value Terraform would fail to compute (an index out of range, regex() without a match). */
export const failure = (why: string): Value => ({ t: "unknown", why, fails: true });
export const prim = (v: string | number | boolean | null): Value => ({ t: "prim", v });

/** A map's entries in Terraform's iteration order: keys sorted lexically. */
export function sortedEntries(m: Map<string, Value>): [string, Value][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Attribute or index access on a value. */
export function index(cur: Value, key: Value): Value {
  if (cur.t === "unknown") return cur;
  if (key.t === "unknown") return key;
  if (key.t !== "prim" || key.v === null) return unknown("an index that is not a string or number");
  const k = key.v;
  if (cur.t === "group" || cur.t === "gid") return groupAttr(cur.g, String(k));
  if (cur.t === "list") {
    if (typeof k !== "number") return unknown(`a list has no attribute ${String(k)}`);
    if (cur.open && !cur.open.pinned)
      return unknown(`element ${k} of ${cur.open.what} depends on Cloudflare's list, not only the groups known here`);
    return (
      cur.items[k] ??
      (cur.open
        ? unknown(`no group ${cur.open.pinned!.map((n) => `"${n}"`).join(", ")} is known here`)
        : failure(`index ${k} is out of range`))
    );
  }
  if (cur.t === "map") {
    const v = cur.entries.get(String(k)) ?? cur.open?.resolve?.(String(k));
    if (v) return v;
    return cur.open
      ? unknown(
          `unknown permission group "${String(k)}"${cur.open.scope ? ` (${cur.open.scope})` : ""}, not in the catalog`,
        )
      : failure(`no key "${String(k)}"`);
  }
  return unknown(`cannot index ${String(cur.v)}`);
}

/** The scope strings Cloudflare lists for a group. */
export function scopeString(g: PermissionGroup | WorkerRole): string {
  if ("resource" in g) return g.resource;
  return {
    account: "com.cloudflare.api.account",
    zone: "com.cloudflare.api.account.zone",
    user: "com.cloudflare.api.user",
    "r2-bucket": "com.cloudflare.edge.r2.bucket",
  }[g.scope];
}

function groupAttr(g: PermissionGroup | WorkerRole, attr: string): Value {
  if (attr === "id") return "id" in g && g.id ? prim(g.id) : { t: "gid", g };
  if (attr === "name") return prim(g.name);
  if (attr === "scopes") return { t: "list", items: [prim(scopeString(g))] };
  return unknown(`the group attribute ${attr} is not modelled`);
}

export function equal(a: Value, b: Value): boolean {
  if (a.t === "prim" && b.t === "prim") return a.v === b.v;
  if ((a.t === "group" || a.t === "gid") && a.t === b.t) return a.g === b.g;
  if (a.t === "list" && b.t === "list")
    return a.items.length === b.items.length && a.items.every((x, i) => equal(x, b.items[i]!));
  if (a.t === "map" && b.t === "map")
    return (
      a.entries.size === b.entries.size &&
      [...a.entries].every(([k, v]) => {
        const o = b.entries.get(k);
        return !!o && equal(v, o);
      })
    );
  return false;
}

/** The value as plain JSON-like data, or undefined when any part of it is not known here. */
export function toPlain(v: Value): unknown {
  switch (v.t) {
    case "prim":
      return v.v;
    case "list": {
      const out: unknown[] = [];
      for (const x of v.items) {
        const p = toPlain(x);
        if (p === undefined) return undefined;
        out.push(p);
      }
      return out;
    }
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.entries) {
        const p = toPlain(x);
        if (p === undefined) return undefined;
        out[k] = p;
      }
      return out;
    }
    default:
      return undefined;
  }
}
