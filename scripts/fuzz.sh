#!/usr/bin/env bash
# The schema-driven fuzz of every operation in openapi.json (ContractFuzzIT), run long: requests
# generated from the document against the packaged jar on a fresh database; no answer may be a
# 5xx, undocumented, or out of its schema. scripts/test.sh runs the same fuzz briefly (400 requests,
# ContractFuzzIT's default for -Dfuzz.tries).
#
#   scripts/fuzz.sh [TRIES] [more mvn arguments]      TRIES defaults to 5000
#   scripts/fuzz.sh 5000 -Dfuzz.seed=N                replays the run of seed N, request for request
#
# The seed is random unless given; it is printed at the start and in every failure, with the
# request and the answer. target/contract-fuzz-requests.log lists every request of the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

tries="${1:-5000}"
shift || true
scripts/dev-services.sh
mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ContractFuzzIT \
  -Dfuzz.tries="$tries" "$@"
