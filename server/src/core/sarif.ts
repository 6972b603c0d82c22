// The SARIF 2.1.0 pieces every report shares (check, diff, audit): rule metadata from the registry, levels and
// physical locations. A rule's helpUri is its page (docs/rules/<id>.md) as the caller found it installed; when
// the caller has no page for it the entry has no URI rather than a link to a page that does not exist. Pure.
import { RULES } from "./rules/index.js";
import type { Severity } from "./problems.js";

/** The page of a rule (a URI that exists), or undefined. */
export type RuleDocs = (rule: string) => string | undefined;

export const SARIF_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };

/** Every registered rule, then any other codes the results use (file problems), in that order. */
export function sarifRuleIds(used: string[]): string[] {
  return [...new Set([...RULES.map((r) => r.id), ...used])];
}

export function sarifRule(id: string, docs: RuleDocs): object {
  const r = RULES.find((x) => x.id === id);
  if (!r)
    return {
      id,
      name: id,
      shortDescription: { text: `File problem: ${id}` },
      defaultConfiguration: { level: "error" },
    };
  const uri = docs(id);
  return {
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.title },
    ...(uri
      ? { helpUri: uri, help: { text: `${r.title}. See ${uri}`, markdown: `${r.title}. See [${id}](${uri}).` } }
      : { help: { text: `${r.title}. See docs/rules/${id}.md in the wrangler-token-lint package.` } }),
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
    properties: { tags: ["security", "least-privilege"] },
  };
}

/** A root-relative file position (1-based; end column exclusive) as a SARIF physical location. */
export function sarifLocation(
  file: string,
  line: number,
  column: number,
  endLine?: number,
  endColumn?: number,
): { physicalLocation: object } {
  return {
    physicalLocation: {
      artifactLocation: { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" },
      region: { startLine: line, startColumn: column, ...(endLine ? { endLine, endColumn } : {}) },
    },
  };
}

/** The log around one run's rules and results. */
export function sarifLog(
  ruleIds: string[],
  docs: RuleDocs,
  version: string,
  results: object[],
  properties?: object,
): object {
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "wrangler-token-lint", version, rules: ruleIds.map((id) => sarifRule(id, docs)) } },
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
        results,
        ...(properties ? { properties } : {}),
      },
    ],
  };
}
