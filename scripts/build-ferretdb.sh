#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server on SQLite) once per machine and caches the binary.
# `go install` of this version panics at start (build/version/version.txt is not in the module
# download), so it is built from the module's source with that file written in.
set -euo pipefail
VERSION="${FERRETDB_VERSION:-v1.24.2}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/womento-bot"
BIN="${FERRETDB_BIN:-$CACHE_ROOT/ferretdb-$VERSION/ferretdb}"

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "build-ferretdb: Go >= 1.24 is needed to build FerretDB (or set MONGODB_URI)" >&2; exit 1; }

mkdir -p "$(dirname "$BIN")"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
echo "build-ferretdb: downloading FerretDB $VERSION module source" >&2
dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] || { echo "build-ferretdb: could not download the module" >&2; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
echo "$VERSION" > "$work/src/build/version/version.txt"
echo "build-ferretdb: compiling (the SQLite part takes a few minutes)" >&2
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags ferretdb_no_postgresql -o "$BIN.tmp" ./cmd/ferretdb)
mv "$BIN.tmp" "$BIN"
echo "$BIN"
