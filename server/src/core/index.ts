// The core's surface for its adapters (lsp/, cli/, node/ and the entry files): they import the core only from
// here (test/meta/core-purity.test.ts checks it), so what the core offers them is listed in one place.

export { callPath, clean, explainApiFailure, readPermission } from "./audit/errors.js";
export type { ApiErrorEntry, ApiFailure } from "./audit/errors.js";
export { readLiveToken } from "./audit/live.js";
export type { LiveTokenSource, TokenOwner } from "./audit/live.js";
export { renderAuditMarkdown, renderAuditText } from "./audit/render.js";
export { auditWorkspace } from "./audit/report.js";
export type { AuditPlace, AuditReport } from "./audit/report.js";
export { renderAuditSarif } from "./audit/sarif.js";
export { commandText, parseWranglerCommand } from "./command.js";
export type { Need } from "./compare.js";
export { deployNodeId, tokenNodeId } from "./editor-text.js";
export { Database } from "./db.js";
export type { Finding, Fix, TextEdit } from "./findings.js";
export { problemAsFinding } from "./findings.js";
export type { Host } from "./host.js";
export { analyzeMinimal } from "./minimal.js";
export { environments, readConfigFile } from "./model/wrangler.js";
export { MAX_TEXT_LENGTH, fileTooLarge } from "./parse/limits.js";
export { basename, dirname, join, normalize, relative, resolve } from "./path.js";
export type { Owner } from "./permissions/fallback.js";
export type { Requirement } from "./permissions/require.js";
export { createTokenBody, dashboardUrl, terraform } from "./permissions/spec.js";
export type { Problem, Severity } from "./problems.js";
export { callLabel, compare, explainFailure } from "./record/compare.js";
export type { CallAuth, Comparison, PredictedRequirement, RecordedCall } from "./record/compare.js";
export { findWranglerArgs, templatePath } from "./record/template.js";
export { renderText } from "./render.js";
export { renderReviewMarkdown, renderReviewText } from "./review/render.js";
export { shortName } from "./review/editor-base.js";
export type {
  DeployDelta,
  GrantDelta,
  GroupDelta,
  Review,
  ReviewFinding,
  ReviewPlace,
  TokenDelta,
} from "./review/model.js";
export { reviewAnalyses, reviewSnapshots } from "./review/review.js";
export type { AnalysedSide } from "./review/review.js";
export { analyzeSnapshot, openSnapshot } from "./review/snapshot.js";
export type { RevisionSource, Snapshot } from "./review/snapshot.js";
export { RULES } from "./rules/index.js";
export type { DeployAnalysis, TokenAnalysis } from "./rules/rule.js";
export { LineIndex, SourceFile } from "./source.js";
export type { Location, Span } from "./source.js";
export { commentPrefix } from "./suppress.js";
export { grantHint, statusSummary } from "./token-status.js";
export type { TokenStatus } from "./token-status.js";
export type { HclParser } from "./tokens/hcl.js";
export { createHclParser } from "./tokens/hcl-parser.js";
export type { TreeSitterModule } from "./tokens/hcl-parser.js";
export { providerPinFor } from "./tokens/provider.js";
export type { ProviderPin } from "./tokens/provider.js";
export { analyzeWorkspace } from "./workspace.js";
export type { SeveritySetting, WorkspaceOptions, WorkspaceResult } from "./workspace.js";
export {
  ACTIVATION_GLOBS,
  CONFIG_NAMES,
  FILE_GLOBS,
  PROJECT_FILE,
  fileKind,
  isConfigName,
  looseRoot,
} from "./files.js";
export type { FileKind } from "./files.js";
export {
  CLI_FLAGS,
  OPTIONS_SCHEMA,
  SERVER_OPTIONS,
  SEVERITY_SETTINGS,
  defaultOptions,
  normalizeOptions,
  optionJsonSchema,
} from "./options.js";
export type { OptionName, OptionProblem, Options } from "./options.js";
export { applyTextEdits, fixAllEdits, ignoreCommentEdit } from "./fix-all.js";
export { SARIF_LEVEL, sarifLocation, sarifLog, sarifRule, sarifRuleIds } from "./sarif.js";
export type { RuleDocs } from "./sarif.js";
export { MINIMAL_FORMATS, renderMinimal } from "./render.js";
export type { MinimalFormat } from "./render.js";
