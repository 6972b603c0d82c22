// Hover: the analysis explains the thing under the cursor (why a permission group is needed, what a token
// grants); the first folder analysis that has something to say wins.
import type { Hover, HoverParams } from "vscode-languageserver";
import { MarkupKind } from "vscode-languageserver";
import type { Diagnostics } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { spanToRange, uriToPath } from "./convert.js";

export function hover(params: HoverParams, diagnostics: Diagnostics, host: OverlayHost): Hover | null {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return null;
  const lines = host.lines(path);
  if (!lines) return null;
  const offset = lines.offsetAt(params.position);
  for (const a of diagnostics.analysesFor(path)) {
    // Spans come from the analysed text; after an edit they may be off until the next analysis, so only answer
    // for text that is still the analysed one when the analysis placed findings there.
    const analysed = a.lines.get(path);
    if (analysed && analysed.text !== lines.text) continue;
    const h = a.result.hover(path, offset);
    if (h) return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: spanToRange(lines, h.span) };
  }
  return null;
}
