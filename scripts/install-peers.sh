#!/usr/bin/env bash
# Installs the independent peers the adapter tests run against, cached outside the clone so a fresh clone
# reuses them; re-installs whatever is missing. Idempotent and quiet when everything is there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${OCTOPOST_PEER_CACHE:-$HOME/.cache/octopost}
mkdir -p "$cache"

# Bluesky: the real PDS (@atproto/pds 0.5.35 + @did-plc/server) on Node 22 from npm (~2 min the first time).
bsky="$cache/bsky-pds"
if [ ! -f "$bsky/.installed" ]; then
  echo "installing the Bluesky PDS peer into $bsky (first time: about 2 minutes)"
  rm -rf "$bsky"
  bash "$here/tests/peers/bsky/setup-bsky-peer.sh" "$bsky"
  touch "$bsky/.installed"
fi

# Prism (X, Discord, Slack vendor specs as validating mocks).
prism="$cache/prism"
if [ ! -x "$prism/node_modules/.bin/prism" ]; then
  echo "installing Prism into $prism"
  mkdir -p "$prism"
  (cd "$prism" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent @stoplight/prism-cli@5)
fi

# PostgreSQL server binaries for the tests that run on both dialects (each starts its own throwaway server).
bash "$here/scripts/install-postgres.sh"
