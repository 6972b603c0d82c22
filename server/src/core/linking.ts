// Token ↔ deploy links: which deploys each token definition serves (a Terraform secret fed from the token, the
// tokenSecrets setting, or a name spelled like the CI secret), and the needs of those deploys merged by group.
// Each token's analysis is kept in the workspace database while its definition and linked deploys are the same.
import { commandText } from "./command.js";
import type { Database } from "./db.js";
import type { Location } from "./source.js";
import { basename, relative } from "./path.js";
import type { TokenDefinition } from "./model/token.js";
import { grantsOf, needsForOwner, tokenOwnerOf, type Need } from "./compare.js";
import type { DeployAnalysis, LinkKind, TokenAnalysis } from "./rules/rule.js";
import type { WorkspaceOptions } from "./project-config.js";

function normalizeSecret(s: string): string {
  return s
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Keys under which a token can be named in the tokenSecrets setting. */
export function tokenKeys(token: TokenDefinition, root: string): string[] {
  const rel = relative(root, token.file);
  return [token.name, token.address, rel, `${rel}#${token.name}`].filter((k): k is string => !!k);
}

/** The deploys by CI secret, and the secrets by their normalised spelling: built once per analysis. */
export interface DeployIndex {
  bySecret: Map<string, DeployAnalysis[]>;
  /** Normalised secret → the secrets spelled so, in deploy order. */
  byNormalized: Map<string, string[]>;
}

export function indexDeploys(deploys: readonly DeployAnalysis[]): DeployIndex {
  const bySecret = new Map<string, DeployAnalysis[]>();
  const byNormalized = new Map<string, string[]>();
  for (const d of deploys) {
    const s = d.deploy.token?.secret;
    if (!s) continue;
    const list = bySecret.get(s);
    if (list) list.push(d);
    else {
      bySecret.set(s, [d]);
      const n = normalizeSecret(s);
      const same = byNormalized.get(n);
      if (same) same.push(s);
      else byNormalized.set(n, [s]);
    }
  }
  return { bySecret, byNormalized };
}

/** The secrets a token is stored under, and how each was found. */
function secretsOf(
  token: TokenDefinition,
  index: DeployIndex,
  root: string,
  opts: WorkspaceOptions,
): { secret: string; via: LinkKind }[] {
  const secrets: { secret: string; via: LinkKind }[] = token.secretLinks.map((l) => ({
    secret: l.secret,
    via: "terraform-secret" as const,
  }));
  const settings = opts.tokenSecrets ?? {};
  // Own keys only: a token named "valueOf" or "constructor" has no settings entry.
  for (const k of tokenKeys(token, root))
    for (const s of Object.hasOwn(settings, k) && Array.isArray(settings[k]) ? settings[k] : [])
      secrets.push({ secret: s, via: "settings" });
  if (!secrets.length) {
    // Name match: the token's name, Terraform resource name or file name spelled like a CI secret.
    const candidates = new Set(
      [token.name, token.address?.split(".").pop(), basename(token.file).replace(/\.[^.]+$/, "")]
        .filter((x): x is string => !!x)
        .map(normalizeSecret),
    );
    const matched: string[] = [];
    for (const c of candidates)
      for (const s of index.byNormalized.get(c) ?? []) if (!matched.includes(s)) matched.push(s);
    for (const s of matched) secrets.push({ secret: s, via: "name-match" });
  }
  return secrets;
}

/** The links of a token to the deploys whose secret is one of `secrets`, in deploy order. */
function linksOf(
  secrets: { secret: string; via: LinkKind }[],
  index: DeployIndex,
  order: Map<DeployAnalysis, number>,
): TokenAnalysis["links"] {
  const links: TokenAnalysis["links"] = [];
  const done = new Set<string>();
  for (const x of secrets) {
    if (done.has(x.secret)) continue;
    done.add(x.secret);
    for (const d of index.bySecret.get(x.secret) ?? []) links.push({ deploy: d, via: x.via, secret: x.secret });
  }
  return links.sort((a, b) => order.get(a.deploy)! - order.get(b.deploy)!);
}

export function linkToken(
  db: Database,
  token: TokenDefinition,
  index: DeployIndex,
  order: Map<DeployAnalysis, number>,
  root: string,
  opts: WorkspaceOptions,
): TokenAnalysis {
  const links = linksOf(secretsOf(token, index, root, opts), index, order);
  const key = `${root}\u0000${token.file}\u0000${token.span.start}\u0000${token.address ?? token.name}`;
  // Reused (the same object, so what is derived from it is reused too) while the token and its links are the same.
  return db.memo("token-analysis", key, [token, ...links.flatMap((l) => [l.deploy, l.via, l.secret])], () => ({
    token,
    links,
    grants: grantsOf(token),
    needs: needsForOwner(mergeNeeds(links.map((l) => l.deploy)), tokenOwnerOf(token)),
  }));
}

/** A token from outside the workspace: linked to exactly the deploys whose secret is one of `secrets`. */
export function linkExtraToken(
  token: TokenDefinition,
  secrets: string[],
  index: DeployIndex,
  order: Map<DeployAnalysis, number>,
): TokenAnalysis {
  const links = linksOf(
    secrets.map((secret) => ({ secret, via: "audit" as const })),
    index,
    order,
  );
  return { token, links, grants: grantsOf(token), needs: mergeNeeds(links.map((l) => l.deploy)) };
}

/** Needs of a set of deploys, merged by group. */
export function mergeNeeds(deploys: DeployAnalysis[]): Need[] {
  const byGroup = new Map<
    string,
    { need: Need; api: Set<string>; causes: Set<string>; resources: Set<string>; count: number }
  >();
  for (const d of deploys) {
    if (!d.minimal) continue;
    const step: Location = d.deploy.location;
    for (const r of d.minimal.requirements) {
      const key = `${r.group.scope}:${r.group.name}`;
      let entry = byGroup.get(key);
      if (!entry) {
        entry = {
          need: { group: r.group, resources: [], causes: [], api: [] },
          api: new Set(),
          causes: new Set(),
          resources: new Set(),
          count: 0,
        };
        byGroup.set(key, entry);
      }
      const { need } = entry;
      // Marked only while every deploy's requirement of this group is one only user-owned tokens have.
      if (entry.count++ === 0 && r.userTokenOnly) need.userTokenOnly = true;
      else if (!r.userTokenOnly) delete need.userTokenOnly;
      for (const res of r.resources) {
        if (entry.resources.has(res)) continue;
        entry.resources.add(res);
        need.resources.push(res);
      }
      for (const reason of r.reasons) {
        for (const a of reason.api) {
          if (entry.api.has(a)) continue;
          entry.api.add(a);
          need.api.push(a);
        }
        const loc = reason.cause.location ?? step;
        const k = `${loc.file}\u0000${loc.span.start}`;
        if (!entry.causes.has(k)) {
          entry.causes.add(k);
          need.causes.push({ ...loc, message: reason.cause.why });
        }
      }
      const k = `${step.file}\u0000${step.span.start}`;
      if (!entry.causes.has(k)) {
        entry.causes.add(k);
        need.causes.push({
          ...step,
          message: `${d.deploy.label}: \`wrangler ${commandText(d.deploy.command.argv)}\`${d.env ? ` (env ${d.env})` : ""}`,
        });
      }
    }
  }
  return [...byGroup.values()].map((e) => e.need);
}
