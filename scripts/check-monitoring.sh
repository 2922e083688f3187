#!/usr/bin/env bash
# Checks the Prometheus rules of conf/monitoring with promtool: syntax (check rules) and the unit
# tests of every alert (test rules). promtool comes with Debian's `prometheus` package, which
# scripts/test-tools.sh installs where it can; where it could not, this step is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  echo "check-monitoring: SKIPPED, promtool not found and not installable here (apt-get install prometheus, as root)"
  exit 0
fi

promtool check rules conf/monitoring/callback-ingress.rules.yml
promtool test rules conf/monitoring/callback-ingress.rules.test.yml
