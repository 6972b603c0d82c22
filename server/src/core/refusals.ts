// Reads the workspace analysis refused (core/host.ts ConfinedHost), placed where a user can act on them: the
// deploy step whose --config or working directory points outside, the CI file that names an outside path, or
// the link itself. The messages name paths as written, relative to the root, never where a link leads.
import type { ConfinedHost, Refusal } from "./host.js";
import type { Location } from "./source.js";
import type { Problem } from "./problems.js";
import { basename, relative } from "./path.js";

export interface PlacedRefusal {
  refusal: Refusal;
  location: Location;
  /** True when a deploy step's own command or working directory led to the read. */
  fromStep: boolean;
}

/** Collects the confined host's refusals phase by phase, each attributed to what was being read then. */
export class RefusalLog {
  private mark = 0;
  private readonly seen = new Set<string>();
  readonly placed: PlacedRefusal[] = [];

  constructor(
    private readonly host: ConfinedHost,
    private readonly root: string,
  ) {}

  /** Refusals since the last call belong to a deploy step at `step`, or (undefined) are placed by `place`. */
  claim(step: Location | undefined, files: () => string[] = () => []): void {
    const fresh = this.host.refusals.slice(this.mark);
    this.mark = this.host.refusals.length;
    for (const refusal of fresh) {
      const location = step ?? this.place(refusal, files());
      const key = `${refusal.path}\u0000${location.file}\u0000${location.span.start}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.placed.push({ refusal, location, fromStep: !!step });
    }
  }

  /** A link inside the root is its own place; an outside path is placed where a CI file writes its name. */
  private place(r: Refusal, candidates: string[]): Location {
    if (r.path === this.root || r.path.startsWith(this.root + "/")) return { file: r.path, span: { start: 0, end: 0 } };
    const name = basename(r.path);
    for (const file of candidates) {
      const text = this.host.base.readFile(file);
      const at = text?.indexOf(name) ?? -1;
      if (text !== undefined && at >= 0) return { file, span: { start: at, end: at + name.length } };
    }
    return { file: candidates[0] ?? this.root, span: { start: 0, end: 0 } };
  }

  /** Folders reached again through a link: one info problem each, at the link. */
  problems(): (Problem & { file: string })[] {
    return this.placed
      .filter((p) => p.refusal.reason === "already-read")
      .map((p) => ({
        code: "link-loop",
        severity: "info" as const,
        message: p.refusal.ownName
          ? `\`${relative(this.root, p.refusal.path)}\` was already read through the link \`${relative(this.root, p.refusal.firstPath ?? this.root)}\`: not read again`
          : `\`${relative(this.root, p.refusal.path)}\` is a link to a folder already read as \`${relative(this.root, p.refusal.firstPath ?? this.root)}\`: not read again`,
        span: { start: 0, end: 0 },
        file: p.refusal.path,
      }));
  }
}
