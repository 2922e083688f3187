#!/usr/bin/env bash
# Retention soak (issue 14): W1 (POST /spi/test_runs, each with an Idempotency-Key) and signed
# GitHub webhooks against the jar for SOAK_SECONDS with every retention period shortened to
# RETENTION_SECONDS, printing table sizes (pg_total_relation_size, partitions summed) every
# SAMPLE_SECONDS. Retention working means the sizes level off instead of growing. At the end the
# writes acknowledged in the last RETENTION_SECONDS/2 or so are counted against the rows stored
# since the same moment: nothing acknowledged inside the retention window may be missing. Only a
# write in flight at that moment (stored before it, answered after) can be acknowledged and not
# counted, so the check allows at most one per connection.
#
#   [SOAK_SECONDS=600] [RETENTION_SECONDS=120] [SAMPLE_SECONDS=30] [W1_CONNECTIONS=8] \
#   [W3_CONNECTIONS=2] benchmarks/retention-soak.sh
#
# Needs the local Postgres and Redis (scripts/dev-services.sh) and wrk; builds the jar if missing.
# Not part of the unit suite: it takes SOAK_SECONDS and loads the machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
soak=${SOAK_SECONDS:-600}
retention=${RETENTION_SECONDS:-120}
sample=${SAMPLE_SECONDS:-30}
w1_connections=${W1_CONNECTIONS:-8}
w3_connections=${W3_CONNECTIONS:-2}
db=soak_$(date -u +%Y%m%d%H%M%S)
work=$(mktemp -d /tmp/retention-soak.XXXXXX)
secret=soak-github-secret
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
pid=""
export BENCH_WRK_DIR=$root/benchmarks/wrk

log() { echo "soak: $*" >&2; }
sql() { psql -qtA -h 127.0.0.1 -U postgres -d "$db" -c "$1"; }
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  log "stopped; dropped $db; server log and wrk output in $work"
}
trap cleanup EXIT

[ -f target/callback-ingress.jar ] || mvn -B -q -DskipTests package
scripts/dev-services.sh >&2
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null
partition=$(( retention / 2 < 60 ? 60 : retention / 2 ))
cat >"$work/config.json" <<EOF
{
  "http": { "host": "127.0.0.1", "port": $port },
  "postgres": { "uri": "postgresql://postgres@127.0.0.1:5432/$db" },
  "redis": { "uri": "redis://127.0.0.1:6379" },
  "rateLimit": { "default": { "capacity": 100000000, "refillPerSecond": 10000000 } },
  "idempotency": { "ttlSeconds": $retention },
  "spool": { "dir": "$work/spool" },
  "retention": {
    "eventsSeconds": $retention, "webhookDeliveriesSeconds": $retention,
    "familySeconds": { "tooling": $retention, "test_runs": $retention, "ai": $retention, "video_production": $retention },
    "partitionSeconds": $partition, "intervalSeconds": 10
  }
}
EOF
INGRESS_GITHUB_WEBHOOK_SECRETS=$secret INGRESS_INTERNAL_AUTH_TOKENS=soak-token-0123456789abcdef0123456789 \
  java -XX:+ExitOnOutOfMemoryError -jar target/callback-ingress.jar -conf "$work/config.json" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fsS "$base/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$base/health/ready" >/dev/null || { tail -5 "$work/server.log" >&2; exit 1; }

body=$work/push.json
python3 -c 'import json; print(json.dumps({"ref": "refs/heads/main", "pad": "p" * 2000}), end="")' >"$body"
export BENCH_W3_BODY=$body
export BENCH_W3_SIGNATURE="sha256=$(openssl dgst -sha256 -hmac "$secret" -hex <"$body" | awk '{print $NF}')"

# acked <endpoint template>: the server's 2xx answers so far on that POST route.
acked() {
  curl -fsS "$base/metrics" | awk -v e="endpoint=\"$1\"" 'index($0, "spi_requests_total{") == 1 && index($0, e) && \
    index($0, "method=\"POST\"") && $0 ~ /status="2[0-9][0-9]"/ { s += $NF } END { printf "%d\n", s }'
}
# size <table>: bytes of the table, or of all its partitions, indexes and TOAST included.
size_sql() {
  echo "coalesce(nullif(pg_total_relation_size('$1'), 0), 0)
    + coalesce((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = '$1'::regclass), 0)"
}
tables="test_runs ingress_events webhook_deliveries idempotency_keys"
report_sizes() {
  local columns="" t
  for t in $tables; do columns="$columns, round(($(size_sql "$t")) / 1048576.0, 1)"; done
  sql "SELECT $1 ${columns}, (SELECT count(*) FROM pg_inherits WHERE inhparent = 'ingress_events'::regclass),
         (SELECT count(*) FROM test_runs), (SELECT count(*) FROM webhook_deliveries),
         (SELECT count(*) FROM idempotency_keys), (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'idempotency_keys')" \
    | tr '|' '\t'
}

log "soak for ${soak}s, retention ${retention}s, partitions ${partition}s, on $db; samples every ${sample}s"
wrk -t1 -c"$w1_connections" -d"${soak}s" -s benchmarks/wrk/w1_test_runs.lua "$base" >"$work/w1.txt" 2>&1 &
w1=$!
wrk -t1 -c"$w3_connections" -d"${soak}s" -s benchmarks/wrk/w3_github.lua "$base" >"$work/w3.txt" 2>&1 &
w3=$!
printf 'elapsed_s\ttest_runs_MiB\tingress_events_MiB\twebhook_deliveries_MiB\tidempotency_keys_MiB\tevent_partitions\ttest_runs_rows\tdeliveries_rows\tkeys_rows\tkeys_dead\n'
start=$(date +%s)
window=$(( retention / 2 ))
marked=""
while kill -0 "$w1" 2>/dev/null; do
  sleep "$sample"
  elapsed=$(( $(date +%s) - start ))
  report_sizes "$elapsed"
  if [ -z "$marked" ] && [ $(( soak - elapsed )) -le "$window" ]; then
    # The start of the checked window: what was acknowledged so far, and the database's clock.
    marked=$(sql "SELECT now()"); w1_before=$(acked /spi/test_runs); w3_before=$(acked /spi/webhooks/github)
  fi
done
wait "$w1" "$w3" || true
w1_acked=$(( $(acked /spi/test_runs) - ${w1_before:-0} ))
w3_acked=$(( $(acked /spi/webhooks/github) - ${w3_before:-0} ))
marked=${marked:-$(sql "SELECT now() - interval '${soak} seconds'")}
w1_stored=$(sql "SELECT count(*) FROM test_runs WHERE created_at >= '$marked'")
w3_stored=$(sql "SELECT count(*) FROM webhook_deliveries WHERE received_at >= '$marked'")
events_stored=$(sql "SELECT count(*) FROM ingress_events WHERE occurred_at >= '$marked'")
echo
echo "wrk W1: $(awk '/Requests\/sec/ {print $2}' "$work/w1.txt") req/s; W3: $(awk '/Requests\/sec/ {print $2}' "$work/w3.txt") req/s"
echo "acknowledged since $marked (inside retention): W1 $w1_acked, W3 $w3_acked;" \
  "stored since then: test_runs $w1_stored, webhook_deliveries $w3_stored, ingress_events $events_stored"
echo "retention runs logged: $(grep -c 'retention run' "$work/server.log"); last: $(grep 'retention run' "$work/server.log" | tail -1 | sed 's/.*"message":"\([^"]*\)".*/\1/')"
curl -fsS "$base/metrics" | grep -E '^ingress_retention_(rows_deleted|partitions)_total' | sort
if [ "$w1_stored" -ge $(( w1_acked - w1_connections )) ] && [ "$w3_stored" -ge $(( w3_acked - w3_connections )) ] \
    && [ "$events_stored" -ge $(( w1_acked + w3_acked - w1_connections - w3_connections )) ]; then
  echo "OK: every write acknowledged inside the retention window is stored"
else
  echo "LOST: fewer rows stored than acknowledged inside the retention window"; exit 1
fi
