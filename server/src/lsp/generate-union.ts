// *Generate Minimal Token* for a CI job or step: the union of what its wrangler commands need (a job running
// `d1 migrations apply` and `deploy` gets D1 Write as well as the deploy's groups), rendered like the single
// command's token. The deploys come from the folder analyses; each is named by its view node id.
import { commandText } from "../core/index.js";
import type { Requirement } from "../core/index.js";
import type { DeployAnalysis } from "../core/index.js";
import { createTokenBody, dashboardUrl, terraform } from "../core/index.js";
import { providerPinFor } from "../core/index.js";
import type { HclParser } from "../core/index.js";
import { dirname, relative } from "../core/index.js";
import { deployNodeId } from "../core/index.js";
import type { Diagnostics } from "./diagnostics.js";
import type { OverlayHost } from "./workspace.js";
import { pathToUri } from "./convert.js";
import type { DeployInfo, GenerateResult, TokenFormat } from "./protocol.js";

/** "deploy.yml › deploy" for a GitHub step "deploy.yml › deploy › Deploy"; a GitLab job's label is the job. */
export function jobLabel(d: DeployAnalysis): string {
  const parts = d.deploy.label.split(" › ");
  return d.deploy.source === "github-actions" && parts.length > 2 ? parts.slice(0, -1).join(" › ") : d.deploy.label;
}

function analysed(diagnostics: Diagnostics): { root: string; d: DeployAnalysis }[] {
  const out: { root: string; d: DeployAnalysis }[] = [];
  for (const root of diagnostics.roots())
    for (const d of diagnostics.analysisOf(root)?.result.deploys ?? []) out.push({ root, d });
  return out;
}

export function listDeploys(diagnostics: Diagnostics): DeployInfo[] {
  const seen = new Set<string>();
  const out: DeployInfo[] = [];
  for (const { root, d } of analysed(diagnostics)) {
    const id = deployNodeId(d.deploy);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      id,
      label: d.deploy.label,
      job: jobLabel(d),
      command: commandText(d.deploy.command.argv),
      env: d.env ?? undefined,
      config: d.configPath ? relative(root, d.configPath) : undefined,
      file: pathToUri(d.deploy.location.file),
    });
  }
  return out;
}

/** Requirements of several analyses merged by group: resources and reasons joined, each once. */
export function unionRequirements(list: Requirement[][]): Requirement[] {
  const byGroup = new Map<string, Requirement>();
  for (const reqs of list) {
    for (const r of reqs) {
      const key = `${r.group.scope}:${r.group.name}`;
      const have = byGroup.get(key);
      if (!have) {
        byGroup.set(key, { ...r, resources: [...r.resources], reasons: [...r.reasons] });
        continue;
      }
      for (const res of r.resources) if (!have.resources.includes(res)) have.resources.push(res);
      have.reasons.push(...r.reasons);
      if (!r.userTokenOnly) delete have.userTokenOnly;
    }
  }
  return [...byGroup.values()];
}

export function generateForDeploys(
  ids: string[],
  format: TokenFormat,
  diagnostics: Diagnostics,
  host: OverlayHost,
  hcl: HclParser | undefined,
): GenerateResult {
  const picked = analysed(diagnostics).filter(({ d }) => ids.includes(deployNodeId(d.deploy)));
  if (!picked.length)
    return { error: "None of those CI commands is in the current analysis: save the workflow and try again." };
  const failed = picked.filter(({ d }) => !d.minimal);
  if (failed.length)
    return {
      error: `What ${failed[0]!.d.deploy.label} needs is not known: ${failed[0]!.d.error ?? "its analysis failed"}.`,
    };
  // An account-owned token, as `minimal` writes by default: without what only a user-owned token needs.
  const requirements = unionRequirements(picked.map(({ d }) => d.minimal!.requirements)).filter(
    (r) => !r.userTokenOnly,
  );
  const accounts = [...new Set(picked.map(({ d }) => d.minimal!.accountId).filter((x): x is string => !!x))];
  const accountId = accounts.length === 1 ? accounts[0] : undefined;
  const name = `${jobLabel(picked[0]!.d).replace(/ › /g, " ")} (minimal)`;
  const commands = [
    ...new Set(
      picked.map(({ d }) => `wrangler ${commandText(d.deploy.command.argv)}${d.env ? ` (env ${d.env})` : ""}`),
    ),
  ];
  switch (format) {
    case "api":
      return { text: JSON.stringify(createTokenBody(name, requirements), null, 2) + "\n" };
    case "terraform": {
      const config = picked.find(({ d }) => d.configPath)?.d.configPath;
      const provider = hcl && config ? providerPinFor(host, dirname(config), hcl) : undefined;
      return { text: `# ${commands.join(", ")}\n` + terraform(name, requirements, accountId, undefined, { provider }) };
    }
    case "url": {
      const { url, manual } = dashboardUrl(name, requirements, accountId);
      return { text: [url, ...manual.map((m) => `add by hand: ${m}`)].join("\n") + "\n" };
    }
    case "json":
      return {
        text:
          JSON.stringify(
            {
              commands,
              accountId: accountId ?? null,
              requirements: requirements.map((r) => ({
                group: r.group.name,
                id: r.group.id,
                scope: r.group.scope,
                resources: r.resources,
                reasons: r.reasons.map((x) => x.cause.why),
              })),
            },
            null,
            2,
          ) + "\n",
      };
    default: {
      const lines = [`Minimal token for ${commands.join(" and ")}:`, ""];
      for (const r of requirements) {
        lines.push(`${r.group.name} (${r.group.label}) on ${r.resources.join(", ")}`);
        for (const why of new Set(r.reasons.map((x) => x.cause.why))) lines.push(`  - ${why}`);
      }
      return { text: lines.join("\n") + "\n" };
    }
  }
}
