// no-expiry: the token never expires, so a leaked copy works forever.
import type { Rule } from "./rule.js";
import { displayToken, eolOf, textOf } from "./helpers.js";
import { indentAt } from "../edit.js";

/** YYYY-MM-DD plus n days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const rule: Rule = {
  id: "no-expiry",
  title: "Token has no expiry date",
  defaultSeverity: "warning",
  fixable: true,
  fixKinds: ["edit"],
  livePath: "expires_on",
  docs: "docs/rules/no-expiry.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      if (t.token.expiresOn) continue;
      // expires_on written as an expression (e.g. a variable): set, but its value is unknown here.
      if (t.token.problems.some((p) => p.message.startsWith("cannot resolve expires_on"))) continue;
      const when = `${addDays(ctx.today, 90)}T00:00:00Z`;
      const text = textOf(ctx, t.token.file);
      const fixes: ReturnType<Rule["check"]>[number]["fixes"] = [];
      if (text !== undefined && t.token.nameSpan) {
        const nl = eolOf(ctx, t.token.file);
        const indent = indentAt(text, t.token.nameSpan.start);
        const lineEnd = text.indexOf("\n", t.token.nameSpan.end);
        const insertAt = lineEnd < 0 ? text.length : lineEnd + 1;
        const line =
          t.token.format === "api-json"
            ? `${indent}"expires_on": "${when}",${nl}`
            : `${indent}expires_on = "${when}"${nl}`;
        const afterName = text.slice(t.token.nameSpan.end, lineEnd < 0 ? text.length : lineEnd);
        if (t.token.format !== "api-json" || /,\s*$/.test(afterName))
          fixes.push({
            title: `Expire on ${when.slice(0, 10)} (90 days)`,
            edits: [{ file: t.token.file, start: insertAt, end: insertAt, newText: line }],
            safe: true,
          });
      }
      out.push({
        message: `Token ${displayToken(t.token)} has no expires_on: set an expiry and rotate it`,
        location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
        related: [],
        fixes,
      });
    }
    return out;
  },
};
