#!/usr/bin/env bash
# The test command: format and lint (Biome), type-check, the dependency rules, then every test against a real database server (built if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
# Formatting and lint rules in biome.json; `npm run format` rewrites what the check refuses.
if ! npx biome check --error-on-warnings .; then
  echo "Formatting or lint problems above: run 'npm run format', then fix what remains by hand." >&2
  exit 1
fi
npx tsc --noEmit -p .
# The dependency direction of STYLE.md; the rules and why are in .dependency-cruiser.cjs.
if ! npm run --silent lint:deps; then
  echo "Dependency rules broken (see the rule names above and .dependency-cruiser.cjs)." >&2
  exit 1
fi
npx vitest run "$@"
