#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server on SQLite) once per machine and caches the binary.
# `go install` of this version panics at start (build/version/version.txt is not in the module
# download), so it is built from the module's source with that file written in.
#
# The source is patched with scripts/ferretdb-sqlite-id-index.patch: FerretDB 1.x is no longer developed
# upstream, and in 1.24.2 the SQLite backend's `_id` expression does not match its `_id` index, which makes
# every read, update and delete by `_id` a full table scan (see the patch's header). The cached binary's
# path carries the version and a hash of the patch, so a machine with an older build makes a new one.
set -euo pipefail
VERSION="${FERRETDB_VERSION:-v1.24.2}"
PATCH_FILE="$(cd "$(dirname "$0")" && pwd)/ferretdb-sqlite-id-index.patch"
PATCH_ID="$(sha256sum "$PATCH_FILE" | cut -c1-8)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/womento-bot"
BIN="${FERRETDB_BIN:-$CACHE_ROOT/ferretdb-$VERSION-patch-$PATCH_ID/ferretdb}"

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
echo "build-ferretdb: applying $(basename "$PATCH_FILE")" >&2
if command -v patch >/dev/null 2>&1; then
  patch -p1 --forward --silent -d "$work/src" < "$PATCH_FILE"
else
  git -C "$work/src" apply -p1 "$PATCH_FILE"
fi
echo "build-ferretdb: compiling (the SQLite part takes a few minutes)" >&2
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags ferretdb_no_postgresql -o "$BIN.tmp.$$" ./cmd/ferretdb)
mv "$BIN.tmp.$$" "$BIN"
echo "$BIN"
