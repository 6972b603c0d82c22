// Token policies that are not written out as literal `policy { … }` blocks or a literal `policies = [{ … }]`
// list: a v4 `dynamic "policy"` block over a known `for_each`, and a v5 `policies` expression (a local, a `for`).
// They are evaluated (tokens/evaluate.ts); the groups and resources they yield share the block's or the
// expression's range, and what cannot be evaluated is a problem with the reason.
import type { Span } from "../source.js";
import type { TokenPolicy } from "../model/token.js";
import type { HclBlock, HclExpr } from "./hcl.js";
import { sortedEntries, toPlain, type Value } from "./values.js";
import { fromList, type TokenProblems } from "./groups.js";
import { jsonResources } from "./resources.js";
import { sourceText, type ModuleCtx, type ParsedTf } from "./module.js";

interface Parts {
  effect?: Value;
  groups?: Value;
  resources?: Value;
  groupsText: string;
}

function policyOf(p: Parts, span: Span, problems: TokenProblems): TokenPolicy {
  let effect: "allow" | "deny" = "allow";
  if (p.effect?.t === "prim" && (p.effect.v === "allow" || p.effect.v === "deny")) effect = p.effect.v;
  else if (p.effect)
    problems.push({
      message: `cannot resolve the policy effect (read as "allow")${p.effect.t === "unknown" ? `: ${p.effect.why}` : ""}`,
      span,
      affectsGrants: true,
    });
  const policy: TokenPolicy = { span, effect, groups: [], groupsSpan: span, resources: [], resourcesSpan: span };
  if (p.groups?.t === "list") policy.groups = fromList(p.groups, p.groupsText, span, problems);
  else
    problems.push({
      message: `cannot resolve permission_groups: ${p.groupsText}${p.groups?.t === "unknown" ? ` (${p.groups.why})` : ""}`,
      span,
      affectsGrants: true,
    });
  const plain = p.resources ? toPlain(p.resources) : undefined;
  if (typeof plain === "string" && plain.trim().startsWith("{"))
    policy.resources = jsonResources(plain, span, problems);
  else if (plain && typeof plain === "object" && !Array.isArray(plain))
    policy.resources = jsonResources(JSON.stringify(plain), span, problems);
  else
    problems.push({
      message: `cannot resolve resources${p.resources?.t === "unknown" ? ` (${p.resources.why})` : ""}`,
      span,
      affectsGrants: true,
    });
  return policy;
}

/** A v5 `policies = <expression>` that is not a literal list. */
export function evaluatedPolicies(
  expr: HclExpr,
  f: ParsedTf,
  ctx: ModuleCtx,
  address: string,
  problems: TokenProblems,
): TokenPolicy[] {
  const text = sourceText({ expr, file: f });
  const v = ctx.ev.eval({ expr, file: f });
  if (v.t !== "list") {
    problems.push({
      message: `cannot resolve the policies of ${address}: ${text}${v.t === "unknown" ? ` (${v.why})` : ""}`,
      span: expr.span,
      affectsGrants: true,
    });
    return [];
  }
  return v.items.map((item) => {
    if (item.t !== "map") {
      problems.push({
        message: `cannot resolve a policy of ${address}: ${text}`,
        span: expr.span,
        affectsGrants: true,
      });
      return policyOf({ groupsText: text }, expr.span, []);
    }
    return policyOf(
      {
        effect: item.entries.get("effect"),
        groups: item.entries.get("permission_groups"),
        resources: item.entries.get("resources"),
        groupsText: text,
      },
      expr.span,
      problems,
    );
  });
}

/** A v4 `dynamic "policy" { for_each = …; content { … } }` block, one policy per known instance. */
export function dynamicPolicies(
  d: HclBlock,
  f: ParsedTf,
  ctx: ModuleCtx,
  address: string,
  problems: TokenProblems,
): TokenPolicy[] {
  const forEach = d.body.attributes.find((a) => a.name === "for_each");
  const content = d.body.blocks.find((b) => b.type === "content");
  const iterAttr = d.body.attributes.find((a) => a.name === "iterator");
  const iterator = iterAttr?.value.kind === "var" ? iterAttr.value.name : "policy";
  const coll = forEach ? ctx.ev.eval({ expr: forEach.value, file: f }) : undefined;
  if (!content || !coll || (coll.t !== "list" && coll.t !== "map")) {
    const why = coll?.t === "unknown" ? ` (${coll.why})` : "";
    problems.push({
      message: `cannot resolve a dynamic "policy" block in ${address}: its policies are not read${why}`,
      span: d.span,
      affectsGrants: true,
    });
    return [];
  }
  const pairs: [Value, Value][] =
    coll.t === "list"
      ? coll.items.map((v, i) => [{ t: "prim", v: i }, v])
      : sortedEntries(coll.entries).map(([k, v]) => [{ t: "prim", v: k }, v]);
  const attr = (k: string) => content.body.attributes.find((a) => a.name === k);
  const groupsAttr = attr("permission_groups");
  const groupsText = groupsAttr ? sourceText({ expr: groupsAttr.value, file: f }) : "permission_groups";
  return pairs.map(([key, value]) => {
    const scope = new Map<string, Value>([
      [
        iterator,
        {
          t: "map",
          entries: new Map([
            ["key", key],
            ["value", value],
          ]),
        },
      ],
    ]);
    const ev = (k: string) => {
      const a = attr(k);
      return a ? ctx.ev.eval({ expr: a.value, file: f }, scope) : undefined;
    };
    return policyOf(
      { effect: ev("effect"), groups: ev("permission_groups"), resources: ev("resources"), groupsText },
      d.span,
      problems,
    );
  });
}
