#!/usr/bin/env bash
# Installs wrk (Debian's `wrk` package), the HTTP load generator bench/api_throughput.py drives, when it is
# missing. Idempotent, quiet when present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

command -v wrk >/dev/null 2>&1 && exit 0

# shellcheck source=apt-install.sh
source "$here/apt-install.sh"
echo "installing wrk (Debian package wrk) for bench/api_throughput.py"
apt_install install-wrk wrk
command -v wrk >/dev/null 2>&1 || { echo "install-wrk: wrk installed but still not on PATH" >&2; exit 1; }
