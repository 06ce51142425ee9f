#!/usr/bin/env bash
# Installs the linters the gate supports besides ESLint (xo, oxlint, Biome), at pinned versions,
# into a folder outside the project's own dependencies, for test/gate-linters.test.ts, which runs
# them for real (it finds them through BEAST_LINT_TOOLS, or this default folder). Does nothing when
# they are there already at these versions.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${BEAST_LINT_TOOLS:-node_modules/.cache/beast-lint-tools}"
# xo 1.x is the last line that runs on Node 20 (xo 3+ needs Node 22).
PACKAGES=(xo@1.2.3 oxlint@1.96.0 @biomejs/biome@2.6.9)
STAMP="$DIR/.installed"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "${PACKAGES[*]}" ]]; then
  echo "install-lint-tools: $DIR is up to date"
  exit 0
fi
mkdir -p "$DIR"
# Its own package.json, so that npm does not walk up and install into the project.
[[ -f "$DIR/package.json" ]] || echo '{"name":"beast-lint-tools","private":true}' >"$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund "${PACKAGES[@]}"
for bin in xo oxlint biome eslint; do
  [[ -x "$DIR/node_modules/.bin/$bin" ]] || { echo "install-lint-tools: $bin is missing" >&2; exit 1; }
done
echo "${PACKAGES[*]}" >"$STAMP"
echo "install-lint-tools: installed ${PACKAGES[*]} in $DIR"
