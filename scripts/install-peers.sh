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

# OAuth 2.0 authorization server (code + PKCE, refresh) for the OAuth tests; it wants Node >= 22, so the tests
# run it on the Bluesky peer's Node 22 (installed above).
oauth="$cache/oauth2-mock-server" oauth_version=9.3.0
if ! grep -qs "\"version\": \"$oauth_version\"" "$oauth/node_modules/oauth2-mock-server/package.json"; then
  echo "installing oauth2-mock-server $oauth_version into $oauth"
  mkdir -p "$oauth"
  # The folder's own package must not be called oauth2-mock-server too (npm refuses to install a package into itself).
  (cd "$oauth" && { [ -f package.json ] || { npm init -y >/dev/null && npm pkg set name=octopost-oauth-peer; }; } \
    && npm install --no-audit --no-fund --silent --save-exact "oauth2-mock-server@$oauth_version")
fi

# PostgreSQL server binaries for the tests that run on both dialects (each starts its own throwaway server).
bash "$here/scripts/install-postgres.sh"

# Google's discovery document of the YouTube Data API v3, from the google-api-python-client wheel (Apache-2.0): the
# YouTube fake checks every request against it (tests/fakes/youtube/discovery.py). Only the document is kept.
if [ ! -f "$cache/youtube.v3.json" ]; then
  (cd "$here" && "${PYTHON:-$here/.venv/bin/python}" -m tests.fakes.youtube.discovery)
fi

# The same document as OpenAPI (Swagger 2.0, npm google-discovery-to-swagger): Prism in proxy mode validates every
# YouTube metadata and comment request against it on the way to the YouTube fake (tests/peers/youtube_openapi.py).
g2s="$cache/discovery-to-swagger" g2s_version=2.1.0
if ! grep -qs "\"version\": \"$g2s_version\"" "$g2s/node_modules/google-discovery-to-swagger/package.json"; then
  echo "installing google-discovery-to-swagger $g2s_version into $g2s"
  mkdir -p "$g2s"
  (cd "$g2s" && { [ -f package.json ] || { npm init -y >/dev/null && npm pkg set name=octopost-discovery-converter; }; } \
    && npm install --no-audit --no-fund --silent --save-exact "google-discovery-to-swagger@$g2s_version")
fi
converter="$here/tests/peers/google/discovery-to-openapi.cjs"
if [ ! -f "$cache/youtube.v3.openapi.json" ] || [ "$cache/youtube.v3.json" -nt "$cache/youtube.v3.openapi.json" ] \
  || [ "$converter" -nt "$cache/youtube.v3.openapi.json" ]; then
  node "$converter" "$g2s" "$cache/youtube.v3.json" "$cache/youtube.v3.openapi.json"
fi
