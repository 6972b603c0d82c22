// Inlay hints after each permission group id written in a token (JSON or Terraform): the group's API name
// ("Workers Scripts Write") and, when it is not simply needed, its state for the deploys that use the token.
// Entries that already name the group (`account["Workers Scripts Write"]`) get the state only when there is one.
import { InlayHintKind, type InlayHint, type InlayHintParams } from "vscode-languageserver";
import { grantHint } from "../core/index.js";
import type { Diagnostics } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { uriToPath } from "./convert.js";

export function inlayHints(
  params: InlayHintParams,
  diagnostics: Diagnostics,
  host: OverlayHost,
  enabled: (root: string) => boolean,
): InlayHint[] {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const lines = host.lines(path);
  if (!lines) return [];
  const from = lines.offsetAt(params.range.start);
  const to = lines.offsetAt(params.range.end);
  const out: InlayHint[] = [];
  const seen = new Set<number>();
  for (const a of diagnostics.analysesFor(path)) {
    if (!enabled(a.root)) continue;
    // Offsets are the analysed text's: after an edit, wait for the next analysis.
    const analysed = a.lines.get(path);
    if (analysed && analysed.text !== lines.text) continue;
    for (const t of a.result.tokens ?? []) {
      if (t.token.file !== path || !a.result.tokenStatus) continue;
      for (const g of a.result.tokenStatus(t).grants) {
        const e = g.grant.entry;
        if (e.fromExpression || e.span.end < from || e.span.start > to) continue;
        const text = lines.text.slice(e.span.start, e.span.end);
        const at = e.id ? text.indexOf(e.id) : -1;
        if (at < 0 && g.state === "needed") continue; // the entry names the group already
        const quoted = at >= 0 && /["']/.test(text[at + e.id!.length] ?? "");
        const offset = at >= 0 ? e.span.start + at + e.id!.length + (quoted ? 1 : 0) : e.span.end;
        if (seen.has(offset)) continue;
        seen.add(offset);
        const label = at >= 0 ? grantHint(g) : grantHint(g).replace(/^.*? · /, "");
        out.push({
          position: lines.positionAt(offset),
          label,
          kind: InlayHintKind.Type,
          paddingLeft: true,
          tooltip: g.note,
        });
      }
    }
  }
  return out;
}
