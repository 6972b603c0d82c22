// Names and payloads the server and the VS Code client agree on beyond standard LSP. No runtime imports on
// purpose: the client bundles this file too (type-only imports are erased).
import type { AuditReport, Review } from "../core/index.js";

/** The audit report types the client shows (the Token Permissions view's audit section). */
export type { AuditPlace, AuditReport } from "../core/index.js";

/**
 * Request (client → server) for the Token Permissions view: the sections asked for (all when omitted), each a tree
 * of plain nodes. New sections (a pull-request review, say) are new ids here, with no change to the node shape.
 */
export const TREE_REQUEST = "wranglerTokenLint/tree";

/**
 * Sections the server knows: "review" (while a review is active: what the branch changes), "deploys" (what each CI
 * step or config+env+command needs, and why) and "tokens".
 */
export type TreeSectionId = "review" | "deploys" | "tokens";

export interface TreeParams {
  sections?: string[];
  /** Limit to one workspace folder (its URI); default every analysed folder. */
  folder?: string;
}

export interface TreeRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** What a node's icon shows: its kind, or the state of a grant or need. */
export type TreeNodeKind =
  | "deploy"
  | "config"
  | "token"
  | "group"
  | "reason"
  | "link"
  | "finding"
  | "note"
  | "error"
  | "needed"
  | "unneeded"
  | "too-broad"
  | "too-narrow"
  | "missing"
  | "unknown";

export interface TreeNode {
  /** Unique within the result, and stable across analyses for the same thing (used to reveal a node). */
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  kind: TreeNodeKind;
  /** Where clicking the node goes. */
  location?: { uri: string; range: TreeRange };
  children?: TreeNode[];
  /** Values a client command can use (e.g. config, env, command of a deploy for Generate Minimal Token). */
  data?: Record<string, string>;
}

export interface TreeSection {
  id: string;
  label: string;
  nodes: TreeNode[];
  /** Shown when there are no nodes. */
  empty?: string;
}

export interface TreeResult {
  sections: TreeSection[];
}

/** Notification (server → client) after each analysis of a workspace folder. */
export const STATUS_NOTIFICATION = "wranglerTokenLint/status";

export interface StatusParams {
  /** The workspace folder's URI. */
  folder: string;
  configs: number;
  deploys: number;
  tokens: number;
  /** Number of findings, all severities. */
  findings: number;
  /** Set when the analysis itself failed; the counts are then zero. */
  error?: string;
}

/**
 * Commands the server answers through workspace/executeCommand. They carry a ".server." infix because
 * vscode-languageclient registers every server command as a VS Code command, and the user-facing commands
 * (contributed in package.json) need ids of their own.
 */
export const SERVER_COMMANDS = {
  /** [{ folder?: string }] → ConfigInfo[]: the wrangler configs the last analysis saw. */
  listConfigs: "wranglerTokenLint.server.listConfigs",
  /** [{ config: string }] → string[]: environment names declared in that config. */
  listEnvironments: "wranglerTokenLint.server.listEnvironments",
  /** [{}] → DeployInfo[]: every CI command of the last analyses (for the job / step picker). */
  listDeploys: "wranglerTokenLint.server.listDeploys",
  /** [GenerateArgs] → GenerateResult. */
  generateMinimal: "wranglerTokenLint.server.generateMinimal",
  /** [{ uri: string }] → the source.fixAll edits for one document, applied through workspace/applyEdit. */
  applyFixAll: "wranglerTokenLint.server.applyFixAll",
  /** [AuditArgs] → AuditResult: the live token (already read by the client) checked against a folder's deploys. */
  auditLiveToken: "wranglerTokenLint.server.auditLiveToken",
} as const;

/** User-facing command ids (package.json contributes.commands); code lenses may point at them. */
export const CLIENT_COMMANDS = {
  generateMinimalToken: "wranglerTokenLint.generateMinimalToken",
  showRequiredPermissions: "wranglerTokenLint.showRequiredPermissions",
  restartServer: "wranglerTokenLint.restartServer",
  auditLiveToken: "wranglerTokenLint.auditLiveToken",
  forgetReadingToken: "wranglerTokenLint.forgetReadingToken",
  /** [{ base?: string }]: picks the base (or takes it) and opens the review in the Token Permissions view. */
  reviewChanges: "wranglerTokenLint.reviewChanges",
  stopReview: "wranglerTokenLint.stopReview",
  /** [{ id: string }]: shows the Token Permissions view with that node (a token or deploy id) revealed. */
  revealInView: "wranglerTokenLint.revealInView",
} as const;

export interface ConfigInfo {
  /** file URI of the wrangler config */
  uri: string;
  /** Path relative to its workspace folder, for pickers. */
  label: string;
}

export type TokenFormat = "api" | "terraform" | "url" | "json" | "text";

/** One CI command as the pickers show it; `id` is its Token Permissions node id. */
export interface DeployInfo {
  id: string;
  /** "deploy.yml › deploy › Deploy" */
  label: string;
  /** The job it runs in ("deploy.yml › deploy"). */
  job: string;
  /** Without "wrangler". */
  command: string;
  env?: string;
  /** Its wrangler config, relative to the folder. */
  config?: string;
  /** The workflow file's URI. */
  file: string;
}

export interface GenerateArgs {
  /** file URI of the wrangler config (not needed with `deploys`) */
  config?: string;
  /** DeployInfo ids: the token for all of them (a CI job or step), instead of config + env + command. */
  deploys?: string[];
  env?: string;
  command?: string;
  format: TokenFormat;
  /** Who owns the token (as `minimal --owner`; default account). Not used with `deploys`. */
  owner?: "account" | "user";
}

export type GenerateResult = { text: string } | { error: string };

export interface AuditArgs {
  /** The workspace folder's URI (default: the first folder the server analyses). */
  folder?: string;
  /** The API answer's `result` for the token (GET …/tokens/{id}); the client read it. Holds no token value. */
  token: unknown;
  owner: "user" | "account";
  accountId?: string;
  /** The CI secret that holds the token. */
  secret: string;
  /** The requests the client made, for the report. */
  requests?: string[];
}

/** The report as data (for a later Token Permissions view) and as Markdown (the report document shown now). */
export type AuditResult = { report: AuditReport; markdown: string } | { error: string };

/**
 * Request (client → server): review the folder's branch against a base revision (*Review Token Permission
 * Changes…*). The review stays active, refreshed after every analysis of the folder, until REVIEW_STOP_REQUEST:
 * the Token Permissions view gets a "review" section, findings new on the branch get NEW_ON_BRANCH in front of
 * their message, and each changed token a code lens.
 */
export const REVIEW_REQUEST = "wranglerTokenLint/review";
export const REVIEW_STOP_REQUEST = "wranglerTokenLint/reviewStop";

export interface ReviewParams {
  /** The workspace folder's URI (default: the first folder the server analyses). */
  folder?: string;
  /** The base revision, best a commit ("3f2a1c9…"); empty: the git CLI's default (merge-base with the default branch). */
  base: string;
  /** Shown in the view: "merge-base with origin/main (3f2a1c9)". */
  label?: string;
  /** Short name for lenses: "main" → "+2 groups vs main". */
  short?: string;
  /**
   * The base's files relative to `top`, listed by the client (VS Code's git API); the server then reads each text
   * it needs with BASE_FILE_REQUEST. Omitted: the server reads the base with the git CLI (ls-tree, cat-file).
   */
  files?: string[];
  /** The repository's top folder (file URI) the `files` are relative to; default the folder. */
  top?: string;
}

export type ReviewResult =
  | { base: string; commit?: string; summary: Review["summary"]; fails: boolean; reasons: string[]; notes: string[] }
  | { error: string };

/** Request (server → client): a base file's text `{ ref, path }` (path relative to `top`) → string, or null when absent. */
export const BASE_FILE_REQUEST = "wranglerTokenLint/baseFile";

export interface BaseFileParams {
  ref: string;
  path: string;
}

/** Notification (server → client) after a review was computed again (`{ folder }`); the view refreshes. */
export const REVIEW_CHANGED_NOTIFICATION = "wranglerTokenLint/reviewChanged";

/** Put in front of the message of a finding that is new on the branch while a review is active (filter on it). */
export const NEW_ON_BRANCH = "[new on branch] ";
