// A Terraform policy's `permission_groups`, resolved to catalog groups. Entries of a literal list are read one by
// one (each keeps its own range, for quick fixes); any other expression (`values(data….account)`, a `for` over a
// list data source, `concat(…)`, a local) is evaluated whole and its groups share the expression's range. What
// cannot be resolved is kept as written with a problem that says why.
import { catalog } from "../permissions/catalog.js";
import type { GrantedGroup } from "../model/token.js";
import type { Span } from "../source.js";
import type { HclExpr } from "./hcl.js";
import type { Value } from "./evaluate.js";
import { deref, evaluate, sourceText, type Located, type ModuleCtx } from "./module.js";

export type TokenProblems = { message: string; span: Span; affectsGrants?: boolean }[];

const HEX32 = /^[0-9a-fA-F]{32}$/;
/** `data.cloudflare_api_token_permission_groups.all.account["Name"]` → `account["Name"]`. */
const V4_INDEX = /\.(account|zone|user|r2|permissions)\[\s*("(?:[^"\\]|\\.)*")\s*\]$/;

/** Reads permission_groups; `version` is the token's syntax generation (v5 entries are `{ id = … }` objects). */
export function readGroups(
  groupsExpr: HclExpr,
  f: Located["file"],
  version: 4 | 5,
  ctx: ModuleCtx,
  problems: TokenProblems,
): GrantedGroup[] {
  const list = deref({ expr: groupsExpr, file: f }, ctx);
  const out: GrantedGroup[] = [];
  if (list.expr.kind === "tuple") {
    for (const item of list.expr.items) {
      const span = list.file === f ? item.span : groupsExpr.span;
      out.push(...readEntry({ expr: item, file: list.file }, version, ctx, problems, span));
    }
    return out;
  }
  const text = sourceText({ expr: groupsExpr, file: f });
  const v = evaluate({ expr: groupsExpr, file: f }, ctx);
  if (v.t !== "list") {
    const why = v.t === "unknown" ? v.why : "it is not a list";
    problems.push({
      message: `cannot resolve permission_groups: ${text} (${why})`,
      span: groupsExpr.span,
      affectsGrants: true,
    });
    return out;
  }
  return fromList(v, text, groupsExpr.span, problems);
}

/** The groups of an evaluated list, all on the expression's range. */
export function fromList(
  v: Extract<Value, { t: "list" }>,
  text: string,
  span: Span,
  problems: TokenProblems,
): GrantedGroup[] {
  const out: GrantedGroup[] = [];
  const every = v.open && !v.open.pinned ? v.open.what : undefined;
  for (const item of v.items) {
    const r = fromValue(item, text);
    const g: GrantedGroup = { written: r.written, span, fromExpression: { text, ...(every ? { every } : {}) } };
    if (r.id) g.id = r.id.toLowerCase();
    if (r.name) g.name = r.name;
    if (r.problem) problems.push({ message: r.problem, span, affectsGrants: !r.id && !r.name });
    out.push(g);
  }
  for (const n of v.open?.pinned ?? []) {
    if (!out.some((g) => g.name === n || catalog().lookup(n)?.name === g.name)) {
      problems.push({
        message: `unknown permission group "${n}" in ${text}, not in the catalog`,
        span,
        affectsGrants: true,
      });
    }
  }
  return out;
}

/** One entry of a literal list (it may itself evaluate to several groups). */
function readEntry(item: Located, version: 4 | 5, ctx: ModuleCtx, problems: TokenProblems, span: Span): GrantedGroup[] {
  const d = deref(item, ctx);
  if (version === 5 && d.expr.kind === "literal")
    problems.push({ message: `v5 permission_groups entries are objects: write { id = "…" }`, span });
  let text = sourceText(item);
  let v: Value;
  const idEntry = d.expr.kind === "object" ? d.expr.entries.find((en) => en.key === "id") : undefined;
  if (d.expr.kind === "object" && !idEntry) {
    problems.push({ message: `permission group without an id: ${sourceText(d)}`, span, affectsGrants: true });
    return [{ written: sourceText(d), span }];
  }
  if (idEntry) {
    text = sourceText({ expr: idEntry.value, file: d.file });
    v = evaluate({ expr: idEntry.value, file: d.file }, ctx);
  } else v = evaluate(item, ctx);
  if (v.t === "list") return fromList(v, text, span, problems);
  const r = fromValue(v, text);
  const g: GrantedGroup = { written: shortForm(text) ?? r.written, span };
  if (r.id) g.id = r.id.toLowerCase();
  if (r.name) g.name = r.name;
  if (r.problem) problems.push({ message: r.problem, span, affectsGrants: !r.name });
  return [g];
}

function shortForm(text: string): string | undefined {
  const m = V4_INDEX.exec(text);
  return m ? `${m[1]}[${m[2]}]` : undefined;
}

interface Resolution {
  id?: string;
  name?: string;
  written: string;
  problem?: string;
}

/** A group from an evaluated entry: an id string, a `{ id = … }` object, a data-source group, or unknown. */
function fromValue(v: Value, text: string): Resolution {
  switch (v.t) {
    case "prim": {
      if (typeof v.v !== "string") return { written: text, problem: `permission group ${text} is not an id` };
      if (HEX32.test(v.v)) {
        const g = catalog().byId(v.v);
        return g
          ? { id: v.v, name: g.name, written: v.v }
          : { id: v.v, written: v.v, problem: `permission group id ${v.v} is not in the catalog` };
      }
      const g = catalog().lookup(v.v);
      return g
        ? { id: g.id, name: g.name, written: v.v }
        : { written: v.v, problem: `"${v.v}" is not a permission group id` };
    }
    case "group":
    case "gid":
      return "id" in v.g ? { id: v.g.id, name: v.g.name, written: v.g.name } : { name: v.g.name, written: v.g.name };
    case "map": {
      const id = v.entries.get("id");
      if (!id) return { written: text, problem: `permission group without an id: ${text}` };
      const r = fromValue(id, text);
      return { ...r, written: r.name ?? r.written };
    }
    case "unknown":
      // A name the catalog lacks is said as such; other values are not known until Terraform runs.
      return {
        written: text,
        problem: v.why.startsWith("unknown permission group")
          ? v.why
          : `cannot resolve permission group ${text}: ${v.why}`,
      };
    default:
      return { written: text, problem: `cannot resolve permission group ${text}` };
  }
}
