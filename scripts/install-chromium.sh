#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser test (test/e2e/), unless it is there already.
# playwright-core drives it through executablePath; `npx playwright install` cannot download here.
set -euo pipefail

CHROMIUM="${BEAST_CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-chromium: $CHROMIUM is missing, and installing it needs root or sudo" >&2
    exit 1
  fi
  echo "install-chromium: installing Debian's chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM is still missing after apt-get install chromium" >&2
  exit 1
fi
"$CHROMIUM" --version
