// What a rule is: stable kebab-case id (also its fixture folder, docs page docs/rules/<id>.md, diagnostic code
// and suppression token), a default severity, and a check over the analysed workspace.
import type { Finding } from "../findings.js";
import type { Severity } from "../problems.js";
import type { Host } from "../host.js";
import type { SourceFile } from "../source.js";
import type { CiDeploy, CiSecretsStoreCreate } from "../model/ci.js";
import type { TokenDefinition } from "../model/token.js";
import type { ConfigFile, ResolvedConfig } from "../model/wrangler.js";
import type { MinimalAnalysis } from "../minimal.js";
import type { Grant, Need } from "../compare.js";
import type { PlacedRefusal } from "../refusals.js";

export type FixKind = "edit" | "rewrite-to-minimal";
export type ContextPart = "configs" | "deploys" | "tokens" | "secretsStoreCreates" | "refusals";

export interface Rule {
  id: string;
  /** One line, for the README table and SARIF shortDescription. */
  title: string;
  defaultSeverity: Severity;
  /** True when the rule can offer a text-edit fix. */
  fixable: boolean;
  /**
   * The fixes its findings offer: "edit" (the rule's own text edit) and "rewrite-to-minimal" (the workspace adds
   * the whole-token rewrite to the minimal token to findings about what a linked token grants).
   */
  fixKinds: readonly FixKind[];
  /** What a finding of this rule on a grant makes that grant in the token's status (code lens, hover, view). */
  grantState?: { state: "too-broad" | "unneeded"; note: string };
  /** For a finding on a token's name: the part of the live token's JSON it is about (`audit`), when one. */
  livePath?: string;
  /** The rule's page, relative to the package root (docs/rules/<id>.md). */
  docs: string;
  /**
   * The rule looks at one token at a time (it reads only `ctx.tokens`, `ctx.today`, `ctx.source`): the workspace
   * runs it per token and keeps each token's findings while the token's analysis is the same.
   */
  perToken?: true;
  /** For the other rules: the parts of the context it reads; its findings are kept while those are the same. */
  reads?: readonly ContextPart[];
  check(ctx: RuleContext): Omit<Finding, "rule" | "severity">[];
}

/** One deploy a pipeline runs, analysed for one environment. */
export interface DeployAnalysis {
  deploy: CiDeploy;
  env: string | null;
  configPath: string | undefined;
  config: ResolvedConfig | undefined;
  /** Undefined when the analysis failed (then `error` says why). */
  minimal: MinimalAnalysis | undefined;
  error?: string;
  /** The command is not one the tool can answer (unknown, or API calls not in the catalog); `error` says so. */
  unsupported?: true;
}

/** "audit": the live token `audit` read, linked to the secret it was asked about. */
export type LinkKind = "terraform-secret" | "settings" | "name-match" | "audit";

export interface TokenAnalysis {
  token: TokenDefinition;
  /** The deploys this token serves, and how each link was found. */
  links: { deploy: DeployAnalysis; via: LinkKind; secret: string }[];
  grants: Grant[];
  /** Needs of the linked deploys, merged by group; empty when the token is unlinked. */
  needs: Need[];
}

export interface ConfigInfo {
  path: string;
  file: ConfigFile;
  /** Worker or Pages project names it deploys (per env, `<name>-<env>`). */
  scriptNames: string[];
  isPages: boolean;
}

export interface RuleContext {
  host: Host;
  root: string;
  /** Current date as YYYY-MM-DD (injected so the core reads no clock; tests pin it). */
  today: string;
  configs: ConfigInfo[];
  deploys: DeployAnalysis[];
  tokens: TokenAnalysis[];
  secretsStoreCreates: CiSecretsStoreCreate[];
  /** Reads refused because they lead outside the root or into a folder already read, with where they came from. */
  refusals: PlacedRefusal[];
  source(file: string): SourceFile | undefined;
}
