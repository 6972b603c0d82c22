// JSON output of the CLI's commands: check's stable contract (schemaVersion 1); diff and audit print their
// report objects as they are.
import type { WorkspaceResult } from "../../core/index.js";
import type { Reported } from "./findings.js";

export function checkJson(root: string, summary: WorkspaceResult["summary"], findings: Reported[]): string {
  return JSON.stringify({ schemaVersion: 1, root, summary, findings }, null, 2) + "\n";
}

/** A report object (diff's review, audit's report, minimal's result) as indented JSON. */
export function asJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
