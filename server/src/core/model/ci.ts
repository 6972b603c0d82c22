// What a CI pipeline runs: every wrangler invocation found in a workflow, with the token and account it uses.
import type { Location } from "../source.js";
import type { WranglerCommand } from "../command.js";
import type { Problem } from "../problems.js";

/** A value taken from CI: a literal, a secret/variable reference, or an expression we cannot evaluate. */
export interface CiValue {
  /** The literal value when known (e.g. an account id written in the workflow). */
  value?: string;
  /** The secret or variable name behind it (`secrets.CLOUDFLARE_API_TOKEN` → "CLOUDFLARE_API_TOKEN"). */
  secret?: string;
  /** The raw text as written (e.g. "${{ secrets.CF_TOKEN }}"). */
  raw: string;
  location: Location;
  /**
   * Where the value comes from: "literal" (written in the file), "secret" (`${{ secrets.X }}`, a GitLab
   * `$X` CI/CD variable), "variable" (`${{ vars.X }}`; `secret` then holds the variable name) or "expression"
   * (anything that cannot be evaluated statically). Absent on values built before this field existed.
   */
  origin?: "literal" | "secret" | "variable" | "expression";
}

/** One wrangler command that a pipeline runs. */
export interface CiDeploy {
  /** Where it is run from: "github-actions" (wrangler-action or run:), "gitlab-ci", … */
  source: "github-actions" | "gitlab-ci";
  /** Workflow file and the exact range of the command text (the line inside a multi-line `command:` or `run:`). */
  location: Location;
  /** The step (or job) it belongs to, for related locations and code lens. */
  stepLocation: Location;
  /** Human label: "deploy.yml › deploy › Deploy worker". */
  label: string;
  /** Parsed command (after resolving npm scripts and `npx`/`pnpm`/… prefixes). */
  command: WranglerCommand;
  /** The chain of places that led to it (workflow line → package.json script …), outermost first. */
  via: Location[];
  /** Absolute working directory the command runs in. */
  workingDirectory: string;
  /**
   * Env selected: from --env/-e, wrangler-action `environment`, or CLOUDFLARE_ENV. null when no env is
   * selected, and also when the env is written as an expression that does not evaluate to one name
   * (then `envExpression` is set). An expression that evaluates to exactly one name (a caller's `with:`
   * literal, an `env:` literal) gives that name here, with `envExpression` still set.
   */
  env: string | null;
  /**
   * When the env is an expression with a known set of values (matrix values incl. `include` entries,
   * `choice` input options, GitLab `parallel: matrix`), the candidate names; undefined otherwise.
   */
  envCandidates?: string[];
  /**
   * The env as written when it is an expression (`${{ matrix.env }}`, `${{ inputs.environment }}`,
   * `$DEPLOY_ENV`). Set with env null and envCandidates undefined, the env is unknown: consider every env.
   */
  envExpression?: string;
  envLocation?: Location;
  /**
   * True when the command is not written out but implied: wrangler-action's default `deploy` command, its
   * `secrets:` upload, or the pages-action deploy.
   */
  implicit?: boolean;
  /** Secret names uploaded by a wrangler-action `secrets:` input (for its implied `secret bulk`). */
  secretNames?: string[];
  /** wrangler-action `wranglerVersion`, or a version pinned with `npx wrangler@x`. */
  wranglerVersion?: string;
  /** wrangler-action `packageManager`, or the package manager that runs the command (npx → "npm", …). */
  packageManager?: string;
  /** wrangler-action `vars` names (appended as `--var NAME:value` to deploy commands by the action). */
  vars?: string[];
  /** The API token the command uses (apiToken input, or CLOUDFLARE_API_TOKEN / CF_API_TOKEN env). */
  token?: CiValue;
  /** The account id it uses (accountId input, or CLOUDFLARE_ACCOUNT_ID / CF_ACCOUNT_ID env). */
  accountId?: CiValue;
}

/** `wrangler secrets-store secret create` seen in CI, with its scopes (for the workers-scope rule). */
export interface CiSecretsStoreCreate {
  location: Location;
  storeId?: string;
  name?: string;
  scopes: string[];
  /** True when --remote is given (without it wrangler writes to the local store). */
  remote?: boolean;
  /** The step/job it belongs to, its label, and token/account as for CiDeploy. */
  stepLocation?: Location;
  label?: string;
  token?: CiValue;
  accountId?: CiValue;
}

/** A problem found while reading CI files, with the file it is in (a caller may report on a callee). */
export interface CiProblem extends Problem {
  file: string;
}

/** What the CI finders return. */
export interface CiScanResult {
  /** Every wrangler invocation, in file order (a wrangler-action `secrets:` upload precedes its commands). */
  deploys: CiDeploy[];
  secretsStoreCreates: CiSecretsStoreCreate[];
  problems: CiProblem[];
}
