#!/usr/bin/env bash
# Installs PostgreSQL's server binaries (Debian's `postgresql` package) for the tests that run on PostgreSQL,
# when initdb/pg_ctl are missing. The tests start their own throwaway server (tests/peers/postgres.py); the
# package's default cluster is not wanted, so it is switched off before installing. Idempotent, quiet when present.
set -euo pipefail

have_server() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  # Debian keeps them off PATH, under /usr/lib/postgresql/<major>/bin (the fixture looks there too).
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && return 0
  done
  return 1
}

have_server && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "install-postgres: initdb/pg_ctl not found and not root (no sudo): install Debian's postgresql package" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-postgres: initdb/pg_ctl not found and no apt-get: install PostgreSQL's server binaries" >&2
  exit 1
fi

echo "installing PostgreSQL (Debian package postgresql) for the PostgreSQL tests"
# No default cluster (it would start a server on 5432 that nothing uses): postgresql-common reads this drop-in.
"${as_root[@]}" mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | "${as_root[@]}" tee /etc/postgresql-common/createcluster.d/octopost.conf >/dev/null
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
have_server || { echo "install-postgres: postgresql installed but initdb/pg_ctl still not found" >&2; exit 1; }
