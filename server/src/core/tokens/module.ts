// One Terraform module as the token reader sees it: its parsed files, locals, variable defaults and data
// blocks, an evaluator over them (tokens/evaluate.ts), and `deref`, which follows local/variable references to
// the literal structure they stand for so that entries keep their own source ranges.
import type { Span } from "../source.js";
import type { TerraformModuleInfo } from "../model/token.js";
import { pinOfModule } from "./provider.js";
import type { HclBlock, HclBody, HclExpr, HclStep } from "./hcl.js";
import { Evaluator, toPlain, type EvalModule, type Located as EvalLocated, type Value } from "./evaluate.js";
import { permissionGroupSource, V4_DATA_SOURCE, V5_LIST_SOURCES } from "./data-sources.js";

export interface ParsedTf {
  path: string;
  text: string;
  body: HclBody;
}

export interface Located extends EvalLocated {
  file: ParsedTf;
}

export interface ModuleCtx {
  locals: Map<string, Located>;
  variables: Map<string, Located | undefined>;
  data: Map<string, { block: HclBlock; file: ParsedTf }>;
  ev: Evaluator;
}

export function moduleContext(files: ParsedTf[]): ModuleCtx {
  const locals = new Map<string, Located>();
  const variables = new Map<string, Located | undefined>();
  const data = new Map<string, { block: HclBlock; file: ParsedTf }>();
  for (const f of files) {
    for (const b of f.body.blocks) {
      if (b.type === "locals") for (const a of b.body.attributes) locals.set(a.name, { expr: a.value, file: f });
      else if (b.type === "variable" && b.labels[0]) {
        const d = b.body.attributes.find((a) => a.name === "default");
        variables.set(b.labels[0].value, d ? { expr: d.value, file: f } : undefined);
      } else if (b.type === "data" && b.labels.length >= 2) {
        const key = `${b.labels[0]!.value}.${b.labels[1]!.value}`;
        if (!data.has(key)) data.set(key, { block: b, file: f });
      }
    }
  }
  const mod: EvalModule = {
    locals,
    variables,
    data,
    dataSource: (type, name, ev) => permissionGroupSource(mod, type, name, ev),
  };
  return { locals, variables, data, ev: new Evaluator(mod) };
}

const MAX_DEPTH = 12;
const PASS_THROUGH = new Set(["sensitive", "nonsensitive", "tostring"]);

/**
 * Follows `local.x` / `var.x` (with a default) to the expression they stand for, applying attribute and index
 * steps to object and tuple literals on the way. Returns the input unchanged when it is not such a reference.
 */
export function deref(loc: Located, ctx: ModuleCtx, depth = 0): Located {
  if (depth > MAX_DEPTH) return loc;
  const e = loc.expr;
  if (e.kind === "call" && PASS_THROUGH.has(e.name) && e.args.length === 1)
    return deref({ expr: e.args[0]!, file: loc.file }, ctx, depth + 1);
  if (e.kind !== "traversal" || e.base.kind !== "var") return loc;
  const root = e.base.name;
  const steps: HclStep[] = e.steps;
  if ((root !== "local" && root !== "var") || steps[0]?.kind !== "attr") return loc;
  const name = steps[0].name;
  const target = root === "local" ? ctx.locals.get(name) : ctx.variables.get(name);
  if (!target) return loc;
  let cur: Located = deref(target, ctx, depth + 1);
  for (let i = 1; i < steps.length; i++) {
    const s = steps[i]!;
    const key = s.kind === "attr" ? s.name : s.kind === "index" ? literalKey(s.key, loc.file, ctx) : undefined;
    const next = key === undefined ? undefined : member(cur.expr, key);
    if (next) {
      cur = deref({ expr: next, file: cur.file }, ctx, depth + 1);
      continue;
    }
    return loc;
  }
  return cur;
}

function literalKey(e: HclExpr, file: ParsedTf, ctx: ModuleCtx): string | number | undefined {
  const v = ctx.ev.eval({ expr: e, file });
  return v.t === "prim" && (typeof v.v === "string" || typeof v.v === "number") ? v.v : undefined;
}

function member(e: HclExpr, key: string | number): HclExpr | undefined {
  if (e.kind === "object") return e.entries.find((en) => en.key === String(key))?.value;
  if (e.kind === "tuple" && typeof key === "number") return e.items[key];
  return undefined;
}

export function evaluate(loc: Located, ctx: ModuleCtx): Value {
  return ctx.ev.eval(loc);
}

/** The expression's value as plain data when it is fixed in the source, else undefined. */
export function staticValue(loc: Located, ctx: ModuleCtx): unknown {
  return toPlain(ctx.ev.eval(loc));
}

export function staticString(loc: Located, ctx: ModuleCtx): string | undefined {
  const v = ctx.ev.eval(loc);
  return v.t === "prim" && typeof v.v === "string" ? v.v : undefined;
}

export function sourceText(loc: Located | { file: ParsedTf; span: Span }): string {
  const s = "expr" in loc ? loc.expr.span : loc.span;
  return loc.file.text.slice(s.start, s.end).replace(/\s+/g, " ").trim();
}

/** Why an expression's value is not known, for messages ("var.x has no default: …"), or "". */
export function whyUnknown(v: Value): string {
  return v.t === "unknown" ? v.why : "";
}

/** What an edit of a token in this module can refer to: provider pin, variables, zone and group lookups. */
export function moduleInfo(files: ParsedTf[], ctx: ModuleCtx, lock?: ParsedTf): TerraformModuleInfo {
  // Null-prototype maps: a zone or group named "constructor" or "__proto__" is just a name.
  const info: TerraformModuleInfo = {
    variables: [...ctx.variables.keys()],
    zones: Object.create(null),
    groupLookups: Object.create(null),
  };
  const provider = pinOfModule(files, lock);
  if (provider) info.provider = provider;
  for (const [key, { block, file }] of ctx.data) {
    const type = key.slice(0, key.indexOf("."));
    const attr = (k: string) => block.body.attributes.find((a) => a.name === k);
    if (type === V4_DATA_SOURCE) info.v4Groups ??= `data.${key}`;
    if (block.body.attributes.some((a) => a.name === "for_each" || a.name === "count")) continue;
    if (type === "cloudflare_zone") {
      const filter = attr("filter");
      const nameExpr =
        attr("name")?.value ??
        (filter?.value.kind === "object" ? filter.value.entries.find((e) => e.key === "name")?.value : undefined);
      const zone = nameExpr ? staticString({ expr: nameExpr, file }, ctx) : undefined;
      if (zone) info.zones[zone] ??= `data.${key}`;
    } else if (V5_LIST_SOURCES.has(type)) {
      const n = attr("name");
      const group = n ? staticString({ expr: n.value, file }, ctx) : undefined;
      if (group) info.groupLookups[decodeName(group)] ??= `data.${key}`;
    }
  }
  return info;
}

/** A group name as the v5 list's `name` filter matches it (URL-encoded, `+` for space); a malformed escape stays as written. */
function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}
