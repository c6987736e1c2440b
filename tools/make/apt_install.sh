#!/usr/bin/env bash
# Installs Debian packages the tests need (as root, as on CI and the project's machines).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "Installing $* needs root: sudo apt-get install -y $*" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
