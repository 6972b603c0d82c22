// Turns core locations (absolute path, offsets) into review places (root-relative path, 1-based lines) on one
// side, reading texts through that side's Host.
import type { Host } from "../host.js";
import { relative } from "../path.js";
import { SourceFile, type Location } from "../source.js";
import type { ReviewPlace } from "./model.js";

export interface Placer {
  side: "base" | "head";
  root: string;
  host: Host;
  place(loc: Location, message: string): ReviewPlace;
  rel(file: string): string;
}

export function placer(side: "base" | "head", host: Host, root: string): Placer {
  const sources = new Map<string, SourceFile>();
  const src = (file: string) => {
    let s = sources.get(file);
    if (!s) sources.set(file, (s = new SourceFile(file, host.readFile(file) ?? "")));
    return s;
  };
  const rel = (file: string) => relative(root, file) || ".";
  return {
    side,
    root,
    host,
    rel,
    place(loc, message) {
      const s = src(loc.file);
      const a = s.lineColumn(loc.span.start);
      const b = s.lineColumn(loc.span.end);
      return {
        side,
        file: rel(loc.file),
        line: a.line,
        column: a.column,
        endLine: b.line,
        endColumn: b.column,
        message,
      };
    },
  };
}
