#!/usr/bin/env bash
# Installs Debian's `chromium` for the dashboard's browser tests (Playwright for Python drives it through
# executable_path; Playwright never downloads a browser). Idempotent, quiet when present.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0

# shellcheck source=apt-install.sh
source "$(cd "$(dirname "$0")" && pwd)/apt-install.sh"
echo "installing Chromium (Debian package chromium) for the dashboard's browser tests"
apt_install install-chromium chromium
command -v chromium >/dev/null 2>&1 || { echo "install-chromium: chromium installed but not on PATH" >&2; exit 1; }
