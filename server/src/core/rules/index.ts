// The rule registry, alphabetical by id. test/meta/rules.test.ts checks it against the rule files,
// docs/rules/<id>.md, the fixtures and the README table.
import type { Rule } from "./rule.js";
import { rule as accountLookupNeedsMemberships } from "./account-lookup-needs-memberships.js";
import { rule as allAccounts } from "./all-accounts.js";
import { rule as allZones } from "./all-zones.js";
import { rule as blastRadius } from "./blast-radius.js";
import { rule as committedTokenValue } from "./committed-token-value.js";
import { rule as deployNotAnalysed } from "./deploy-not-analysed.js";
import { rule as inactiveToken } from "./inactive-token.js";
import { rule as missingGroup } from "./missing-group.js";
import { rule as noExpiry } from "./no-expiry.js";
import { rule as noIpCondition } from "./no-ip-condition.js";
import { rule as outsideWorkspace } from "./outside-workspace.js";
import { rule as perWorkerScopingPossible } from "./per-worker-scoping-possible.js";
import { rule as r2BucketScopePossible } from "./r2-bucket-scope-possible.js";
import { rule as secretsStoreMissingWorkersScope } from "./secrets-store-missing-workers-scope.js";
import { rule as secretsStoreReadOnly } from "./secrets-store-read-only.js";
import { rule as tokenCanCreateTokens } from "./token-can-create-tokens.js";
import { rule as unneededGroup } from "./unneeded-group.js";
import { rule as unreadableTokenPart } from "./unreadable-token-part.js";
import { rule as unresolvedPlaceholder } from "./unresolved-placeholder.js";
import { rule as unsupportedCommand } from "./unsupported-command.js";
import { rule as userTokenWhereAccountFits } from "./user-token-where-account-fits.js";
import { rule as writeWhereReadSuffices } from "./write-where-read-suffices.js";
import { rule as zoneGroupsWithoutRoutes } from "./zone-groups-without-routes.js";

export const RULES: readonly Rule[] = [
  accountLookupNeedsMemberships,
  allAccounts,
  allZones,
  blastRadius,
  committedTokenValue,
  deployNotAnalysed,
  inactiveToken,
  missingGroup,
  noExpiry,
  noIpCondition,
  outsideWorkspace,
  perWorkerScopingPossible,
  r2BucketScopePossible,
  secretsStoreMissingWorkersScope,
  secretsStoreReadOnly,
  tokenCanCreateTokens,
  unneededGroup,
  unreadableTokenPart,
  unresolvedPlaceholder,
  unsupportedCommand,
  userTokenWhereAccountFits,
  writeWhereReadSuffices,
  zoneGroupsWithoutRoutes,
];
