// blast-radius: Workers Scripts and Pages permissions cannot be limited to one Worker or project on classic
// tokens, so a token that deploys one Worker can change every other Worker of the account. This lists the other
// Workers / Pages projects of this workspace the token also reaches (team research: permissions.md §5).
import type { Rule } from "./rule.js";
import { displayToken } from "./helpers.js";

export const rule: Rule = {
  id: "blast-radius",
  title: "Token also reaches other Workers or Pages projects of this workspace",
  defaultSeverity: "info",
  fixable: false,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    // Every Worker and Pages project of the workspace, computed once for all tokens.
    const names = (pages: boolean) => [...new Set(ctx.configs.filter((c) => c.isPages === pages).flatMap((c) => c.scriptNames))].sort();
    const allWorkers = names(false);
    const allPages = names(true);
    for (const t of ctx.tokens) {
      if (!t.links.length) continue;
      const scripts = t.grants.some((g) => g.group?.name === "Workers Scripts Write");
      const pages = t.grants.some((g) => g.group?.name === "Pages Write");
      if (!scripts && !pages) continue;
      const deployed = new Set(t.links.map((l) => l.deploy.minimal?.scriptName).filter(Boolean));
      const unique = [...new Set([...(scripts ? allWorkers : []), ...(pages ? allPages : [])])].filter((n) => !deployed.has(n)).sort();
      if (!unique.length) continue;
      const uniqueSet = new Set(unique);
      const grant = t.grants.find((g) => g.group?.name === (scripts ? "Workers Scripts Write" : "Pages Write"))!;
      out.push({
        message: `Token ${displayToken(t.token)} deploys ${[...deployed].join(", ") || "its Workers"} but ${grant.group!.label} also reaches ${unique.slice(0, 10).join(", ")}${unique.length > 10 ? ` and ${unique.length - 10} more` : ""} (permissions cannot be limited to one Worker or project on this token)`,
        location: { file: t.token.file, span: grant.entry.span },
        related: firstConfigs(ctx.configs, (c) => c.scriptNames.some((n) => uniqueSet.has(n)), 20).map((c) => ({ file: c.path, span: { start: 0, end: 0 }, message: `also reachable: ${c.scriptNames.join(", ")}` })),
        fixes: [],
      });
    }
    return out;
  },
};

function firstConfigs<T>(items: readonly T[], pred: (x: T) => boolean, n: number): T[] {
  const out: T[] = [];
  for (const x of items) {
    if (out.length >= n) break;
    if (pred(x)) out.push(x);
  }
  return out;
}
