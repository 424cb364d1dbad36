#!/usr/bin/env bash
# Installs the independent peers the adapter tests run against, cached outside the clone so a fresh clone
# reuses them; re-installs whatever is missing. Idempotent and quiet when everything is there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${OCTOPOST_PEER_CACHE:-$HOME/.cache/octopost}
mkdir -p "$cache"

# npm_pinned DIR PACKAGE VERSION FOLDER_NAME: PACKAGE at exactly VERSION in DIR, unless it is there already. The
# folder's own package gets FOLDER_NAME (npm refuses to install a package into a folder named like it).
npm_pinned() {
  local dir=$1 package=$2 version=$3 name=$4
  if ! grep -qs "\"version\": \"$version\"" "$dir/node_modules/$package/package.json"; then
    echo "installing $package $version into $dir"
    mkdir -p "$dir"
    (cd "$dir" && { [ -f package.json ] || { npm init -y >/dev/null && npm pkg set "name=$name"; }; } \
      && npm install --no-audit --no-fund --silent --save-exact "$package@$version")
  fi
}

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

# OAuth 2.0 authorization server (code + PKCE, refresh) for the OAuth tests; it wants Node >= 22, so the tests
# run it on the Bluesky peer's Node 22 (installed above).
oauth="$cache/oauth2-mock-server"
npm_pinned "$oauth" oauth2-mock-server 9.3.0 octopost-oauth-peer

# PostgreSQL server binaries for the tests that run on both dialects (each starts its own throwaway server).
bash "$here/scripts/install-postgres.sh"

# Debian's Chromium for the dashboard's browser tests (Playwright for Python drives it; no browser download).
bash "$here/scripts/install-chromium.sh"

# Google's discovery document of the YouTube Data API v3, from the google-api-python-client wheel (Apache-2.0): the
# YouTube fake checks every request against it (tests/fakes/youtube/discovery.py). Only the document is kept.
if [ ! -f "$cache/youtube.v3.json" ]; then
  (cd "$here" && "${PYTHON:-$here/.venv/bin/python}" -m tests.fakes.youtube.discovery)
fi

# The same document as OpenAPI (Swagger 2.0, npm google-discovery-to-swagger): Prism in proxy mode validates every
# YouTube metadata and comment request against it on the way to the YouTube fake (tests/peers/youtube_openapi.py).
g2s="$cache/discovery-to-swagger"
npm_pinned "$g2s" google-discovery-to-swagger 2.1.0 octopost-discovery-converter
converter="$here/tests/peers/google/discovery-to-openapi.cjs"
if [ ! -f "$cache/youtube.v3.openapi.json" ] || [ "$cache/youtube.v3.json" -nt "$cache/youtube.v3.openapi.json" ] \
  || [ "$converter" -nt "$cache/youtube.v3.openapi.json" ]; then
  node "$converter" "$g2s" "$cache/youtube.v3.json" "$cache/youtube.v3.openapi.json"
fi
