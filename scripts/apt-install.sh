#!/usr/bin/env bash
# Usage: apt-install.sh NAME BINARY PACKAGE
# Installs Debian's PACKAGE with apt-get unless BINARY is there already, as root or through sudo;
# fails, naming NAME (the calling script), when it cannot or when BINARY is still missing after.
# The tests' own dependencies from Debian (chromium, bubblewrap) are installed this way.
set -euo pipefail

NAME="$1"
BINARY="$2"
PACKAGE="$3"

if [ ! -x "$BINARY" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "$NAME: $BINARY is missing, and installing it needs root or sudo" >&2
    exit 1
  fi
  echo "$NAME: installing Debian's $PACKAGE with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "$PACKAGE"
fi

if [ ! -x "$BINARY" ]; then
  echo "$NAME: $BINARY is still missing after apt-get install $PACKAGE" >&2
  exit 1
fi
