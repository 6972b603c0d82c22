// A token definition as written in the repository: a Cloudflare create-token JSON body, or a Terraform
// cloudflare_api_token / cloudflare_account_token resource (provider v4 or v5).
import type { Location, Span } from "../source.js";

export interface TokenDefinition {
  /** "api-json" (create-token body), "terraform". */
  format: "api-json" | "terraform";
  /** "user" (POST /user/tokens, cloudflare_api_token) or "account" (POST /accounts/{id}/tokens, cloudflare_account_token). */
  owner: "user" | "account" | "unknown";
  file: string;
  /** The whole definition (the JSON object, or the resource block). */
  span: Span;
  /** Display name: the token's `name` when literal, else the Terraform address. */
  name: string;
  nameSpan?: Span;
  /** Terraform: "cloudflare_api_token.deploy"; JSON: undefined. */
  address?: string;
  /** Terraform provider generation the syntax belongs to (v4: policy blocks; v5: policies list). */
  terraformVersion?: 4 | 5;
  /** Terraform: what the token's module offers an edit of it. */
  module?: TerraformModuleInfo;
  /** Terraform `cloudflare_account_token`: the `account_id` attribute as written (`var.account_id`, `"0123…"`). */
  accountIdText?: string;
  policies: TokenPolicy[];
  /** Span of the policies list / the last policy block (where a new policy would be inserted). */
  policiesSpan?: Span;
  expiresOn?: { value: string; span: Span };
  notBefore?: { value: string; span: Span };
  /** request_ip condition, when present. */
  ipCondition?: { in: string[]; notIn: string[]; span: Span };
  /** Secret names this token is stored under (from github_actions_secret resources etc.), with where that was seen. */
  secretLinks: { secret: string; location: Location }[];
  /**
   * Problems reading this definition (unresolvable ids, unknown group names, dynamic expressions).
   * `affectsGrants`: a group or resource could not be read, so the token may grant more than was read.
   */
  problems: { message: string; span: Span; affectsGrants?: boolean }[];
  /** Set when the token was read from the Cloudflare API (`audit`) rather than from a file of the workspace. */
  live?: LiveTokenState;
}

export interface TerraformModuleInfo {
  /** The Cloudflare provider the module pins (lock file, else required_providers). */
  provider?: { major: number; written: string; file: string };
  /** Variables the module declares. */
  variables: string[];
  /** `data "cloudflare_zone"` blocks by the zone name they look up: name → "data.cloudflare_zone.x". */
  zones: Record<string, string>;
  /** Permission-group list data sources by the group name they filter on: name → "data.<type>.x". */
  groupLookups: Record<string, string>;
  /** The v4 `data "cloudflare_api_token_permission_groups"` block's address, when declared. */
  v4Groups?: string;
}

/** What the API says about a live token beyond its policies (GET /user/tokens/{id}, /accounts/{id}/tokens/{id}). */
export interface LiveTokenState {
  id: string;
  /** "active", "disabled" or "expired" as the API reports it; undefined when the answer had no status. */
  status?: string;
  /** The account that owns it (account-owned tokens). */
  accountId?: string;
  issuedOn?: string;
  modifiedOn?: string;
  lastUsedOn?: string;
}

export interface TokenPolicy {
  span: Span;
  effect: "allow" | "deny";
  groups: GrantedGroup[];
  /** Span of the permission_groups list (to add a group). */
  groupsSpan: Span;
  resources: GrantedResource[];
  /** Span of the resources map (to rewrite it). */
  resourcesSpan: Span;
}

export interface GrantedGroup {
  /** The group's 32-hex id when known (literal, or resolved from a name lookup). */
  id?: string;
  /** The name or label as written (e.g. `account["Workers Scripts Write"]`, "Workers Scripts: Edit"). */
  written: string;
  /** The catalog's API name once resolved (by id or by name/label). */
  name?: string;
  /** Span of this group's entry in the list (for removal). */
  span: Span;
  /**
   * Set when the entry is one of several groups one expression yields (`values(data.….account)`, a `for` over a
   * list data source): `span` is that expression's, so the entry cannot be removed or edited on its own. `every`
   * says which whole Cloudflare list the expression grants ("every account permission group (account)"); the
   * entries are the catalog's groups of it.
   */
  fromExpression?: { text: string; every?: string };
}

export interface GrantedResource {
  /** Resource key with variables left as written, e.g. "com.cloudflare.api.account.${var.account_id}". */
  key: string;
  /** "*" or a nested map (account → zones). */
  value: string | GrantedResource[];
  span: Span;
  keySpan: Span;
}
