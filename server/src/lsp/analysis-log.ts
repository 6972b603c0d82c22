// The output channel's lines after each analysis, at info level: the folder, the time taken, the files read, the
// deploys (CI step and wrangler command) and the tokens with how many deploys each serves.
import { commandText } from "../core/index.js";
import type { EngineResult } from "./engine.js";

/** Logs what one analysis of `root` found; `exists` filters the files to those still on disk or open. */
export function logAnalysis(
  log: (m: string) => void,
  root: string,
  result: EngineResult,
  exists: (f: string) => boolean,
  ms: number,
): void {
  const { configs, deploys, tokens } = result.summary;
  const files = result.files.filter(exists);
  log(
    `analysed ${root} in ${ms} ms: ${files.length} files, ${configs} configs, ${deploys} deploys, ${tokens} tokens, ${result.findings.length} findings, ${result.problems?.length ?? 0} file problems`,
  );
  const rel = (f: string) => (f.startsWith(root + "/") ? f.slice(root.length + 1) : f);
  const list = (what: string, items: string[]) => {
    if (items.length)
      log(
        `  ${what}: ${items.slice(0, 20).map(rel).join(", ")}${items.length > 20 ? `, … (${items.length - 20} more)` : ""}`,
      );
  };
  list("files", files);
  list("deploys", [
    ...new Set(
      (result.deploys ?? []).map(
        (d) => `${d.deploy.label}: wrangler ${commandText(d.deploy.command.argv)}${d.env ? ` (env ${d.env})` : ""}`,
      ),
    ),
  ]);
  list(
    "tokens",
    (result.tokens ?? []).map(
      (t) =>
        `${t.token.address ?? t.token.name} (${rel(t.token.file)}, ${t.links.length ? `serves ${t.links.length} deploys` : "not linked"})`,
    ),
  );
}
