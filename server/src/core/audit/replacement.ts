// The minimal replacement for a live token: the create-token body, Terraform and the dashboard link that
// `minimal` renders (permissions/spec.ts), for the merged needs of the deploys that use the secret. The body keeps
// the live token's IP condition and expiry when it has them (a replacement must not drop a restriction) and
// otherwise proposes an expiry 90 days from today. Pure.
import type { Confidence } from "../permissions/catalog.js";
import type { Requirement } from "../permissions/require.js";
import { createTokenBody, dashboardUrl, needsUserToken, terraform, type CreateTokenBody } from "../permissions/spec.js";
import type { TokenAnalysis } from "../rules/rule.js";
import { addDays } from "../rules/no-expiry.js";
import type { LiveToken } from "./live.js";

export interface Replacement {
  owner: "user" | "account";
  /** The create-token call the body is for. */
  endpoint: string;
  body: CreateTokenBody & { expires_on?: string; condition?: { request_ip: { in: string[]; not_in: string[] } } };
  terraform: string;
  dashboard: { url: string; manual: string[] };
}

const CONFIDENCE_RANK: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };

/** The needs as requirements (resources with the known account filled in), each with its lowest confidence. */
export function requirementsOf(t: TokenAnalysis, mapKey: (k: string) => string): Requirement[] {
  return t.needs.map((n) => {
    let confidence: Confidence = "high";
    for (const l of t.links) {
      const r = l.deploy.minimal?.requirements.find((x) => x.group.id === n.group.id);
      if (r && CONFIDENCE_RANK[r.confidence] < CONFIDENCE_RANK[confidence]) confidence = r.confidence;
    }
    return { group: n.group, resources: n.resources.map(mapKey), confidence, reasons: [] };
  });
}

/** Undefined when the deploys need no permission group at all (then there is no token to propose). */
export function replacementFor(
  t: TokenAnalysis,
  live: LiveToken,
  today: string,
  mapKey: (k: string) => string,
): Replacement | null {
  const reqs = requirementsOf(t, mapKey);
  if (!reqs.length) return null;
  const owner = needsUserToken(reqs) ? "user" : "account";
  const accountIds = new Set(
    reqs
      .flatMap((r) => r.resources)
      .map((k) => /^com\.cloudflare\.api\.account\.([0-9a-f]{32})$/.exec(k)?.[1])
      .filter((x): x is string => !!x),
  );
  const accountId = live.accountId ?? (accountIds.size === 1 ? [...accountIds][0] : undefined);
  const body: Replacement["body"] = createTokenBody(live.name, reqs);
  const expires = live.definition.expiresOn?.value;
  body.expires_on = expires && expires.slice(0, 10) > today ? expires : `${addDays(today, 90)}T00:00:00Z`;
  const ip = live.definition.ipCondition;
  if (ip && (ip.in.length || ip.notIn.length)) body.condition = { request_ip: { in: ip.in, not_in: ip.notIn } };
  return {
    owner,
    endpoint: owner === "account" ? `POST /accounts/${accountId ?? "{account_id}"}/tokens` : "POST /user/tokens",
    body,
    terraform: terraform(live.name, reqs, accountId, owner),
    dashboard: dashboardUrl(live.name, reqs, accountId, owner),
  };
}
