#!/usr/bin/env bash
# Installs Debian's bubblewrap, which runs the repository's tests and linter in a sandbox (see
# src/fixes/gate/sandbox.ts), unless it is there already; then checks that it can create the
# namespaces it needs here (a container may forbid them).
set -euo pipefail

BWRAP="${BEAST_BWRAP:-/usr/bin/bwrap}"

bash "$(dirname "$0")/apt-install.sh" install-sandbox "$BWRAP" bubblewrap
"$BWRAP" --version
# The same trial beast makes before it sandboxes anything.
if ! "$BWRAP" --ro-bind / / --dev /dev --proc /proc --unshare-pid --unshare-net --die-with-parent -- true; then
  echo "install-sandbox: $BWRAP is installed but cannot create namespaces here" >&2
  exit 1
fi
echo "install-sandbox: bubblewrap works"
