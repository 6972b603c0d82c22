// Local composite actions (`uses: ./.github/actions/deploy`): the action's action.yml is read and its steps
// scanned as if they were the caller's, with `${{ inputs.x }}` taken from the caller's `with:` (or the
// input's default) and the caller step's `env:`. Other kinds of local action (node, docker) are reported
// when they mention wrangler; a missing action is reported.
import type { Location } from "../source.js";
import { join, relative, resolve } from "../path.js";
import { parseYaml } from "../parse/yaml.js";
import { arr, entry, get, str, type Node, type ObjectNode } from "../parse/tree.js";
import type { EnvMap } from "./shell-types.js";
import type { Caller } from "./github-expr.js";
import { scanSteps, type GithubScanResult, type StepScope } from "./github.js";
import { withFile } from "./common.js";

const MAX_ACTION_DEPTH = 4;

export function localAction(
  sc: StepScope,
  step: ObjectNode,
  uses: string,
  stepEnv: EnvMap,
  label: string,
  out: GithubScanResult,
): void {
  const usesNode = entry(step, "uses")!.value;
  const usesLocation: Location = { file: sc.file, span: usesNode.span };
  const dir = resolve(sc.root, uses.replace(/@.*$/, ""));
  const file = ["action.yml", "action.yaml"].map((n) => join(dir, n)).find((p) => sc.host.fileExists(p));
  const text = file ? sc.host.readFile(file) : undefined;
  const report = (code: string, severity: "info" | "warning", message: string): void => {
    out.problems.push({ code, severity, message, file: sc.file, span: usesNode.span });
  };
  if (!file || text === undefined) {
    report(
      "ci-action-not-found",
      "info",
      `The local action ${uses} has no action.yml; the commands it runs are not analysed.`,
    );
    return;
  }
  if (sc.depth >= MAX_ACTION_DEPTH || sc.via.some((l) => l.file === file)) return;
  const doc = parseYaml(text);
  out.problems.push(...withFile(file, doc.problems));
  const runs = get(doc.root, "runs");
  const using = str(get(runs, "using"));
  if (using !== "composite") {
    if (/\bwrangler\b/.test(text) || /deploy|publish|wrangler/i.test(uses)) {
      report(
        "ci-script-not-shell",
        "info",
        `Not followed: the local action ${uses} runs ${using ?? "something other than steps"} (${relative(sc.root, file)}); the wrangler commands it runs are not analysed.`,
      );
    }
    return;
  }
  const withNode = get(step, "with");
  const passed = new Map<string, { raw: string; location: Location; node: Node }>();
  if (withNode?.kind === "object") {
    for (const e of withNode.entries) {
      if (e.value.kind === "object" || e.value.kind === "array" || e.value.value === null) continue;
      passed.set(e.key, { raw: String(e.value.value), location: { file: sc.file, span: e.value.span }, node: e.value });
    }
  }
  const caller: Caller = {
    with: passed,
    secrets: new Map(),
    scope: sc.scope,
    vars: stepEnv,
    via: [...sc.via, usesLocation],
    label,
    depth: sc.depth + 1,
  };
  const inputs = get(doc.root, "inputs");
  const inner: StepScope = {
    ...sc,
    file,
    scope: { file, ...(inputs ? { inputs: [inputs] } : {}), caller, actionPath: dir },
    via: [...sc.via, usesLocation],
    depth: sc.depth + 1,
  };
  scanSteps(inner, arr(get(runs, "steps")), stepEnv, undefined, label, out);
}
