#!/usr/bin/env bash
# Makes sure the local Postgres (127.0.0.1:5432) and Redis (127.0.0.1:6379) that the tests use are
# up, starting them if they are installed but stopped. Where neither can be had, the tests fall back
# to embedded servers, so this script never fails the build: it only reports.
#
#   scripts/dev-services.sh                          # the local Postgres and Redis the tests use
#   scripts/dev-services.sh start|stop cluster|sentinel|all
#       a Redis Cluster or a Sentinel set for manual use, on ports of their own
#       (scripts/redis-topologies.sh says which)
#   scripts/dev-services.sh start pg-replica|pg-replica-async
#       a Postgres primary with a synchronous (or asynchronous) streaming standby, ports 7301 and 7302
#   scripts/dev-services.sh stop pg-replica
#       (scripts/pg-topologies.sh crashes a server, promotes the standby, shows the status)
set -uo pipefail

case "${1:-} ${2:-}" in
  "start pg-replica") exec "$(dirname "$0")/pg-topologies.sh" start sync ;;
  "start pg-replica-async") exec "$(dirname "$0")/pg-topologies.sh" start async ;;
  "stop pg-replica" | "stop pg-replica-async") exec "$(dirname "$0")/pg-topologies.sh" teardown ;;
esac
if [ $# -gt 0 ]; then
  exec "$(dirname "$0")/redis-topologies.sh" "$@"
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 20); do pg_up && break; sleep 0.5; done
fi

if ! redis_up && command -v redis-server >/dev/null 2>&1; then
  mkdir -p /tmp/callback-ingress-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/callback-ingress-redis --logfile /tmp/callback-ingress-redis/redis.log >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do redis_up && break; sleep 0.25; done
fi

if pg_up; then echo "dev-services: Postgres up on 127.0.0.1:5432"; else echo "dev-services: no local Postgres; tests will use an embedded one"; fi
if redis_up; then echo "dev-services: Redis up on 127.0.0.1:6379"; else echo "dev-services: no local Redis; tests will use an embedded one"; fi
exit 0
