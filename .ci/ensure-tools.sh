#!/usr/bin/env bash
# Make sure each command exists; install its Debian package when running as root.
# Usage: ensure-tools.sh command:package [command:package ...]
set -euo pipefail
missing_pkgs=()
missing_cmds=()
for pair in "$@"; do
  cmd=${pair%%:*}
  pkg=${pair#*:}
  if ! command -v "$cmd" >/dev/null 2>&1; then
    missing_cmds+=("$cmd")
    missing_pkgs+=("$pkg")
  fi
done
[ ${#missing_pkgs[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null
  exit 0
fi
echo "Missing commands: ${missing_cmds[*]}" >&2
echo "Install them first, e.g.: sudo apt-get install ${missing_pkgs[*]}" >&2
exit 1
