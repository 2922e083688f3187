#!/usr/bin/env bash
# A Postgres primary and a streaming standby on this machine, for trying a failover by hand and for
# PostgresFailoverIT, from Debian's Postgres binaries (/usr/lib/postgresql/<version>/bin, the newest
# installed; apt-get install postgresql). Run as root, the servers run as the postgres user. Each set
# has ports of its own and a directory under /tmp; tearing down stops exactly the servers it started.
#
#   scripts/pg-topologies.sh start sync             # primary 7301, synchronous standby 7302
#   scripts/pg-topologies.sh start async            # the same with an asynchronous standby
#   scripts/pg-topologies.sh stop primary|standby   # pg_ctl stop -m immediate: a crash
#   scripts/pg-topologies.sh promote                # the standby leaves recovery and takes writes
#   scripts/pg-topologies.sh status                 # each server: down, primary or in recovery
#   scripts/pg-topologies.sh teardown               # stops both and removes their data
#
# PG_TOPOLOGY_DIR, PG_TOPOLOGY_PRIMARY_PORT and PG_TOPOLOGY_STANDBY_PORT put a set elsewhere (the
# failover test gives each scenario its own). The ingress config is printed on start.
set -euo pipefail

base=/tmp/callback-ingress-pg-topologies
dir=${PG_TOPOLOGY_DIR:-$base/manual}
primary_port=${PG_TOPOLOGY_PRIMARY_PORT:-7301}
standby_port=${PG_TOPOLOGY_STANDBY_PORT:-7302}
# The name the standby connects with, which synchronous_standby_names lists in the sync variant.
standby_name=standby

log() { echo "pg-topologies: $*" >&2; }
wait_until() {
  local what=$1; shift
  for _ in $(seq 1 150); do "$@" && return 0; sleep 0.2; done
  log "gave up waiting: $what"; return 1
}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
for tool in initdb pg_ctl pg_basebackup postgres psql; do
  [ -x "$bin/$tool" ] || { log "$tool not found under /usr/lib/postgresql/<version>/bin: apt-get install postgresql"; exit 1; }
done

# Postgres refuses to run as root: as root, every server command runs as the postgres user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
owned_dir() {
  mkdir -p "$1"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$1"
}

port_of() { [ "$1" = primary ] && echo "$primary_port" || echo "$standby_port"; }
running() { [ -f "$dir/$1/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/$1" status >/dev/null 2>&1; }
query() { as_postgres "$bin/psql" -X -q -A -t -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -d postgres -c "$2" 2>/dev/null; }
streaming() {
  [ "$(query primary "SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '$standby_name'")" = "streaming $1" ]
}
server_start() { as_postgres "$bin/pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w -t 60 start >/dev/null; }

start() {
  local mode=$1
  if running primary || running standby; then log "$dir already has servers running; teardown first"; exit 1; fi
  rm -rf "$dir"
  mkdir -p "$base"
  chmod 755 "$base"
  owned_dir "$dir"
  as_postgres "$bin/initdb" -D "$dir/primary" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log"
  local sync_names=""
  [ "$mode" = sync ] && sync_names=$standby_name
  cat >>"$dir/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$dir'
synchronous_standby_names = '$sync_names'
CONF
  server_start primary
  # --no-sync: the copy is made again for every set, and an operating system crash is not a scenario here.
  as_postgres "$bin/pg_basebackup" -D "$dir/standby" -R -X stream -c fast --no-sync \
    -d "host=127.0.0.1 port=$primary_port user=postgres application_name=$standby_name"
  # The standby inherits the primary's file: its own port, and once promoted it must not wait
  # for a standby of its own, or every commit would hang.
  cat >>"$dir/standby/postgresql.conf" <<CONF
port = $standby_port
synchronous_standby_names = ''
CONF
  server_start standby
  local expected=async
  [ "$mode" = sync ] && expected=sync
  wait_until "the standby streaming ($expected)" streaming "$expected"
  log "primary $primary_port, $expected standby $standby_port, data in $dir"
  echo "\"postgres\": {\"uri\": \"postgresql://postgres@127.0.0.1:$primary_port,127.0.0.1:$standby_port/postgres?target_session_attrs=read-write\"}"
}

crash() {
  running "$1" || { log "$1 is not running"; return; }
  as_postgres "$bin/pg_ctl" -D "$dir/$1" -m immediate stop >/dev/null
  log "$1 stopped (immediate)"
}

promote() {
  as_postgres "$bin/pg_ctl" -D "$dir/standby" -w -t 60 promote >/dev/null
  log "standby promoted"
}

status() {
  for node in primary standby; do
    local state=down
    if running "$node"; then
      case "$(query "$node" 'SELECT pg_is_in_recovery()')" in
        f) state=primary ;;
        t) state="in recovery" ;;
        *) state="running, not answering" ;;
      esac
    fi
    echo "$node $(port_of "$node"): $state"
  done
}

teardown() {
  for node in primary standby; do
    running "$node" && as_postgres "$bin/pg_ctl" -D "$dir/$node" -m immediate stop >/dev/null
  done
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-} ${2:-}" in
  "start sync") start sync ;;
  "start async") start async ;;
  "stop primary") crash primary ;;
  "stop standby") crash standby ;;
  "promote ") promote ;;
  "status ") status ;;
  "teardown ") teardown ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
