// Runs the rules over an analysed workspace: severities from the options ("off" skips a rule), suppression
// comments, a stable order, and the whole-token "rewrite to the minimal token" fix on the findings of the rules
// that declare it (`fixKinds`). A rule that throws becomes an internal-error problem, never a crash.
import type { Finding, Fix } from "./findings.js";
import type { Problem } from "./problems.js";
import { isSuppressed } from "./suppress.js";
import { RULES } from "./rules/index.js";
import { rewriteToMinimalFix } from "./rewrite.js";
import type { Rule, RuleContext, TokenAnalysis } from "./rules/rule.js";
import type { Database } from "./db.js";
import type { WorkspaceOptions } from "./project-config.js";

type RawFinding = ReturnType<Rule["check"]>[number];

export function runRules(db: Database, ctx: RuleContext, opts: WorkspaceOptions, problems: (Problem & { file: string })[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const setting = opts.ruleSeverities?.[rule.id];
    if (setting === "off") continue;
    const severity = setting ?? rule.defaultSeverity;
    let raw: readonly RawFinding[];
    try {
      raw = check(db, rule, ctx);
    } catch (err) {
      problems.push({ code: "internal-error", severity: "error", message: `rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}`, span: { start: 0, end: 0 }, file: ctx.root });
      continue;
    }
    for (const f of raw) {
      const src = ctx.source(f.location.file);
      if (src && isSuppressed(src, f.location.span.start, rule.id)) continue;
      // Copied: the rule's own findings are kept in the database and must not collect the workspace's fixes.
      findings.push({ ...f, rule: rule.id, severity, fixes: [...f.fixes] });
    }
  }
  return findings.sort((a, b) => cmp(a.location.file, b.location.file) || a.location.span.start - b.location.span.start || cmp(a.rule, b.rule));
}

/** A rule's findings, kept in the database per token (perToken rules) or per workspace with what the rule reads. */
function check(db: Database, rule: Rule, ctx: RuleContext): readonly RawFinding[] {
  if (rule.perToken) {
    return ctx.tokens.flatMap((t) => {
      const key = `${rule.id}\u0000${ctx.root}\u0000${t.token.file}\u0000${t.token.span.start}\u0000${t.token.address ?? t.token.name}`;
      return db.memo("rule-token", key, [t, ctx.today], () => rule.check({ ...ctx, tokens: [t] }));
    });
  }
  if (!rule.reads) return rule.check(ctx);
  const inputs: unknown[] = [ctx.today];
  for (const part of rule.reads) inputs.push(part, ctx[part].length, ...ctx[part]);
  return db.memo("rule", `${rule.id}\u0000${ctx.root}`, inputs, () => rule.check(ctx));
}

const REWRITE_RULES = new Set(RULES.filter((r) => r.fixKinds.includes("rewrite-to-minimal")).map((r) => r.id));

/** The token definition whose text holds `offset` in `file`. */
export function tokenAt(tokens: readonly TokenAnalysis[], file: string, offset: number): TokenAnalysis | undefined {
  return tokens.find((x) => x.token.file === file && offset >= x.token.span.start && offset <= x.token.span.end);
}

/** Adds the rewrite fix to the findings of the rules that offer it; returns the fix per token (computed once). */
export function addRewriteFixes(db: Database, findings: Finding[], tokens: readonly TokenAnalysis[], textOf: (file: string) => string | undefined): (t: TokenAnalysis) => Fix | undefined {
  // Kept per token while its analysis and its file's text are the same.
  const rewriteFor = (t: TokenAnalysis): Fix | undefined => {
    const text = textOf(t.token.file);
    if (text === undefined) return undefined;
    return db.memo("rewrite", `${t.token.file}\u0000${t.token.span.start}\u0000${t.token.address ?? t.token.name}`, [t, text], () => rewriteToMinimalFix(t, text));
  };
  for (const f of findings) {
    if (!REWRITE_RULES.has(f.rule)) continue;
    const t = tokenAt(tokens, f.location.file, f.location.span.start);
    const fix = t && rewriteFor(t);
    if (fix) f.fixes.push(fix);
  }
  return rewriteFor;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
