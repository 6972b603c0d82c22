// unsupported-command: a CI step runs a wrangler command this tool cannot answer — one wrangler 4.164 does not
// have, or one that calls the Cloudflare API with calls the command catalog (data/commands.json) does not list.
// What the token needs for that step is unknown, so the step is reported instead of being treated as needing
// nothing; the tokens linked to it are checked only against the steps that are understood.
import type { Rule } from "./rule.js";

export const rule: Rule = {
  id: "unsupported-command",
  title: "CI runs a wrangler command whose API calls this tool does not know",
  defaultSeverity: "warning",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/unsupported-command.md",
  reads: ["deploys"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    const seen = new Set<string>();
    for (const d of ctx.deploys) {
      if (!d.unsupported) continue;
      const loc = d.deploy.location;
      const k = `${loc.file}:${loc.span.start}:${loc.span.end}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({
        message: `${d.deploy.label}: ${d.error} The token this step uses is not checked for it.`,
        location: loc,
        related: [
          { ...d.deploy.stepLocation, message: "the CI step" },
          ...d.deploy.via.slice(1).map((v) => ({ ...v, message: "reached through" })),
        ],
        fixes: [],
      });
    }
    return out;
  },
};
