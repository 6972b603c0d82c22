// What the audit could not judge, said in words rather than left out: no deploy uses the secret, a deploy whose
// needs are unknown, deny policies, groups outside the catalog, another definition of the same secret in the
// repository, and where the account id of the proposed token came from. Pure.
import { relative } from "../path.js";
import type { WorkspaceResult } from "../workspace.js";
import type { TokenAnalysis } from "../rules/rule.js";
import type { LiveToken } from "./live.js";

export function auditNotes(
  ws: WorkspaceResult,
  t: TokenAnalysis,
  live: LiveToken,
  o: { root: string; secret: string; mapKey: (k: string) => string },
): string[] {
  const notes: string[] = [];
  if (!t.links.length) {
    const others = [...new Set(ws.deploys.map((d) => d.deploy.token?.secret).filter((s): s is string => !!s))].sort();
    notes.push(
      `No CI deploy under this folder uses the secret ${o.secret}, so what the token needs is unknown: only its hygiene (status, expiry, IP condition, wildcards, token minting) is checked, and no group is called unneeded.` +
        (others.length
          ? ` The deploys here use ${others.join(", ")}: pass --secret with the one that holds this token.`
          : ws.deploys.length
            ? ""
            : " No CI deploy was found at all."),
    );
  }
  for (const l of t.links) {
    if (l.deploy.minimal) continue;
    notes.push(
      `${l.deploy.deploy.label}${l.deploy.env ? ` (env ${l.deploy.env})` : ""}: ${l.deploy.error ?? "not analysed"}. Its needs are unknown, so no group is called unneeded and no replacement is proposed.`,
    );
  }
  live.definition.policies.forEach((p, i) => {
    if (p.effect === "deny")
      notes.push(
        `Policy ${i + 1} is a deny policy. Deny policies are not evaluated: a group it takes away still counts as granted here.`,
      );
  });
  for (const p of live.definition.problems) notes.push(`The token: ${p.message}; that entry is not judged.`);
  for (const other of ws.tokens) {
    if (other === t || !other.links.some((l) => l.secret === o.secret)) continue;
    notes.push(
      `The repository also defines a token for ${o.secret}: "${other.token.name}" in ${relative(o.root, other.token.file)}. \`check\` compares that definition; this audit compares the token Cloudflare holds.`,
    );
  }
  const placeholder = t.needs.some((n) => n.resources.some((r) => r.includes("<ACCOUNT_ID>")));
  if (placeholder) {
    const mapped = o.mapKey("com.cloudflare.api.account.<ACCOUNT_ID>");
    notes.push(
      mapped.includes("<ACCOUNT_ID>")
        ? `The deploys' config names no account id and the token names several (or all) accounts: the proposed token keeps the <ACCOUNT_ID> placeholder: fill it in${live.owner === "user" ? " (or pass --owner user --account-id ID)" : ""}.`
        : `The deploys' config names no account id: the proposed token uses ${mapped.slice("com.cloudflare.api.account.".length)}, ${live.accountId ? (live.owner === "account" ? "the account that owns the token" : "the account given with --account-id") : "the one account the live token is limited to"}.`,
    );
  }
  return notes;
}
