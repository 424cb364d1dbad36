#!/usr/bin/env bash
# Sourced by the install scripts: `apt_install WHO PACKAGE…` installs Debian packages as root (directly, or through
# passwordless sudo), or says why it cannot and exits 1. WHO names the caller in its messages.

apt_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    return 126
  fi
}

# `apt_possible WHO PACKAGE…`: exits 1, saying why, unless apt_install can work here.
apt_possible() {
  local who=$1
  shift
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "$who: not root and no sudo: install Debian's $* package(s)" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get here: install $* yourself" >&2
    exit 1
  fi
}

apt_install() {
  apt_possible "$@"
  shift
  export DEBIAN_FRONTEND=noninteractive
  apt_root apt-get update -qq
  apt_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
