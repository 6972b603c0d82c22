// A Terraform policy's `resources`: a map (v4 and v5), `jsonencode({ … })` or a JSON string (v5.13+), nested
// account → zone / account → Worker script maps included. Keys keep Terraform interpolations the reader cannot
// know as written (`com.cloudflare.api.account.${var.account_id}`); locals are filled in.
import type { GrantedResource } from "../model/token.js";
import type { Span } from "../source.js";
import type { TokenProblems } from "./groups.js";
import type { HclExpr } from "./hcl.js";
import { toPlain } from "./evaluate.js";
import { deref, evaluate, sourceText, staticString, type Located, type ModuleCtx, type ParsedTf } from "./module.js";

const MAX_DEPTH = 12;

export function readResources(
  loc: Located,
  ctx: ModuleCtx,
  problems: TokenProblems,
  tokenFile: ParsedTf,
  whereSpan: Span,
  depth = 0,
): GrantedResource[] {
  const d = deref(loc, ctx);
  const e = d.expr;
  const sameFile = d.file === tokenFile;
  if (e.kind === "call" && e.name === "jsonencode" && e.args.length === 1 && depth < MAX_DEPTH) {
    return readResources({ expr: e.args[0]!, file: d.file }, ctx, problems, tokenFile, whereSpan, depth + 1);
  }
  if (e.kind === "object") {
    const out: GrantedResource[] = [];
    for (const en of e.entries) {
      const key = resourceKey({ expr: en.keyExpr, file: d.file }, en.key, ctx);
      const vLoc = deref({ expr: en.value, file: d.file }, ctx);
      const where = sameFile ? en.value.span : whereSpan;
      let value: string | GrantedResource[];
      if (
        depth < MAX_DEPTH &&
        (vLoc.expr.kind === "object" || (vLoc.expr.kind === "call" && vLoc.expr.name === "jsonencode"))
      ) {
        value = readResources(vLoc, ctx, problems, tokenFile, where, depth + 1);
      } else {
        const s = staticString(vLoc, ctx);
        if (s !== undefined && s.trim().startsWith("{")) value = jsonResources(s, where, problems);
        else if (s !== undefined) value = s;
        else {
          value = sourceText(vLoc);
          problems.push({
            message: `cannot resolve the value of resource ${key}: ${value}`,
            span: where,
            affectsGrants: true,
          });
        }
      }
      out.push({ key, value, span: sameFile ? en.span : whereSpan, keySpan: sameFile ? en.keySpan : whereSpan });
    }
    return out;
  }
  const s = staticString(d, ctx);
  if (s !== undefined && s.trim().startsWith("{")) return jsonResources(s, whereSpan, problems);
  const v = evaluate(d, ctx);
  // Any other expression with a value known here (a conditional on variable defaults, a merge of locals).
  const plain = toPlain(v);
  if (plain && typeof plain === "object" && !Array.isArray(plain))
    return jsonResources(JSON.stringify(plain), whereSpan, problems);
  problems.push({
    message: `cannot resolve resources: ${sourceText(d)}${v.t === "unknown" ? ` (${v.why})` : ""}`,
    span: whereSpan,
    affectsGrants: true,
  });
  return [];
}

/**
 * A resource key with locals filled in and other interpolations left as written (`${var.account_id}`): a
 * variable's default is not necessarily the value Terraform is given, so it is not filled in.
 */
function resourceKey(loc: Located, fallback: string, ctx: ModuleCtx, depth = 0): string {
  const e = loc.expr;
  if (e.kind === "literal") return String(e.value);
  if (e.kind === "var") return e.name;
  if (depth > MAX_DEPTH) return fallback;
  if (e.kind !== "template") {
    if (!isLocal(e)) return `\${${sourceText(loc)}}`;
    const d = deref(loc, ctx);
    if (d.expr !== e) return resourceKey(d, fallback, ctx, depth + 1);
    const v = evaluate(loc, ctx);
    return v.t === "prim" && v.v !== null ? String(v.v) : `\${${sourceText(loc)}}`;
  }
  let out = "";
  for (const p of e.parts) {
    if (typeof p === "string") out += p;
    else if (isLocal(p)) out += resourceKey({ expr: p, file: loc.file }, "", ctx, depth + 1);
    else out += `\${${sourceText({ expr: p, file: loc.file })}}`;
  }
  return out;
}

function isLocal(e: HclExpr): boolean {
  return e.kind === "traversal" && e.base.kind === "var" && e.base.name === "local";
}

/** Resources written as a JSON string (v5.13+ without jsonencode). Spans are the string's. */
export function jsonResources(s: string, span: Span, problems: TokenProblems): GrantedResource[] {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    problems.push({ message: "resources is not valid JSON", span, affectsGrants: true });
    return [];
  }
  const conv = (o: unknown): GrantedResource[] =>
    o && typeof o === "object" && !Array.isArray(o)
      ? Object.entries(o as Record<string, unknown>).map(([key, val]) => ({
          key,
          value: typeof val === "string" ? val : conv(val),
          span,
          keySpan: span,
        }))
      : [];
  return conv(v);
}
