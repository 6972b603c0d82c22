// deploy-not-analysed: a CI step runs a wrangler command this tool knows, but the analysis of that step failed —
// its config cannot be found, read or parsed, the environment it targets is not in the config, or the command
// itself cannot run as written. What the token needs for that step is unknown, so the step is reported instead of
// being dropped; the tokens linked to it are checked only against the steps that are understood. Commands the tool
// cannot answer at all (`unsupported`) are unsupported-command's.
import { relative } from "../path.js";
import type { DeployAnalysis, Rule } from "./rule.js";

export const rule: Rule = {
  id: "deploy-not-analysed",
  title: "A CI step's wrangler command could not be analysed",
  defaultSeverity: "warning",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/deploy-not-analysed.md",
  reads: ["deploys"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    // One finding per step and reason: a step run for several environments (a matrix) that fail alike lists them.
    const steps = new Map<string, { d: DeployAnalysis; error: string; envs: string[] }>();
    for (const d of ctx.deploys) {
      if (d.minimal || d.unsupported || d.error === undefined) continue;
      const loc = d.deploy.location;
      // The config is named relative to the workspace, as everywhere else in a finding's words.
      const named = d.configPath ? d.error.split(d.configPath).join(relative(ctx.root, d.configPath)) : d.error;
      const error = (d.configPath ? named : noConfig(d, ctx.root, named)).trim().replace(/[.:;,]?$/, ".");
      const generic = d.env === null ? error : error.split(`"${d.env}"`).join("…");
      const k = `${loc.file}:${loc.span.start}:${loc.span.end}\u0000${generic}`;
      const seen = steps.get(k);
      if (!seen) steps.set(k, { d, error, envs: d.env === null ? [] : [d.env] });
      else if (d.env !== null && !seen.envs.includes(d.env)) seen.envs.push(d.env);
    }
    for (const { d, error: first, envs } of steps.values()) {
      const error = envs.length > 1 ? first.split(`"${envs[0]}"`).join(envs.map((e) => `"${e}"`).join(" / ")) : first;
      const loc = d.deploy.location;
      const env =
        envs.length === 1
          ? ` (environment "${envs[0]}")`
          : envs.length
            ? ` (environments ${envs.map((e) => `"${e}"`).join(", ")})`
            : "";
      out.push({
        message: `${d.deploy.label}: this step could not be analysed${env}: ${error} What the token needs for it is unknown; the token this step uses is not checked for it.`,
        location: loc,
        related: [
          { ...d.deploy.stepLocation, message: "the CI step" },
          ...d.deploy.via.slice(1).map((v) => ({ ...v, message: "reached through" })),
          ...(d.configPath
            ? [{ file: d.configPath, span: { start: 0, end: 0 }, message: "the wrangler config this step reads" }]
            : []),
        ],
        fixes: [],
      });
    }
    return out;
  },
};

/**
 * "No wrangler config … found from ." names the step's working directory only as "."; say which config the step
 * names, or which folder it runs in, relative to the workspace (such configs are often written at run time).
 */
function noConfig(d: DeployAnalysis, root: string, error: string): string {
  if (!error.startsWith("No wrangler config")) return error;
  const dir = relative(root, d.deploy.workingDirectory) || ".";
  const where = dir === "." ? "the workspace root" : `${dir}/`;
  if (d.deploy.command.config)
    return `the config it names (--config ${d.deploy.command.config}, run from ${where}) is not found in the workspace (a config written at run time is not seen)`;
  return `no wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) found from ${where}, where it runs`;
}
