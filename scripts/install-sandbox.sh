#!/usr/bin/env bash
# Installs Debian's bubblewrap, which runs the repository's tests and linter in a sandbox (see
# src/fixes/gate/sandbox.ts), unless it is there already; then checks that it can create the
# namespaces it needs here (a container may forbid them).
set -euo pipefail

BWRAP="${BEAST_BWRAP:-/usr/bin/bwrap}"

if [ ! -x "$BWRAP" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-sandbox: $BWRAP is missing, and installing it needs root or sudo" >&2
    exit 1
  fi
  echo "install-sandbox: installing Debian's bubblewrap with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends bubblewrap
fi

if [ ! -x "$BWRAP" ]; then
  echo "install-sandbox: $BWRAP is still missing after apt-get install bubblewrap" >&2
  exit 1
fi
"$BWRAP" --version
# The same trial beast makes before it sandboxes anything.
if ! "$BWRAP" --ro-bind / / --dev /dev --proc /proc --unshare-pid --unshare-net --die-with-parent -- true; then
  echo "install-sandbox: $BWRAP is installed but cannot create namespaces here" >&2
  exit 1
fi
echo "install-sandbox: bubblewrap works"
