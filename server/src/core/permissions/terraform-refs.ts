// Terraform for generated and rewritten tokens never keeps the engine's placeholders as literal text: the account
// becomes `var.account_id`, a route zone known only by name a `data "cloudflare_zone"` lookup, the user
// `var.user_id`, a Worker's script tag a `script_tag_<worker>` variable. Blocks the module lacks (variables,
// data sources) are declared next to the token, in the syntax of the pinned provider (v4: `name = …`; v5:
// `filter = { name = … }`, provider docs for data "cloudflare_zone").
import type { TerraformModuleInfo } from "../model/token.js";

export const PLACEHOLDER = /<([A-Z][A-Z0-9_]*)(?::([^>]*))?>/g;

export function tfIdent(s: string): string {
  const id = s
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[a-z_]/.test(id) ? id : `t_${id}`;
}

function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, "$${");
}

interface Declared {
  kind: "variable" | "zone";
  name: string;
  lines: string[];
}

/** Resolves placeholders in resource keys to Terraform references and collects the blocks they need. */
export class TerraformRefs {
  private readonly declared = new Map<string, Declared>();
  constructor(
    readonly syntax: 4 | 5,
    private readonly module?: TerraformModuleInfo,
    /** Literal account id to use for `<ACCOUNT_ID>`, when known. */
    private readonly accountId?: string,
  ) {}

  /** The key as the inside of an HCL string: placeholders become `${…}` references. */
  key(k: string): string {
    let out = "";
    let at = 0;
    for (const m of k.matchAll(PLACEHOLDER)) {
      out += escape(k.slice(at, m.index));
      out += this.reference(m[1]!, m[2]);
      at = m.index! + m[0].length;
    }
    return out + escape(k.slice(at));
  }

  /** `"com.cloudflare.api.account.${var.account_id}"`. */
  quotedKey(k: string): string {
    return `"${this.key(k)}"`;
  }

  private reference(kind: string, arg: string | undefined): string {
    if (kind === "ACCOUNT_ID")
      return this.accountId
        ? this.accountId
        : `\${${this.variable("account_id", "Cloudflare account id the token is limited to")}}`;
    if (kind === "USER_ID")
      return `\${${this.variable("user_id", "Id of the Cloudflare user who owns the token (GET /user)")}}`;
    if (kind === "ZONE_ID" && arg) return `\${${this.zone(arg)}.id}`;
    if (kind === "SCRIPT_TAG" && arg) {
      return `\${${this.variable(`script_tag_${tfIdent(arg)}`, `Script tag of the existing Worker "${arg}" (its id in GET /accounts/{account_id}/workers/scripts)`)}}`;
    }
    return `\${${this.variable(tfIdent(`${kind}_${arg ?? ""}`), `Value for the placeholder <${kind}${arg ? `:${arg}` : ""}>`)}}`;
  }

  private variable(name: string, description: string): string {
    if (!this.module?.variables.includes(name) && !this.declared.has(`var.${name}`)) {
      this.declared.set(`var.${name}`, {
        kind: "variable",
        name,
        lines: [`variable "${name}" {`, "  type        = string", `  description = ${hclString(description)}`, "}"],
      });
    }
    return `var.${name}`;
  }

  private zone(zone: string): string {
    const existing = this.module?.zones[zone];
    if (existing) return existing;
    const name = tfIdent(zone);
    const address = `data.cloudflare_zone.${name}`;
    if (!this.declared.has(address)) {
      const body =
        this.syntax === 4 ? [`  name = ${hclString(zone)}`] : ["  filter = {", `    name = ${hclString(zone)}`, "  }"];
      this.declared.set(address, { kind: "zone", name, lines: [`data "cloudflare_zone" "${name}" {`, ...body, "}"] });
    }
    return address;
  }

  /** The blocks to declare before the token (variables first, then zone lookups), one string per block. */
  blocks(): string[] {
    const all = [...this.declared.values()];
    return [...all.filter((d) => d.kind === "variable"), ...all.filter((d) => d.kind === "zone")].map((d) =>
      d.lines.join("\n"),
    );
  }
}

/**
 * Backslashes escaped; quotes and `${…}` kept: keys read from a module may be Terraform interpolations already
 * (`com.cloudflare.api.account.${var.ids["prod"]}`), and resource keys hold no literal quotes.
 */
function escape(s: string): string {
  return JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"');
}
