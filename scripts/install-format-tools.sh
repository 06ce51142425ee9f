#!/usr/bin/env bash
# Installs the formatters the gate supports besides Prettier (Biome, dprint with its TypeScript
# plugin, oxfmt), at pinned versions, into a folder outside the project's own dependencies, for
# test/gate-format.test.ts, which runs them for real. The folder is BEAST_TOOLS_DIR (default
# node_modules/.cache/beast-tools), binaries in its node_modules/.bin. Packages are saved in that
# folder's package.json, so that installing other tools there later does not prune these. Does
# nothing when they are there already at these versions.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${BEAST_TOOLS_DIR:-node_modules/.cache/beast-tools}"
PACKAGES=(@biomejs/biome@2.6.9 dprint@0.57.4 @dprint/typescript@0.101.0 oxfmt@0.80.0 prettier2@npm:prettier@2.8.8)
STAMP="$DIR/.installed-format-tools"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "${PACKAGES[*]}" ]]; then
  echo "install-format-tools: $DIR is up to date"
  exit 0
fi
mkdir -p "$DIR"
# Its own package.json, so that npm does not walk up and install into the project.
[[ -f "$DIR/package.json" ]] || echo '{"name":"beast-tools","private":true}' >"$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --save-exact "${PACKAGES[@]}"
for bin in biome dprint oxfmt; do
  [[ -x "$DIR/node_modules/.bin/$bin" ]] || { echo "install-format-tools: $bin is missing" >&2; exit 1; }
done
[[ -f "$DIR/node_modules/prettier2/package.json" ]] || { echo "install-format-tools: prettier2 is missing" >&2; exit 1; }
[[ -f "$DIR/node_modules/@dprint/typescript/plugin.wasm" ]] || {
  echo "install-format-tools: @dprint/typescript/plugin.wasm is missing" >&2
  exit 1
}
echo "${PACKAGES[*]}" >"$STAMP"
echo "install-format-tools: installed ${PACKAGES[*]} in $DIR"
