// Hover text for a permission-group entry of a token that is not one catalog group: an expression yielding
// several groups (`values(data.….account)`, a `for` over a list data source) or a per-Worker group.
import type { Grant } from "./compare.js";
import { usedGrants } from "./compare.js";
import type { TokenAnalysis } from "./rules/rule.js";

/** Markdown for the entry, or undefined when it is an ordinary single group (the caller's own hover applies). */
export function expressionHover(
  t: TokenAnalysis,
  g: Grant,
  where: (file: string, offset: number) => string,
): string | undefined {
  if (g.role) {
    return [
      `**${g.role.name}** (per-Worker group, ${g.role.confidence} confidence)`,
      "",
      g.role.allows,
      "",
      "Bindings are not checked against per-Worker tokens: the deployed code can reach any resource of the account it binds.",
    ].join("\n");
  }
  const e = g.entry.fromExpression;
  if (!e) return undefined;
  const same = t.grants.filter(
    (x) => x.entry.fromExpression && x.entry.span.start === g.entry.span.start && x.entry.span.end === g.entry.span.end,
  );
  const lines = [
    `\`${e.text}\`: ${same.length} group${same.length === 1 ? "" : "s"} in the catalog${e.every ? ` (${e.every}; Cloudflare's list has more)` : ""}`,
    "",
  ];
  if (!t.links.length) {
    lines.push("This token is not linked to any deploy in the workspace, so which of them are used is unknown.");
    return lines.join("\n");
  }
  const used = t.needs.filter((n) => usedGrants(same, n).length);
  if (!used.length) lines.push("No deploy that uses this token needs any of them.");
  for (const n of used) {
    lines.push(`- **${n.group.name}**`);
    for (const c of n.causes.slice(0, 4)) lines.push(`  - ${where(c.file, c.span.start)} — ${c.message}`);
  }
  return lines.join("\n");
}
