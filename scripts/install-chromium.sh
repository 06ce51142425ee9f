#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser test (test/e2e/), unless it is there already.
# playwright-core drives it through executablePath; `npx playwright install` cannot download here.
set -euo pipefail

CHROMIUM="${BEAST_CHROMIUM:-/usr/bin/chromium}"
bash "$(dirname "$0")/apt-install.sh" install-chromium "$CHROMIUM" chromium
"$CHROMIUM" --version
