// Code lenses from the analysis (per token: required vs granted; per deploy: the minimal token). A lens whose
// command the client does not know is shown as plain text (no command).
import type { CodeLens, CodeLensParams } from "vscode-languageserver";
import type { Diagnostics } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { spanToRange, uriToPath } from "./convert.js";
import { CLIENT_COMMANDS } from "./protocol.js";

export function codeLenses(params: CodeLensParams, diagnostics: Diagnostics, host: OverlayHost): CodeLens[] {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const lines = host.lines(path);
  if (!lines) return [];
  const out: CodeLens[] = [];
  const seen = new Set<string>();
  for (const a of diagnostics.analysesFor(path)) {
    for (const lens of a.result.lenses(path)) {
      const key = `${lens.span.start}:${lens.title}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = spanToRange(lines, lens.span);
      out.push({
        range,
        command: lens.command
          ? { title: lens.title, command: lens.command.id, arguments: lens.command.args }
          : lens.target
            ? { title: lens.title, command: CLIENT_COMMANDS.revealInView, arguments: [{ id: lens.target.id }] }
            : { title: lens.title, command: "" },
      });
    }
  }
  return out;
}
