#!/usr/bin/env bash
# W1 direct to Postgres against W1 through PgBouncer in transaction mode, in one run: issue 19's
# measurement, and what decided postgres.pooler (README "Behind PgBouncer / RDS Proxy").
#
#   PEERS=<copy of ../shared/peers> [ROUNDS=2] [WARM=25s] benchmarks/w1-pooler.sh <jar> [duration]
#
# Each round runs benchmarks/w1-steady.sh three times on the same jar:
#   direct          postgres.pooler none: named statements, cached per connection (the default)
#   direct-unnamed  postgres.pooler transaction, still direct: what unnamed statements cost alone
#   pgbouncer       postgres.pooler transaction through scripts/pgbouncer.sh (pool_mode = transaction)
# Postgres CPU is counted for the bench database's backends only (w1-steady.sh's PG_DB_ONLY=1): what
# the statement mode changes, apart from other builds on a shared machine. Needs what w1-steady.sh
# needs (peers/setup-db.sh, the local Redis) and pgbouncer (scripts/test-tools.sh).
set -uo pipefail
export PG_DB_ONLY=1
here=$(cd "$(dirname "$0")" && pwd)
jar=$(readlink -f "$1"); duration=${2:-15s}
port=16432
# PgBouncer only around its own round: its idle server connections would keep w1-steady.sh from
# dropping the database for the next one.
through_pgbouncer() {
  local dir; dir=$(mktemp -d)
  "$here/../scripts/pgbouncer.sh" "$dir" "$port" peer_bench 2>"$dir/pgbouncer.log" &
  local bouncer=$!
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.25; done
  INGRESS_POSTGRES_POOLER=transaction INGRESS_POSTGRES_URI="postgresql://peer_bench@127.0.0.1:$port/w1_steady" \
    "$here/w1-steady.sh" "$jar" "$1" "$duration"
  kill -TERM "$bouncer"; wait "$bouncer" 2>/dev/null || true
}
for round in $(seq 1 "${ROUNDS:-2}"); do
  "$here/w1-steady.sh" "$jar" "direct-$round" "$duration"
  INGRESS_POSTGRES_POOLER=transaction "$here/w1-steady.sh" "$jar" "direct-unnamed-$round" "$duration"
  through_pgbouncer "pgbouncer-$round"
done
