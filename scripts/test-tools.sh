#!/usr/bin/env bash
# Installs the Debian packages the test suite drives as real processes, where missing: haproxy (the
# load balancer of LoadBalancerIT), pgbouncer (the transaction pooler of PgBouncerIT, run by
# scripts/pgbouncer.sh) and prometheus (for promtool, scripts/check-monitoring.sh).
# Already installed is fine; where it cannot be installed (no root,
# no network) this only reports, and the tests that need it are skipped with the reason.
set -uo pipefail

log() { echo "test-tools: $*"; }

# ensure <command> <package>
ensure() {
  local command=$1 package=$2
  # Debian keeps Postgres's server tools (initdb, pg_ctl) off PATH, under /usr/lib/postgresql/<version>/bin.
  if command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] \
      || ls /usr/lib/postgresql/*/bin/"$command" >/dev/null 2>&1; then
    log "$package present"
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "$package missing and no apt-get here: the tests that need it will be skipped"
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  log "installing $package"
  if $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" >/dev/null 2>&1 \
      || { $sudo apt-get update -q >/dev/null 2>&1 \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" >/dev/null 2>&1; }; then
    log "$package installed"
  else
    log "could not install $package: the tests that need it will be skipped"
  fi
}

# postgresql: the server tools scripts/pg-topologies.sh forms PostgresFailoverIT's primary and standby with.
ensure initdb postgresql
ensure haproxy haproxy
ensure pgbouncer pgbouncer
ensure promtool prometheus
# Only the binaries are wanted: where systemd started the packages' servers, stop them again.
if command -v systemctl >/dev/null 2>&1; then
  for service in prometheus pgbouncer; do
    systemctl disable --now "$service" >/dev/null 2>&1 || true
  done
fi
exit 0
