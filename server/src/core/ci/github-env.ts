// Variables a GitHub Actions `run:` step hands to the later steps of its job by appending `NAME=value` to the
// file $GITHUB_ENV names (docs.github.com/actions "Setting an environment variable"). A common way to pass
// CLOUDFLARE_ACCOUNT_ID (echo "CLOUDFLARE_ACCOUNT_ID=${{ secrets.X }}" >> "$GITHUB_ENV"). Only the one-line
// echo form is read; heredocs and other writers are not.
import type { EnvMap } from "./scripts.js";
import type { ShellSource } from "./scripts.js";

const LINE =
  /^[ \t]*echo[ \t]+(["']?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)\1[ \t]*>>[ \t]*["']?\$(?:\{GITHUB_ENV\}|GITHUB_ENV)["']?[ \t]*$/;

/** The variables a run step appends to $GITHUB_ENV, each located at its value. */
export function githubEnvWrites(src: ShellSource): EnvMap {
  const out: EnvMap = new Map();
  let start = 0;
  for (const line of src.text.split("\n")) {
    const m = LINE.exec(line);
    if (m) {
      const at = start + line.indexOf(`${m[2]}=`) + m[2]!.length + 1;
      out.set(m[2]!, { raw: m[3]!, location: { file: src.file, span: src.spanOf(at, at + m[3]!.length) } });
    }
    start += line.length + 1;
  }
  return out;
}
