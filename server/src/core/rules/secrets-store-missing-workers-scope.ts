// secrets-store-missing-workers-scope: a Secrets Store secret is created without the "workers" scope while a
// Worker binds it; the deploy then fails with code 10021 (sources as for secrets-store-read-only).
import type { Rule } from "./rule.js";
import { arr, get, str } from "../parse/tree.js";
import { environments, resolveConfig } from "../model/wrangler.js";
import type { RelatedLocation } from "../findings.js";

export const rule: Rule = {
  id: "secrets-store-missing-workers-scope",
  title: "Secrets Store secret created without the workers scope while a Worker binds it",
  defaultSeverity: "error",
  fixable: false,
  fixKinds: [],
  docs: "docs/rules/secrets-store-missing-workers-scope.md",
  reads: ["configs", "secretsStoreCreates"],
  check(ctx) {
    const out: ReturnType<Rule["check"]> = [];
    if (!ctx.secretsStoreCreates.length) return out;
    // Every secrets_store_secrets binding in the workspace, by secret name.
    const bindings = new Map<string, RelatedLocation[]>();
    for (const c of ctx.configs) {
      for (const env of [null, ...environments(c.file)]) {
        const cfg = resolveConfig(c.file, env);
        const ss = cfg.get("secrets_store_secrets");
        for (const b of arr(ss?.node)) {
          const name = str(get(b, "secret_name"));
          if (!name) continue;
          const list = bindings.get(name) ?? [];
          if (!list.some((l) => l.span.start === b.span.start))
            list.push({ file: c.path, span: b.span, message: `binds secret "${name}"${env ? ` (env ${env})` : ""}` });
          bindings.set(name, list);
        }
      }
    }
    for (const s of ctx.secretsStoreCreates) {
      if (!s.name || s.scopes.includes("workers")) continue;
      const bound = bindings.get(s.name);
      if (!bound) continue;
      out.push({
        message: `Secret "${s.name}" is created with scopes ${s.scopes.length ? s.scopes.join(",") : "(none)"}, without "workers", but a Worker binds it: the deploy fails with code 10021. Add --scopes workers`,
        location: s.location,
        related: bound,
        fixes: [],
      });
    }
    return out;
  },
};
