#!/usr/bin/env bash
# Smoke test of BEAST MODE on other Node versions (README: "Supported Node versions"): with Node 22
# and 24, installed from the npm registry's node@22 / node@24 packages, run `beast scan` on the
# bundled example, `beast improve` on a git copy of it, and `beast serve` with one API request.
#
# Run after `npm run build`. Usage: scripts/smoke-node.sh [major ...]   (default: 22 24)
# Installs and builds are cached in $BEAST_NODE_CACHE (default ~/.cache/beast-mode/node):
#   <cache>/<major>/node_modules/node/bin/node           the Node binary (test/gate-node.test.ts uses 22)
#   <cache>/<major>/better-sqlite3-<version>-abi<n>-headers<v>/   better-sqlite3 built for it
#
# better-sqlite3 is a native module built for the Node that ran `npm ci`. Its prebuilt binaries for
# other Nodes come from GitHub, which CI may not reach, so it is compiled here from the sources in
# node_modules with npm's own node-gyp against the headers the node@<major> package ships
# (include/node): no download, about 80 s per Node the first time, then cached.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE="${BEAST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/beast-mode/node}"
MAJORS=("$@")
[ ${#MAJORS[@]} -gt 0 ] || MAJORS=(22 24)

fail() { printf 'smoke-node: %s\n' "$*" >&2; exit 1; }
say() { printf 'smoke-node: %s\n' "$*"; }

[ -f dist/cli/main.js ] || fail "dist/ is missing: run npm run build first"
GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$GYP" ] || fail "npm's node-gyp not found at $GYP"
BS3_VERSION=$(node -p 'require("./node_modules/better-sqlite3/package.json").version')

WORK=$(mktemp -d "${TMPDIR:-/tmp}/beast-smoke-node-XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The Node binary of npm's node@<version>, installed into <dir> once.
install_node() {
  local version=$1 dir=$2
  local bin="$dir/node_modules/node/bin/node"
  local pattern="^v${version//./\\.}(\\.|$)"
  if ! "$bin" --version 2>/dev/null | grep -Eq "$pattern"; then
    say "installing node@$version into $dir" >&2
    rm -rf "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$version" >&2
  fi
  "$bin" --version | grep -Eq "$pattern" || fail "$bin is not Node $version: $("$bin" --version)"
  echo "$bin"
}

# Node 24.19 added cleanup hooks to node_object_wrap.h; better-sqlite3 12 compiled against those
# headers aborts when a Statement is collected ("Assertion failed: (env) != nullptr",
# nodejs/node#65446). Compiled against 24.18.1's headers it runs on every 24.x.
HEADERS_24=24.18.1

# better-sqlite3's .node file for the ABI of <node>, compiled once.
build_sqlite() {
  local major=$1 node=$2 abi headers headers_node out platform
  abi=$("$node" -p process.versions.modules)
  platform=$("$node" -p 'process.platform + "-" + process.arch')
  headers_node=$node
  if [ "$major" = 24 ]; then headers_node=$(install_node "$HEADERS_24" "$CACHE/headers-$HEADERS_24"); fi
  out="$CACHE/$major/better-sqlite3-$BS3_VERSION-abi$abi-headers$("$headers_node" --version)"
  if [ ! -f "$out/build/Release/better_sqlite3.node" ]; then
    headers="$(dirname "$(dirname "$headers_node")")/node_modules/node-$platform"
    [ -f "$headers/include/node/node.h" ] || fail "no Node headers in $headers"
    say "building better-sqlite3 $BS3_VERSION for Node $major (ABI $abi) with $("$headers_node" --version)'s headers" >&2
    rm -rf "$out" && mkdir -p "$out"
    cp -r node_modules/better-sqlite3/{binding.gyp,deps,src,lib,package.json} "$out/"
    (cd "$out" && PATH="$(dirname "$node"):$PATH" "$node" "$GYP" rebuild --release \
      --nodedir="$headers" -j 2 --loglevel=warn >"$out/build.log" 2>&1) ||
      fail "building better-sqlite3 failed; see $out/build.log"
  fi
  echo "$out"
}

# A copy of the package as installed, whose better-sqlite3 is the one built for <major>; every
# other dependency is a link to ours.
make_app() {
  local app=$1 sqlite=$2 entry
  mkdir -p "$app/node_modules"
  cp -r bin dist schema package.json "$app/"
  for entry in node_modules/* node_modules/.bin; do
    [ "$(basename "$entry")" = better-sqlite3 ] && continue
    ln -s "$ROOT/$entry" "$app/node_modules/"
  done
  mkdir -p "$app/node_modules/better-sqlite3/build/Release"
  cp -r node_modules/better-sqlite3/{lib,package.json} "$app/node_modules/better-sqlite3/"
  cp "$sqlite/build/Release/better_sqlite3.node" "$app/node_modules/better-sqlite3/build/Release/"
}

smoke() {
  local major=$1 node sqlite app home repo out url started
  started=$(date +%s)
  node=$(install_node "$major" "$CACHE/$major")
  sqlite=$(build_sqlite "$major" "$node")
  app="$WORK/$major/app"
  home="$WORK/$major/home"
  repo="$WORK/$major/demo-repo"
  out="$WORK/$major/out"
  make_app "$app" "$sqlite"
  mkdir -p "$home" "$out"
  local beast=("$node" "$app/bin/beast.js")
  export BEAST_HOME="$home" NO_COLOR=1

  "${beast[@]}" --version >/dev/null || fail "Node $major: beast --version failed"

  # Statements collected by a GC that runs in a stream callback: what aborts with the wrong headers.
  "$node" --max-semi-space-size=1 -e '
    const db = new (require(process.argv[1]))(":memory:");
    let n = 0;
    const child = require("node:child_process").spawn("sh", ["-c", "seq 1 3000"]);
    child.stdout.on("data", () => {
      for (let i = 0; i < 200; i++) db.prepare(`select ${n++}`).get();
      Array.from({ length: 2000 }, (_, i) => ({ i, s: "x".repeat(50) }));
    });' "$app/node_modules/better-sqlite3" || fail "Node $major: better-sqlite3 aborts when statements are collected"

  "${beast[@]}" scan examples/demo-repo --format json --quiet >"$out/scan.json" ||
    fail "Node $major: beast scan exited $?"
  "$node" -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (!(r.score?.score > 0) || !(r.files?.length > 0)) throw new Error("no score or files");' \
    "$out/scan.json" || fail "Node $major: beast scan printed no score: $(head -c 300 "$out/scan.json")"

  cp -r examples/demo-repo "$repo"
  git -C "$repo" init -q -b main
  git -C "$repo" add -A
  git -C "$repo" -c user.name=smoke -c user.email=smoke@example.com commit -qm 'demo-repo'
  "${beast[@]}" improve "$repo" --max-changes 3 --json --quiet >"$out/improve.json" ||
    fail "Node $major: beast improve exited $?: $(head -c 300 "$out/improve.json")"
  "$node" -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const tests = r.checks.find((c) => c.name === "tests");
    if (r.status !== "delivered" || r.outcomes.accepted.length === 0 || !tests?.ran)
      throw new Error(`status ${r.status}, ${r.outcomes.accepted.length} accepted, tests: ${tests?.detail}`);' \
    "$out/improve.json" || fail "Node $major: beast improve delivered nothing validated"
  git -C "$repo" rev-parse --verify -q "$("$node" -p 'require(process.argv[1]).branch' "$out/improve.json")" >/dev/null ||
    fail "Node $major: the improve branch does not exist"

  BEAST_API_TOKEN=smoke-token "${beast[@]}" serve --port 0 >"$out/serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    grep -q '^beast: dashboard' "$out/serve.log" && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "Node $major: beast serve exited: $(cat "$out/serve.log")"
    sleep 0.2
  done
  url=$(sed -n 's/^beast: serving on \(.*\)$/\1/p' "$out/serve.log")
  [ -n "$url" ] || fail "Node $major: beast serve did not start: $(cat "$out/serve.log")"
  "$node" -e 'fetch(new URL("/api/repos", process.argv[1]), { headers: { authorization: "Bearer smoke-token" } })
    .then(async (res) => { const body = await res.text();
      if (res.status !== 200 || !Array.isArray(JSON.parse(body).repos)) throw new Error(`${res.status} ${body.slice(0, 200)}`); })
    .catch((error) => { console.error(error.message); process.exit(1); });' "$url" ||
    fail "Node $major: GET /api/repos failed"
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || fail "Node $major: beast serve exited $? on SIGTERM: $(cat "$out/serve.log")"
  SERVER_PID=""
  say "Node $("$node" --version): scan, improve, serve ok ($(($(date +%s) - started)) s)"
}

for major in "${MAJORS[@]}"; do smoke "$major"; done
