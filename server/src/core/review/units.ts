// The deploys of one snapshot, as review units: every wrangler command a workflow runs (per env), and the
// `wrangler deploy` of every config and env that no workflow runs (config + env + command).
import type { Host } from "../host.js";
import type { Location } from "../source.js";
import { dirname, relative } from "../path.js";
import { analyzeMinimal } from "../minimal.js";
import { environments } from "../model/wrangler.js";
import type { Requirement } from "../permissions/require.js";
import type { TokenAnalysis } from "../rules/rule.js";
import type { WorkspaceResult } from "../workspace.js";

export interface DeployUnit {
  kind: "ci" | "config";
  /** "deploy.yml › deploy › Deploy", or the config's root-relative path with its env. */
  label: string;
  /** The label without the workflow file ("deploy › Deploy"): the same job and step after a move or rename. */
  labelInFile: string;
  /** The wrangler command as written ("deploy --env production"). */
  command: string;
  commandKind: string;
  env: string | null;
  /** Absolute path of the config it reads, when any. */
  configPath?: string;
  scriptName: string | null;
  /** The workflow file (ci) or the config (config). */
  file: string;
  /** The step (ci) or the config's first line (config). */
  place: Location;
  /** Undefined when the analysis failed (`error` says why). */
  requirements?: Requirement[];
  error?: string;
  /** The CI secret holding its token; "inline" or "none" when it is not a secret. */
  secret?: string;
  tokenState: "secret" | "inline" | "none" | "not-ci";
  /** Token definitions linked to it. */
  tokens: TokenAnalysis[];
}

export function deployUnits(ws: WorkspaceResult, host: Host, root: string): DeployUnit[] {
  const units: DeployUnit[] = [];
  const deployed = new Set<string>();
  for (const d of ws.deploys) {
    if (d.configPath) deployed.add(`${d.configPath}\u0000${d.env ?? ""}`);
    const file = d.deploy.location.file;
    const labelInFile = d.deploy.label.split(" › ").slice(1).join(" › ") || d.deploy.label;
    const secret = d.deploy.token?.secret;
    units.push({
      kind: "ci",
      label: d.deploy.label,
      labelInFile,
      command: d.deploy.command.argv.join(" ") || "deploy",
      commandKind: d.deploy.command.kind,
      env: d.env,
      configPath: d.configPath,
      scriptName: d.minimal?.scriptName ?? null,
      file,
      place: d.deploy.stepLocation,
      requirements: d.minimal?.requirements,
      error: d.minimal ? undefined : (d.error ?? "the analysis failed"),
      secret,
      tokenState: secret ? "secret" : d.deploy.token ? "inline" : "none",
      tokens: ws.tokens.filter((t) => t.links.some((l) => l.deploy === d)),
    });
  }
  for (const c of ws.configs) {
    if (!c.file.root) continue;
    for (const env of [null, ...environments(c.file)]) {
      if (deployed.has(`${c.path}\u0000${env ?? ""}`)) continue;
      const command = c.isPages ? "pages deploy" : "deploy";
      const a = analyzeMinimal(host, {
        cwd: dirname(c.path),
        path: c.path,
        env: env ?? undefined,
        command,
        root,
        owner: "undecided",
      });
      const rel = relative(root, c.path);
      units.push({
        kind: "config",
        label: env ? `${rel} (env ${env})` : rel,
        labelInFile: env ? `env ${env}` : "top level",
        command,
        commandKind: c.isPages ? "pages-deploy" : "deploy",
        env,
        configPath: c.path,
        scriptName: "error" in a ? null : a.scriptName,
        file: c.path,
        place: { file: c.path, span: { start: 0, end: 0 } },
        requirements: "error" in a ? undefined : a.requirements,
        error: "error" in a ? a.error : undefined,
        tokenState: "not-ci",
        tokens: [],
      });
    }
  }
  return units;
}
