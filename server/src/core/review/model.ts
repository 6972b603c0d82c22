// The review of a branch: what changes between two snapshots (base, head) in what each deploy needs, what
// each token grants, and which findings appear or go. This is the JSON contract of `diff --format json`
// (schemaVersion 1); places are root-relative with 1-based lines, on the side they belong to.

/** A place in one snapshot: "head" for what the branch has, "base" for what it had. */
export interface ReviewPlace {
  side: "base" | "head";
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface GroupDelta {
  /** Catalog API name ("D1 Write") and label ("D1: Edit"). */
  group: string;
  label: string;
  scope: "account" | "zone" | "user" | "r2-bucket";
  resources: string[];
  /** Only a user-owned token needs it (wrangler's account lookup). */
  userTokenOnly?: true;
  /** The lines behind it: in head for an added group, in base for a removed one. */
  causes: ReviewPlace[];
}

export interface ResourceDelta {
  group: string;
  label: string;
  added: string[];
  removed: string[];
  /** Reasons that appear in head (for added resources) or went from base (for removed ones). */
  causes: ReviewPlace[];
}

/** A group a deploy needs in head that its token does not grant, where base did not lack it. */
export interface Lack {
  group: string;
  label: string;
  resources: string[];
  /** The token definition(s) linked to the deploy's secret. */
  tokens: string[];
  causes: ReviewPlace[];
}

export interface DeployDelta {
  /** "ci": a wrangler command a workflow runs; "config": a config's `wrangler deploy` that no workflow runs. */
  kind: "ci" | "config";
  status: "added" | "removed" | "changed";
  /** How base and head were paired: "same place", "same job and step", "same Worker", "same config". */
  matchedBy?: string;
  /** Label in head (else base): "deploy.yml › deploy › Deploy", "wrangler.toml (env production)". */
  label: string;
  baseLabel?: string;
  command: string;
  env: string | null;
  config: { base?: string; head?: string };
  scriptName: string | null;
  /** The step or config in head and in base. */
  place: { base?: ReviewPlace; head?: ReviewPlace };
  groupsAdded: GroupDelta[];
  groupsRemoved: GroupDelta[];
  resources: ResourceDelta[];
  token: { base?: string; head?: string; definitions: string[] };
  /** Groups it needs in head that its token lacks, where it did not lack them in base. */
  newlyLacking: Lack[];
  /** Why part of the delta is not known (an analysis failed on one side, the token is not in the repository). */
  unknowns: string[];
}

export interface GrantDelta {
  group: string;
  label: string;
  resource: string;
  /** "allow" grants; "deny" policies taken away widen the token too. */
  effect: "allow" | "deny";
  /** For an added grant: does a deploy linked to the token need it in head? undefined when the token is unlinked. */
  needed?: boolean;
  /** For an added allow grant: true when no base grant already gave it (new access). */
  widens?: boolean;
  place: ReviewPlace;
}

export interface TokenDelta {
  status: "added" | "removed" | "changed";
  matchedBy?: string;
  name: string;
  address?: string;
  file: { base?: string; head?: string };
  place: { base?: ReviewPlace; head?: ReviewPlace };
  added: GrantDelta[];
  removed: GrantDelta[];
  /** True when head grants something base did not (a grant not covered by base's, or a deny taken away). */
  widened: boolean;
  unknowns: string[];
}

export interface ReviewFinding {
  rule: string;
  severity: "error" | "warning" | "info";
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: { file: string; line: number; column: number; message: string }[];
  fixes: string[];
}

export interface Review {
  schemaVersion: 1;
  base: string;
  head: string;
  root: string;
  summary: {
    deploysChanged: number;
    tokensChanged: number;
    tokensWidened: number;
    deploysLacking: number;
    findingsNew: number;
    findingsFixed: number;
    findingsUnchanged: number;
  };
  /** Exit 1: the branch widens a token or makes a deploy need a group its token lacks. */
  fails: boolean;
  reasons: string[];
  deploys: DeployDelta[];
  tokens: TokenDelta[];
  findings: { new: ReviewFinding[]; fixed: ReviewFinding[]; unchanged: ReviewFinding[] };
  /** What the review could not see (unreadable files, analyses that failed on one side). */
  notes: string[];
}
