#!/usr/bin/env bash
# The schema-driven fuzz of every operation in openapi.json (ContractFuzzIT), run long: requests
# generated from the document against the packaged jar on a fresh database; no answer may be a
# 5xx, undocumented, or out of its schema. scripts/test.sh runs the same fuzz briefly (its bound is
# jqwik.tries.default in src/test/resources/junit-platform.properties).
#
#   scripts/fuzz.sh [TRIES] [more mvn arguments]      TRIES defaults to 5000
#
# A failure prints the request, the answer and the seed; the next run tries the failing case first.
set -euo pipefail
cd "$(dirname "$0")/.."

tries="${1:-5000}"
shift || true
scripts/dev-services.sh
mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ContractFuzzIT \
  -Djqwik.tries.default="$tries" "$@"
