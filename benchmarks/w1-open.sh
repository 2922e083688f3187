#!/usr/bin/env bash
# W1 p99 in the open model at half of W1's maximum rate (issue 11), with the load generators pinned
# away from the ingress as far as two cores allow: the ingress on core 0, wrk and Gatling on core 1,
# Postgres and Redis unpinned.
#
#   PEERS=<copy of ../shared/peers> [BATCH_DELAY_MS=n] benchmarks/w1-open.sh <jar> [seconds]
#
# Steps: start the jar (w1-steady.sh's config, rate limiter on and never rejecting), warm it up
# with wrk for 20 s, measure W1's maximum with wrk for 20 s, then offer half of it with Gatling's
# steady profile (keep-alive) for [seconds] (20). Prints both and leaves Gatling's report under
# benchmarks/gatling/target/gatling/.
set -uo pipefail
jar=$(readlink -f "$1"); seconds=${2:-20}
peers=${PEERS:?PEERS must name a copy of shared/peers}
root="$(cd "$(dirname "$0")/.." && pwd)"
db=w1_open; port=18097; work=/tmp/w1-open
runuser -u postgres -- psql -XAtq -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
runuser -u postgres -- psql -XAtq -c "CREATE DATABASE $db OWNER peer_bench" >/dev/null
rm -rf "$work"; mkdir -p "$work"
batch=""; [ -n "${BATCH_DELAY_MS:-}" ] && batch=", \"batch\": {\"maxDelayMs\": $BATCH_DELAY_MS}"
cat >"$work/conf.json" <<JSON
{ "http": {"host":"127.0.0.1","port":$port},
  "postgres": {"uri":"postgresql://peer_bench@127.0.0.1:5432/$db","passwordEnv":"W1_PG_PASSWORD"$batch},
  "redis": {"uri":"redis://127.0.0.1:6379"},
  "rateLimit": {"default": {"capacity": 100000000, "refillPerSecond": 10000000}},
  "spool": {"dir":"$work/spool"} }
JSON
( cd "$work" && INGRESS_INTERNAL_AUTH_TOKENS=w1-token-0123456789abcdef0123456789abcdef W1_PG_PASSWORD=peer_bench \
    exec taskset -c 0 java -jar "$jar" -conf "$work/conf.json" >"$work/server.log" 2>&1 ) &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 90); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/health/ready)" = 200 ] && break; sleep 1; done

url=http://127.0.0.1:$port/spi/test_runs
taskset -c 1 wrk -t1 -c64 -d20s -s "$peers/payloads/post.lua" "$url" >/dev/null
taskset -c 1 wrk -t1 -c64 -d20s --latency -s "$peers/payloads/post.lua" "$url" >"$work/wrk.txt"
max=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/wrk.txt")
half=$((max / 2))
echo "W1 maximum, pinned: $max req/s (wrk p99 $(awk '$1 == "99%" {print $2}' "$work/wrk.txt")); offering $half users/s"
INGRESS_GITHUB_WEBHOOK_SECRETS=unused-for-w1 taskset -c 1 mvn -B -q -f "$root/benchmarks/gatling/pom.xml" gatling:test \
  -Dbase.url=http://127.0.0.1:$port -Dworkloads=w1 -Dgatling.profile=steady -Dgatling.rate=$half \
  -Dgatling.seconds="$seconds" -Dgatling.shareConnections=true >"$work/gatling.txt" 2>&1
grep -E "request count|Min response|50th|75th|95th|99th|Max response|mean requests/sec|failed events|99th percentile" "$work/gatling.txt" | sort -u
