#!/usr/bin/env bash
# The whole test suite: promtool's tests of the alerting rules, then unit and integration tests
# against real Postgres and Redis (local servers when reachable, embedded ones otherwise), then the
# packaged jar started as a process — also as three replicas behind a real HAProxy and as two
# behind a real PgBouncer, which scripts/test-tools.sh installs where missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/dev-services.sh
scripts/test-tools.sh
scripts/check-monitoring.sh
mvn -B verify "$@"
