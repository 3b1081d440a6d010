#!/usr/bin/env bash
# The test command: type-check, then every test against a real database server (built if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit -p .
npx vitest run "$@"
