// outside-workspace: a deploy step, CI file or link leads to a file or folder outside the workspace root (its
// real path, links resolved). Such reads are refused (a hostile change could otherwise make CI read and report
// the host's files), so what depends on them is unknown, and this finding says so. Paths are named as written
// or relative to the root, never by where a link leads.
import type { Rule, RuleContext } from "./rule.js";
import type { PlacedRefusal } from "../refusals.js";
import { relative, resolve } from "../path.js";

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root + "/");
}

/** What a deploy step did to lead outside: its working directory, its --config, or (else) the first path. */
function stepCause(ctx: RuleContext, p: PlacedRefusal): string {
  const d = ctx.deploys.find((x) => x.deploy.location === p.location)?.deploy;
  if (d && !inside(d.workingDirectory, ctx.root))
    return `the working directory \`${relative(ctx.root, d.workingDirectory)}\` is outside the workspace`;
  const config = d?.command.config;
  if (d && config) {
    const where = inside(resolve(d.workingDirectory, config), ctx.root)
      ? "leads outside the workspace through a symbolic link"
      : "is outside the workspace";
    return `\`--config ${config}\` ${where}`;
  }
  return pathCause(ctx, p);
}

function pathCause(ctx: RuleContext, p: PlacedRefusal): string {
  const written = relative(ctx.root, p.refusal.path);
  return `\`${written}\` ${inside(p.refusal.path, ctx.root) ? "leads outside the workspace through a symbolic link" : "is outside the workspace"}`;
}

export const rule: Rule = {
  id: "outside-workspace",
  title: "A path leads outside the workspace and is not read",
  defaultSeverity: "warning",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/outside-workspace.md",
  reads: ["deploys", "refusals"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const seen = new Set<string>();
    for (const p of ctx.refusals) {
      if (p.refusal.reason !== "outside-workspace") continue;
      const cause = p.fromStep ? stepCause(ctx, p) : pathCause(ctx, p);
      const key = `${p.location.file}\u0000${p.location.span.start}\u0000${cause}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const what = p.fromStep ? "so what this deploy needs is unknown" : "so what it holds is not analysed";
      out.push({ message: `${cause}: it was not read, ${what}`, location: p.location, related: [], fixes: [] });
    }
    return out;
  },
};
