#!/usr/bin/env bash
# Neovim (headless) as the LSP client over stdio: the built server must publish the same findings it gives VS
# Code, for the token file of the e2e fixture and for a broken wrangler.toml. Exits non-zero on failure.
# Needs nvim (scripts/install-e2e-tools.sh installs it) and a built server (npm run build; SKIP_BUILD=1 skips).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v nvim >/dev/null || { echo "nvim not found: run scripts/install-e2e-tools.sh" >&2; exit 1; }
[ "${SKIP_BUILD:-}" = 1 ] || npm run build >/dev/null
nvim --version | head -1
RUN="$ROOT/.scratch/e2e-nvim"
rm -rf "$RUN"; mkdir -p "$RUN"
cp -R test/fixtures/lsp/shop "$RUN/shop"
cp -R test/fixtures/lsp/parse-error "$RUN/parse-error"
rc=0
check() { # check <root> <file> <rule> [settings-json]
  echo "-- $2: expecting $3"
  WTL_SERVER="$ROOT/server/out/server.js" WTL_ROOT="$1" WTL_EXPECT="$3" WTL_SETTINGS="${4:-{\}}" \
    timeout 60 nvim --headless --clean -n -u test/e2e/nvim-lsp.lua "$1/$2" || rc=1
}
check "$RUN/shop" deploy-token.json unneeded-group '{"tokenSecrets":{"deploy-token.json":["CLOUDFLARE_API_TOKEN"]}}'
check "$RUN/parse-error" wrangler.toml toml-syntax
[ $rc -eq 0 ] && echo "e2e (neovim): PASS" || echo "e2e (neovim): FAIL"
exit $rc
