// The files of a workspace that `check` reads, found the way the benchmark's floor and wrangler reader find them:
// wrangler configs, GitHub/GitLab workflows, Terraform files and other JSON files (token bodies, the project file),
// skipping node_modules and dot folders other than .github.
import { readdirSync } from "node:fs";
import { join } from "node:path";

const CONFIG = /^wrangler(\.[\w.-]+)?\.(toml|jsonc?)$/;

export function listFiles(root) {
  const out = { configs: [], workflows: [], terraform: [], json: [] };
  const walk = (dir, inWorkflows) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && (!e.name.startsWith(".") || e.name === ".github"))
          walk(p, p.endsWith(".github/workflows"));
      } else if (CONFIG.test(e.name)) out.configs.push(p);
      else if ((inWorkflows && /\.ya?ml$/.test(e.name)) || (dir === root && e.name === ".gitlab-ci.yml"))
        out.workflows.push(p);
      else if (e.name.endsWith(".tf")) out.terraform.push(p);
      else if (e.name.endsWith(".json")) out.json.push(p);
    }
  };
  walk(root, false);
  return out;
}
