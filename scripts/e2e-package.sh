#!/usr/bin/env bash
# Packages the extension as .scratch/wrangler-token-lint.vsix with @vscode/vsce (from .scratch/e2e-tools,
# installed there when missing). Expects a fresh `npm run build`. Prints the packaged file list.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${E2E_TOOLS:-$ROOT/.scratch/e2e-tools}
VSCE="$TOOLS/js/node_modules/.bin/vsce"
OUT=${VSIX:-$ROOT/.scratch/wrangler-token-lint.vsix}
if [ ! -x "$VSCE" ]; then
  mkdir -p "$TOOLS/js"
  [ -f "$TOOLS/js/package.json" ] || echo '{"name":"e2e-js","private":true}' > "$TOOLS/js/package.json"
  (cd "$TOOLS/js" && npm install --no-save --no-audit --no-fund @vscode/vsce@3.9.2 >/dev/null)
fi
for f in client/out/extension.js server/out/server.js; do
  [ -f "$ROOT/$f" ] || { echo "missing $f: run npm run build first" >&2; exit 1; }
done
mkdir -p "$(dirname "$OUT")"
cd "$ROOT"
# Dependencies are bundled by esbuild, so vsce must not walk node_modules.
# package.json names no repository (none is published yet), so relative links in README.md stay relative
# rather than pointing at a made-up address. What is packaged is package.json's "files" list.
REPO_URL=$(node -p "(require('./package.json').repository?.url ?? '').replace(/\\.git\$/, '')")
if [ -n "$REPO_URL" ]; then
  args=(package --no-dependencies --baseContentUrl "$REPO_URL/blob/main" --baseImagesUrl "$REPO_URL/raw/main" -o "$OUT")
else
  args=(package --no-dependencies --no-rewrite-relative-links --allow-missing-repository -o "$OUT")
fi
[ -f LICENSE ] || args+=(--skip-license)
"$VSCE" "${args[@]}"
"$VSCE" ls --no-dependencies --tree 2>/dev/null | head -40 || true
ls -la "$OUT"
