// inactive-token: the token cannot authenticate today: it expired, was disabled, or its not_before lies ahead.
// Facts: the token's expires_on / not_before ("the JWT MUST NOT be accepted" on or after / before them) and the
// status the API reports for a live token (active | disabled | expired), from Cloudflare's API reference for
// GET /user/tokens/{id} and GET /accounts/{account_id}/tokens/{id}. Dates are compared by day: a token that
// expires or starts today is not judged, because the core knows the date, not the time.
import type { Rule } from "./rule.js";
import { displayToken, relatedFromLinks } from "./helpers.js";

const DAY = /^(\d{4}-\d{2}-\d{2})/;

export const rule: Rule = {
  id: "inactive-token",
  title: "Token is expired, disabled or not valid yet (deploys using it fail)",
  defaultSeverity: "error",
  fixable: false,
  fixKinds: [],
  livePath: "status",
  docs: "docs/rules/inactive-token.md",
  perToken: true,
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    for (const t of ctx.tokens) {
      const tok = t.token;
      const n = new Set(t.links.map((l) => l.deploy.deploy)).size;
      const uses = n
        ? `; ${n === 1 ? "the deploy that uses it fails" : `the ${n} deploys that use it fail`} with "Authentication error [code: 10000]"`
        : "";
      const expires = DAY.exec(tok.expiresOn?.value ?? "")?.[1];
      const starts = DAY.exec(tok.notBefore?.value ?? "")?.[1];
      let message: string | undefined;
      let span = tok.nameSpan ?? tok.span;
      if (tok.live?.status === "disabled") message = `Token ${displayToken(tok)} is disabled${uses}`;
      else if (tok.live?.status === "expired" || (expires && expires < ctx.today)) {
        message = `Token ${displayToken(tok)} expired${tok.expiresOn ? ` on ${tok.expiresOn.value}` : ""}${uses}: create a new token (with a new expiry) and store it in the secret`;
        if (tok.expiresOn) span = tok.expiresOn.span;
      } else if (starts && starts > ctx.today) {
        message = `Token ${displayToken(tok)} is not valid before ${tok.notBefore!.value}: ${n ? `${uses.slice(2)} until then` : "it cannot authenticate until then"}`;
        span = tok.notBefore!.span;
      }
      if (!message) continue;
      out.push({ message, location: { file: tok.file, span }, related: relatedFromLinks(t), fixes: [] });
    }
    return out;
  },
};
