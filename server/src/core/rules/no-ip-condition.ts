// no-ip-condition: the token has no client IP condition; where CI egress addresses are known, a request_ip
// condition limits where a leaked token works.
import type { Rule } from "./rule.js";
import { displayToken } from "./helpers.js";

export const rule: Rule = {
  id: "no-ip-condition",
  title: "Token has no client IP restriction",
  defaultSeverity: "info",
  fixable: false,
  fixKinds: [],
  livePath: "condition.request_ip",
  docs: "docs/rules/no-ip-condition.md",
  perToken: true,
  check(ctx) {
    return ctx.tokens
      .filter((t) => !t.token.ipCondition)
      .map((t) => ({
        // The API's JSON key is "request.ip"; Terraform calls it request_ip (facts-2026-12.md "Tokens").
        message: `Token ${displayToken(t.token)} works from any IP address; if your CI runs from known addresses, add ${t.token.format === "api-json" ? `"condition": { "request.ip": { "in": [ … ] } }` : "condition.request_ip"}`,
        location: { file: t.token.file, span: t.token.nameSpan ?? t.token.span },
        related: [],
        fixes: [],
      }));
  },
};
