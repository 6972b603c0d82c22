// Runs the rules over an analysed workspace: severities from the options ("off" skips a rule), suppression
// comments, a stable order, and the whole-token "rewrite to the minimal token" fix on the findings of the rules
// that declare it (`fixKinds`). A rule that throws becomes an internal-error problem, never a crash. The
// findings are kept in the workspace database (per token for perToken rules) and are the same objects while
// nothing they came from changed, so the language server converts and sends only what changed.
import type { Finding, Fix } from "./findings.js";
import type { Problem, Severity } from "./problems.js";
import type { SourceFile } from "./source.js";
import { isSuppressed } from "./suppress.js";
import { RULES } from "./rules/index.js";
import { rewriteToMinimalFix } from "./rewrite.js";
import type { Rule, RuleContext, TokenAnalysis } from "./rules/rule.js";
import type { Database } from "./db.js";
import type { WorkspaceOptions } from "./project-config.js";

type RawFinding = ReturnType<Rule["check"]>[number];
type RewriteFor = (t: TokenAnalysis) => Fix | undefined;

export function runRules(
  db: Database,
  ctx: RuleContext,
  opts: WorkspaceOptions,
  problems: (Problem & { file: string })[],
  rewriteFor: RewriteFor,
): Finding[] {
  const findings: Finding[] = [];
  const locate = tokenLocator(ctx.tokens);
  const single = singleTokens(ctx);
  for (const rule of RULES) {
    const setting = opts.ruleSeverities?.[rule.id];
    if (setting === "off") continue;
    const severity = setting ?? rule.defaultSeverity;
    let chunks: { key: string; raw: readonly RawFinding[] }[];
    try {
      chunks = check(db, rule, ctx, single);
    } catch (err) {
      problems.push({
        code: "internal-error",
        severity: "error",
        message: `rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}`,
        span: { start: 0, end: 0 },
        file: ctx.root,
      });
      continue;
    }
    for (const { key, raw } of chunks)
      findings.push(...finished(db, rule, severity, key, raw, ctx, rewriteFor, locate));
  }
  return findings.sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) || a.location.span.start - b.location.span.start || cmp(a.rule, b.rule),
  );
}

/** Each token with the end of its rule keys and its one-token context, made once for every perToken rule. */
type SingleToken = { t: TokenAnalysis; keyEnd: string; ctx: RuleContext };

function singleTokens(ctx: RuleContext): SingleToken[] {
  return ctx.tokens.map((t) => ({
    t,
    keyEnd: `\u0000${ctx.root}\u0000${t.token.file}\u0000${t.token.span.start}\u0000${t.token.address ?? t.token.name}`,
    ctx: { ...ctx, tokens: [t] },
  }));
}

/** A rule's findings, kept in the database per token (perToken rules) or per workspace with what the rule reads. */
function check(
  db: Database,
  rule: Rule,
  ctx: RuleContext,
  single: readonly SingleToken[],
): { key: string; raw: readonly RawFinding[] }[] {
  if (rule.perToken) {
    return single.map((s) => {
      const key = rule.id + s.keyEnd;
      return { key, raw: db.memoOnce("rule-token", key, [s.t, ctx.today], () => rule.check(s.ctx)) };
    });
  }
  const key = `${rule.id}\u0000${ctx.root}`;
  if (!rule.reads) return [{ key, raw: rule.check(ctx) }];
  const inputs: unknown[] = [ctx.today];
  for (const part of rule.reads) inputs.push(part, ctx[part].length, ...ctx[part]);
  return [{ key, raw: db.memo("rule", key, inputs, () => rule.check(ctx)) }];
}

const REWRITE_RULES = new Set(RULES.filter((r) => r.fixKinds.includes("rewrite-to-minimal")).map((r) => r.id));

/**
 * The workspace's findings from a rule's own: suppressed ones left out, severity set, and the rewrite fix added
 * where the rule offers it. Kept while the rule's findings, the severity, the texts they are placed in and the
 * rewrite fixes are the same.
 */
function finished(
  db: Database,
  rule: Rule,
  severity: Severity,
  key: string,
  raw: readonly RawFinding[],
  ctx: RuleContext,
  rewriteFor: RewriteFor,
  locate: TokenLocator,
): readonly Finding[] {
  if (!raw.length) return raw as readonly Finding[];
  const sources = new Map<string, SourceFile | undefined>();
  for (const f of raw) if (!sources.has(f.location.file)) sources.set(f.location.file, ctx.source(f.location.file));
  const rewrites = REWRITE_RULES.has(rule.id)
    ? raw.map((f) => {
        const t = locate(f.location.file, f.location.span.start);
        return t && rewriteFor(t);
      })
    : [];
  const inputs = [raw, severity, ...sources.values(), ...rewrites];
  return db.memoOnce("findings", key, inputs, () => {
    // A finding the same as one before (same text, place, fixes and rewrite) is that object again.
    const before =
      db.previous<Kept>("findings", key)?.byText ?? new Map<string, { finding: Finding; rewrite: Fix | undefined }>();
    const out: Kept = Object.assign([] as Finding[], {
      byText: new Map<string, { finding: Finding; rewrite: Fix | undefined }>(),
    });
    raw.forEach((f, i) => {
      const src = sources.get(f.location.file);
      if (src && isSuppressed(src, f.location.span.start, rule.id)) return;
      const rewrite = rewrites[i];
      // Kept for the next analysis to find; a single-analysis database has none.
      const text = db.single ? undefined : `${severity}\u0000${JSON.stringify(f)}`;
      const same = text === undefined ? undefined : before.get(text);
      // A copy: the rule's own findings are kept too, and must not collect the workspace's fixes.
      const finding =
        same && same.rewrite === rewrite
          ? same.finding
          : { ...f, rule: rule.id, severity, fixes: rewrite ? [...f.fixes, rewrite] : [...f.fixes] };
      if (text !== undefined) out.byText.set(text, { finding, rewrite });
      out.push(finding);
    });
    return out;
  });
}

type Kept = Finding[] & { byText: Map<string, { finding: Finding; rewrite: Fix | undefined }> };

type TokenLocator = (file: string, offset: number) => TokenAnalysis | undefined;

/**
 * The token definition whose text holds an offset of a file. Built once per analysis: the tokens of each file
 * sorted by start and searched by halves (a 1 MB Terraform file holds thousands, and every finding asks).
 */
export function tokenLocator(tokens: readonly TokenAnalysis[]): TokenLocator {
  const byFile = new Map<string, TokenAnalysis[]>();
  for (const t of tokens) {
    const list = byFile.get(t.token.file);
    if (list) list.push(t);
    else byFile.set(t.token.file, [t]);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.token.span.start - b.token.span.start);
  const holds = (t: TokenAnalysis, offset: number): boolean =>
    offset >= t.token.span.start && offset <= t.token.span.end;
  return (file, offset) => {
    const list = byFile.get(file);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.token.span.start <= offset) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    while (at > 0 && list[at - 1]!.token.span.start === list[at]!.token.span.start) at--;
    if (at >= 0 && holds(list[at]!, offset)) return list[at];
    // Definitions do not nest; should one ever hold another, the outer one is found the slow way.
    return list.find((t) => holds(t, offset));
  };
}

/** The "rewrite to the minimal token" fix of a token: kept per token while its analysis and its file's text are the same. */
export function rewriteFixes(db: Database, textOf: (file: string) => string | undefined): RewriteFor {
  return (t) => {
    const text = textOf(t.token.file);
    if (text === undefined) return undefined;
    return db.memo(
      "rewrite",
      `${t.token.file}\u0000${t.token.span.start}\u0000${t.token.address ?? t.token.name}`,
      [t, text],
      () => rewriteToMinimalFix(t, text),
    );
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
