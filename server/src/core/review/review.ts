// Reviews a branch: both snapshots go through the same workspace analysis, then deploys, tokens and findings
// are paired and compared. The base is just another file source (a Host over a git revision).
import type { Host } from "../host.js";
import type { WorkspaceDeps, WorkspaceOptions, WorkspaceResult } from "../workspace.js";
import { analyzeSnapshot, type Snapshot } from "./snapshot.js";
import { placer } from "./places.js";
import { deployUnits } from "./units.js";
import { diffDeploys } from "./deploys.js";
import { diffTokens } from "./tokens.js";
import { diffFindings, reviewFindings } from "./findings.js";
import type { Review, TokenDelta } from "./model.js";

export type { Review } from "./model.js";

export async function reviewSnapshots(
  base: Snapshot & { settle?(): Promise<boolean> },
  head: Snapshot & { settle?(): Promise<boolean> },
  root: string,
  options: WorkspaceOptions = {},
  deps: WorkspaceDeps = {},
): Promise<Review> {
  const bws = await analyzeSnapshot(base, root, options, deps);
  const hws = await analyzeSnapshot(head, root, options, deps);
  return reviewAnalyses(
    { label: base.label, host: base.host, ws: bws },
    { label: head.label, host: head.host, ws: hws },
    root,
  );
}

/** One side already analysed: its label, the Host it was read through, and the analysis. */
export interface AnalysedSide {
  label: string;
  host: Host;
  ws: WorkspaceResult;
}

/** The review of two analyses (an editor keeps the base's analysis and analyses only the head again on edits). */
export function reviewAnalyses(b: AnalysedSide, h: AnalysedSide, root: string): Review {
  const base = { label: b.label, host: b.host };
  const head = { label: h.label, host: h.host };
  const bws = b.ws;
  const hws = h.ws;
  const bAt = placer("base", base.host, root);
  const hAt = placer("head", head.host, root);
  const deploys = diffDeploys(deployUnits(bws, base.host, root), deployUnits(hws, head.host, root), bAt, hAt);
  const tokens = diffTokens(bws.tokens, hws.tokens, bAt, hAt);
  const renames = new Map<string, string>();
  for (const [b, h] of [...deploys.files, ...tokens.files])
    if (bAt.rel(b) !== hAt.rel(h)) renames.set(bAt.rel(b), hAt.rel(h));
  const findings = diffFindings(reviewFindings(bws, bAt), reviewFindings(hws, hAt), renames);
  const widened = tokens.deltas.filter((t) => t.widened);
  const lacking = deploys.deltas.filter((d) => d.newlyLacking.length);
  const reasons = [
    ...widened.map(widenReason),
    ...lacking.flatMap((d) =>
      d.newlyLacking.map(
        (l) => `${d.label} now needs ${l.label} (${l.group}), which ${l.tokens.join(", ")} does not grant`,
      ),
    ),
  ];
  const notes: string[] = [];
  if (bws.summary.configs + bws.summary.deploys + bws.summary.tokens === 0)
    notes.push(`the base (${base.label}) has no wrangler config, CI deploy or token definition under this folder`);
  return {
    schemaVersion: 1,
    base: base.label,
    head: head.label,
    root: ".",
    summary: {
      deploysChanged: deploys.deltas.length,
      tokensChanged: tokens.deltas.length,
      tokensWidened: widened.length,
      deploysLacking: lacking.length,
      findingsNew: findings.new.length,
      findingsFixed: findings.fixed.length,
      findingsUnchanged: findings.unchanged.length,
    },
    fails: reasons.length > 0,
    reasons,
    deploys: deploys.deltas,
    tokens: tokens.deltas,
    findings,
    notes,
  };
}

function widenReason(t: TokenDelta): string {
  const grants = t.added.filter((g) => g.widens).map((g) => `${g.label} on ${g.resource}`);
  const denies = t.removed.filter((g) => g.effect === "deny").map((g) => `${g.label} on ${g.resource}`);
  const parts = [
    ...(grants.length ? [`grants ${grants.join(", ")}${t.status === "added" ? "" : " that base did not"}`] : []),
    ...(denies.length ? [`no longer denies ${denies.join(", ")}`] : []),
  ];
  return `${t.status === "added" ? "new token" : "token"} ${t.name} ${parts.join("; ")}`;
}
