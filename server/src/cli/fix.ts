// `check --fix` / `--fix-unsafe`: writes Fix all's edits (core/fix-all.ts, the same choice the editor's *Fix all*
// makes) into the files, and says on stderr what it changed, finding by finding. Only files inside the checked
// root are written, and only when their text is still the analysed one.
import { readFileSync, writeFileSync } from "node:fs";
import type { WorkspaceResult } from "../core/index.js";
import { applyTextEdits, fixAllEdits } from "../core/index.js";
import { relative } from "../core/index.js";
import { SourceFile } from "../core/index.js";
import type { Io } from "./io.js";

/** Applies the fixes; returns how many findings were fixed and the files written. */
export function writeFixes(
  ws: WorkspaceResult,
  root: string,
  unsafe: boolean,
  io: Io,
): { fixed: number; files: string[] } {
  let choice = fixAllEdits(ws.findings, (f) => ws.host.readFile(f), { unsafe });
  // Files that cannot be written safely: a fix touching one is not applied (nor half-applied elsewhere).
  const skipped = new Set<string>();
  for (const file of new Set(choice.edits.map((e) => e.file))) {
    const text = ws.host.readFile(file);
    let disk: string | undefined;
    try {
      disk = readFileSync(file, "utf8");
    } catch {
      disk = undefined;
    }
    if (!file.startsWith(root === "/" ? "/" : root + "/") || text === undefined || disk !== text) {
      io.stderr(
        `wrangler-token-lint check: not fixed: ${relative(root, file)} (outside the root, or changed since it was read)\n`,
      );
      skipped.add(file);
    }
  }
  if (skipped.size) {
    const blocked = new Set(choice.taken.filter((_, i) => choice.fixes[i]!.edits.some((e) => skipped.has(e.file))));
    choice = fixAllEdits(
      ws.findings.filter((f) => !blocked.has(f)),
      (f) => ws.host.readFile(f),
      { unsafe },
    );
  }
  const { edits, taken, fixes } = choice;
  // Say where each fixed finding was, in the text as it was read.
  const lines = taken.map((f, i) => {
    const fix = fixes[i]!;
    const { line, column } = new SourceFile(f.location.file, ws.host.readFile(f.location.file) ?? "").lineColumn(
      f.location.span.start,
    );
    return `fixed ${relative(root, f.location.file)}:${line}:${column} [${f.rule}] ${fix.title}${fix.safe ? "" : " (unsafe)"}\n`;
  });
  const files = [...new Set(edits.map((e) => e.file))].sort();
  for (const file of files) writeFileSync(file, applyTextEdits(file, ws.host.readFile(file)!, edits));
  for (const l of lines) io.stderr(l);
  if (files.length)
    io.stderr(
      `${taken.length} ${taken.length === 1 ? "finding" : "findings"} fixed in ${files.map((f) => relative(root, f)).join(", ")}\n`,
    );
  return { fixed: taken.length, files };
}
