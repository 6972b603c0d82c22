// What a CI pipeline runs: every wrangler invocation found in a workflow, with the token and account it uses.
import type { Location } from "../source.js";
import type { WranglerCommand } from "../command.js";

/** A value taken from CI: a literal, a secret/variable reference, or an expression we cannot evaluate. */
export interface CiValue {
  /** The literal value when known (e.g. an account id written in the workflow). */
  value?: string;
  /** The secret or variable name behind it (`secrets.CLOUDFLARE_API_TOKEN` → "CLOUDFLARE_API_TOKEN"). */
  secret?: string;
  /** The raw text as written (e.g. "${{ secrets.CF_TOKEN }}"). */
  raw: string;
  location: Location;
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
  /** Env selected: from --env/-e, wrangler-action `environment`, or CLOUDFLARE_ENV; null when none. */
  env: string | null;
  /** When the env is an expression (matrix values or inputs), the candidate names; undefined if unknown. */
  envCandidates?: string[];
  envLocation?: Location;
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
}
