#!/usr/bin/env bash
# Installs wrk (Debian's `wrk` package), the HTTP load generator bench/api_throughput.py drives, when it is
# missing. Idempotent, quiet when present.
set -euo pipefail

command -v wrk >/dev/null 2>&1 && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "install-wrk: wrk not found and not root (no sudo): install Debian's wrk package" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-wrk: wrk not found and no apt-get: install wrk (https://github.com/wg/wrk)" >&2
  exit 1
fi

echo "installing wrk (Debian package wrk) for bench/api_throughput.py"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null
command -v wrk >/dev/null 2>&1 || { echo "install-wrk: wrk installed but still not on PATH" >&2; exit 1; }
