// blast-radius: Workers Scripts and Pages permissions cannot be limited to one Worker or project on classic
// tokens, so a token that deploys one Worker can change every other Worker of the account. This lists the other
// Workers / Pages projects of this workspace the token also reaches (team research: permissions.md §5).
// A per-Worker token (Individual Workers groups on script tags) reaches only its Workers through the API, but
// bindings are not checked against it: a deploy can bind any KV namespace, R2 bucket, queue, service or Hyperdrive
// config of the account and its code then reads them (public test write-up, facts-2026-12.md "Per-Worker API
// tokens"). That is said too.
import type { Rule } from "./rule.js";
import { scriptScopes } from "../compare.js";
import { displayToken } from "./helpers.js";

export const rule: Rule = {
  id: "blast-radius",
  title: "Token also reaches other Workers or Pages projects of this workspace",
  defaultSeverity: "info",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/blast-radius.md",
  reads: ["configs", "tokens"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    // Every Worker and Pages project of the workspace, computed once for all tokens.
    const names = (pages: boolean) =>
      [...new Set(ctx.configs.filter((c) => c.isPages === pages).flatMap((c) => c.scriptNames))].sort();
    const allWorkers = names(false);
    const allPages = names(true);
    const both = [...new Set([...allWorkers, ...allPages])].sort();
    const sets = { workers: new Set(allWorkers), pages: new Set(allPages), both: new Set(both) };
    for (const t of ctx.tokens) {
      if (!t.links.length) continue;
      const perWorker = t.grants.find((g) => g.role?.deploy && scriptScopes(g).length);
      if (perWorker) {
        out.push({
          message: `Token ${displayToken(t.token)} is limited to ${scriptScopes(perWorker).length === 1 ? "one Worker" : `${scriptScopes(perWorker).length} Workers`} by script tag (${perWorker.role!.name}), but bindings are not checked against it: a deploy with it can bind any KV namespace, R2 bucket, queue, service or Hyperdrive config of the account, and the Worker's code can then read them. It cannot create${perWorker.role!.delete ? "" : " or delete"} Workers (the Worker must exist) nor change routes or custom domains`,
          location: { file: t.token.file, span: perWorker.entry.span },
          related: [],
          fixes: [],
        });
      }
      const scripts = t.grants.some((g) => g.group?.name === "Workers Scripts Write");
      const pages = t.grants.some((g) => g.group?.name === "Pages Write");
      if (!scripts && !pages) continue;
      const deployed = new Set(t.links.map((l) => l.deploy.minimal?.scriptName).filter((n): n is string => !!n));
      // The others it reaches, without walking every name per token: the reachable names less the deployed ones.
      const reach = scripts && pages ? both : scripts ? allWorkers : allPages;
      const reachSet = scripts && pages ? sets.both : scripts ? sets.workers : sets.pages;
      let others = reach.length;
      for (const n of deployed) if (reachSet.has(n)) others--;
      if (!others) continue;
      const unique: string[] = [];
      for (const n of reach) {
        if (unique.length >= 10) break;
        if (!deployed.has(n)) unique.push(n);
      }
      const reachedOther = (n: string) => reachSet.has(n) && !deployed.has(n);
      const grant = t.grants.find((g) => g.group?.name === (scripts ? "Workers Scripts Write" : "Pages Write"))!;
      out.push({
        message: `Token ${displayToken(t.token)} deploys ${[...deployed].join(", ") || "its Workers"} but ${grant.group!.label} also reaches ${unique.join(", ")}${others > 10 ? ` and ${others - 10} more` : ""} (permissions cannot be limited to one Worker or project on this token)`,
        location: { file: t.token.file, span: grant.entry.span },
        related: firstConfigs(ctx.configs, (c) => c.scriptNames.some(reachedOther), 20).map((c) => ({
          file: c.path,
          span: { start: 0, end: 0 },
          message: `also reachable: ${c.scriptNames.join(", ")}`,
        })),
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
