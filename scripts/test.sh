#!/usr/bin/env bash
# The whole test suite: promtool's tests of the alerting rules, then unit and integration tests
# against real Postgres and Redis (local servers when reachable, embedded ones otherwise), then the
# packaged jar started as a process.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/dev-services.sh
scripts/check-monitoring.sh
mvn -B verify "$@"
