#!/usr/bin/env bash
# Installs the Debian packages the test suite drives as real processes, where missing: haproxy (the
# load balancer of LoadBalancerIT), prometheus (for promtool, scripts/check-monitoring.sh) and
# postgresql (the server tools scripts/pg-topologies.sh forms PostgresFailoverIT's primary and
# standby with: initdb, pg_ctl, pg_basebackup).
# Already installed is fine; where it cannot be installed (no root,
# no network) this only reports, and the tests that need it are skipped with the reason.
set -uo pipefail

log() { echo "test-tools: $*"; }

on_path() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
# Debian keeps the server tools out of PATH, under the installed version's directory.
postgres_server_tools() {
  local tool
  for tool in initdb pg_ctl pg_basebackup postgres psql; do
    ls /usr/lib/postgresql/*/bin/"$tool" >/dev/null 2>&1 || return 1
  done
}

# ensure <package> <check...>: installs the package unless the check passes.
ensure() {
  local package=$1; shift
  if "$@"; then
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

ensure haproxy on_path haproxy
ensure prometheus on_path promtool
ensure postgresql postgres_server_tools
# Only promtool is wanted from prometheus: where systemd started the package's server, stop it again.
if command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
exit 0
