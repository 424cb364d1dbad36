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

# shellcheck source=apt-install.sh
source "$(cd "$(dirname "$0")" && pwd)/apt-install.sh"
apt_possible install-postgres postgresql
echo "installing PostgreSQL (Debian package postgresql) for the PostgreSQL tests"
# No default cluster (it would start a server on 5432 that nothing uses): postgresql-common reads this drop-in.
apt_root mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | apt_root tee /etc/postgresql-common/createcluster.d/octopost.conf >/dev/null
apt_install install-postgres postgresql
have_server || { echo "install-postgres: postgresql installed but initdb/pg_ctl still not found" >&2; exit 1; }
