#!/usr/bin/env bash
# Redis Cluster and Sentinel on this machine, for trying the ingress against them by hand, from the
# Debian redis-server binary (apt-get install redis-server). Each set has ports of its own and a
# directory under /tmp; stopping shuts down exactly the servers this script started.
#
#   scripts/redis-topologies.sh start cluster   # 3 masters 7101-7103, one replica each 7104-7106
#   scripts/redis-topologies.sh start sentinel  # master 7201, replica 7202, sentinels 26401-26403
#   scripts/redis-topologies.sh start all       # both
#   scripts/redis-topologies.sh stop cluster|sentinel|all
#
# The ingress config for each is printed on start.
set -euo pipefail

CLUSTER_PORTS=(7101 7102 7103 7104 7105 7106)
MASTER_PORT=7201
REPLICA_PORT=7202
SENTINEL_PORTS=(26401 26402 26403)
MASTER_NAME=ingress-master
base=/tmp/callback-ingress-redis-topologies

log() { echo "redis-topologies: $*" >&2; }
up() { redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; }
wait_until() {
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" && return 0; sleep 0.2; done
  log "gave up waiting: $what"; return 1
}

# server <port> <dir> [redis-server options...]: a daemon with no persistence, logging to its dir.
server() {
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  if up "$port"; then log "port $port already answers; leaving it"; return; fi
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis-$port.log" --pidfile "$dir/redis-$port.pid" "$@" >/dev/null
  wait_until "redis on $port" up "$port"
}

start_cluster() {
  local dir=$base/cluster
  for port in "${CLUSTER_PORTS[@]}"; do
    server "$port" "$dir" --cluster-enabled yes --cluster-config-file "$dir/nodes-$port.conf" --cluster-node-timeout 5000
  done
  if ! redis-cli -p "${CLUSTER_PORTS[0]}" cluster info | grep -q cluster_state:ok; then
    redis-cli --cluster create $(printf '127.0.0.1:%s ' "${CLUSTER_PORTS[@]}") --cluster-replicas 1 --cluster-yes >"$dir/create.log"
    wait_until "cluster_state:ok" bash -c "redis-cli -p ${CLUSTER_PORTS[0]} cluster info | grep -q cluster_state:ok"
  fi
  log "cluster up: masters ${CLUSTER_PORTS[*]:0:3}, replicas ${CLUSTER_PORTS[*]:3}"
  echo "\"redis\": {\"type\": \"cluster\", \"uri\": \"$(printf 'redis://127.0.0.1:%s,' "${CLUSTER_PORTS[@]:0:3}" | sed 's/,$//')\"}"
}

start_sentinel() {
  local dir=$base/sentinel
  server "$MASTER_PORT" "$dir"
  server "$REPLICA_PORT" "$dir" --replicaof 127.0.0.1 "$MASTER_PORT"
  for port in "${SENTINEL_PORTS[@]}"; do
    if up "$port"; then continue; fi
    # Sentinel rewrites its file as it learns the set, so each gets its own.
    cat >"$dir/sentinel-$port.conf" <<CONF
port $port
bind 127.0.0.1
daemonize yes
dir $dir
logfile $dir/sentinel-$port.log
pidfile $dir/sentinel-$port.pid
sentinel monitor $MASTER_NAME 127.0.0.1 $MASTER_PORT 2
sentinel down-after-milliseconds $MASTER_NAME 5000
sentinel failover-timeout $MASTER_NAME 60000
CONF
    redis-server "$dir/sentinel-$port.conf" --sentinel >/dev/null
    wait_until "sentinel on $port" up "$port"
  done
  log "sentinel set up: master $MASTER_PORT, replica $REPLICA_PORT, sentinels ${SENTINEL_PORTS[*]}"
  echo "\"redis\": {\"type\": \"sentinel\", \"masterName\": \"$MASTER_NAME\", \"uri\": \"$(printf 'redis://127.0.0.1:%s,' "${SENTINEL_PORTS[@]}" | sed 's/,$//')\"}"
}

# stop_ports <dir> <ports...>: SHUTDOWN NOSAVE to each port this script started (it has a pid file there).
stop_ports() {
  local dir=$1; shift
  for port in "$@"; do
    [ -f "$dir/redis-$port.pid" ] || [ -f "$dir/sentinel-$port.pid" ] || continue
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    rm -f "$dir/redis-$port.pid" "$dir/sentinel-$port.pid"
  done
}

stop_cluster() { stop_ports "$base/cluster" "${CLUSTER_PORTS[@]}"; rm -rf "$base/cluster"; log "cluster stopped"; }
# Sentinels first, so they do not fail over a master being stopped.
stop_sentinel() { stop_ports "$base/sentinel" "${SENTINEL_PORTS[@]}" "$REPLICA_PORT" "$MASTER_PORT"; rm -rf "$base/sentinel"; log "sentinel set stopped"; }

command -v redis-server >/dev/null || { log "redis-server not found: apt-get install redis-server"; exit 1; }
case "${1:-} ${2:-}" in
  "start cluster") start_cluster ;;
  "start sentinel") start_sentinel ;;
  "start all") start_cluster; start_sentinel ;;
  "stop cluster") stop_cluster ;;
  "stop sentinel") stop_sentinel ;;
  "stop all") stop_cluster; stop_sentinel ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
