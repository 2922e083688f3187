#!/usr/bin/env bash
# Checks the Prometheus rules of conf/monitoring with promtool: syntax (check rules) and the unit
# tests of every alert (test rules). promtool comes with Debian's `prometheus` package; where it is
# missing it is installed if this runs as root with apt-get, else this step is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "check-monitoring: installing promtool (Debian package prometheus)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
    # Only promtool is wanted: where systemd started the package's server, stop it again.
    if command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
  fi
fi
if ! command -v promtool >/dev/null 2>&1; then
  echo "check-monitoring: SKIPPED, promtool not found and not installable here (apt-get install prometheus, as root)"
  exit 0
fi

promtool check rules conf/monitoring/callback-ingress.rules.yml
promtool test rules conf/monitoring/callback-ingress.rules.test.yml
