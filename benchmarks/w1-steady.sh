#!/usr/bin/env bash
# W1 in steady state, apart from JIT warm-up: one ingress jar, a long warm-up, one measured round.
#
#   PEERS=<copy of ../shared/peers> [WARM=25s] [PROFILE=1 [SAMPLE_MS=10]] [W1_JAVA_OPTS=...] [PG_DB_ONLY=1] benchmarks/w1-steady.sh <jar> <label> [duration]
#
# Needs what w1-compare.sh sets up (peers/setup-db.sh: role peer_bench on the local Postgres) and
# the local Redis. Prints req/s, server and Postgres CPU per request, Redis CPU, and leaves in
# /tmp/w1-steady/<label>/: the server log, wrk's output, per-thread CPU of the ingress before and
# after the measured round (threads-*.txt: the JIT's C1/C2 threads are "C"), and with PROFILE=1 a
# JFR recording (p.jfr) sampled every SAMPLE_MS milliseconds (10: at 1 ms the recording's own
# cost shows, the JIT keeps recompiling and the rate drops by a quarter). Postgres CPU is that of
# every postgres process, or with PG_DB_ONLY=1 only that of the backends connected to the bench's
# database when the measured round starts (on a machine shared with other builds' databases).
set -uo pipefail
jar=$(readlink -f "$1"); label=$2; duration=${3:-15s}
peers=${PEERS:?PEERS must name a copy of shared/peers}
db=w1_steady; port=18096; work=/tmp/w1-steady/$label
runuser -u postgres -- psql -XAtq -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
runuser -u postgres -- psql -XAtq -c "CREATE DATABASE $db OWNER peer_bench" >/dev/null
rm -rf "$work"; mkdir -p "$work"
cat >"$work/conf.json" <<JSON
{ "http": {"host":"127.0.0.1","port":$port},
  "postgres": {"uri":"postgresql://peer_bench@127.0.0.1:5432/$db","passwordEnv":"W1_PG_PASSWORD"},
  "redis": {"uri":"redis://127.0.0.1:6379"},
  "rateLimit": {"default": {"capacity": 100000000, "refillPerSecond": 10000000}},
  "spool": {"dir":"$work/spool"} }
JSON
( cd "$work" && INGRESS_INTERNAL_AUTH_TOKENS=w1-token-0123456789abcdef0123456789abcdef W1_PG_PASSWORD=peer_bench \
    exec java ${W1_JAVA_OPTS:-} -XX:FlightRecorderOptions:stackdepth=256 -jar "$jar" -conf "$work/conf.json" >"$work/server.log" 2>&1 ) &
pid=$!
for _ in $(seq 1 90); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/health/ready)" = 200 ] && break; sleep 1; done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_pids() {
  if [ "${PG_DB_ONLY:-0}" = 1 ]; then runuser -u postgres -- psql -XAtq -c "SELECT pid FROM pg_stat_activity WHERE datname = '$db'"
  else pgrep -u postgres postgres; fi
}
postgres_ticks() { local t=0; for p in $pg_pids; do t=$((t + $(ticks "$p"))); done; echo "$t"; }
threads() { for t in /proc/"$pid"/task/*; do echo "$(ticks "${t#/proc/}") $(cat "$t/comm")"; done \
  | awk '{gsub(/[0-9]+$/, "", $2); cpu[$2] += $1} END {for (n in cpu) print cpu[n], n}' | sort -rn; }

wrk -t1 -c64 -d"${WARM:-25s}" -s "$peers/payloads/post.lua" "http://127.0.0.1:$port/spi/test_runs" >/dev/null
pg_pids=$(postgres_pids)
s0=$(ticks "$pid"); k0=$(awk '{print $15}' "/proc/$pid/stat"); p0=$(postgres_ticks); r0=$(ticks "$(pgrep redis-server | head -1)"); threads >"$work/threads-before.txt"
[ "${PROFILE:-0}" = 1 ] && { sed "s|\\(control=\"method-sampling-java-interval\">\\)[^<]*<|\\1${SAMPLE_MS:-10} ms<|" \
  "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc" >"$work/sampler.jfc"; \
  jcmd "$pid" JFR.start name=w1 settings="$work/sampler.jfc" filename="$work/p.jfr" >/dev/null; }
wrk -t1 -c64 -d"$duration" -s "$peers/payloads/post.lua" "http://127.0.0.1:$port/spi/test_runs" >"$work/wrk.txt"
s1=$(ticks "$pid"); k1=$(awk '{print $15}' "/proc/$pid/stat"); p1=$(postgres_ticks); r1=$(ticks "$(pgrep redis-server | head -1)"); threads >"$work/threads-after.txt"
[ "${PROFILE:-0}" = 1 ] && jcmd "$pid" JFR.stop name=w1 >/dev/null
kill -TERM "$pid"; wait "$pid" 2>/dev/null
awk -v l="$label" -v r="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")" -v n="$(awk '/requests in/ {print $1}' "$work/wrk.txt")" \
    -v s=$((s1 - s0)) -v k=$((k1 - k0)) -v p=$((p1 - p0)) -v rd=$((r1 - r0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
  printf "%s: %.0f req/s; server %.1f s (%.0f%% kernel), %.3f ms/req; postgres %.1f s, %.3f ms/req; redis %.1f s\n",
    l, r, s / hz, s ? 100 * k / s : 0, s * 1000 / hz / n, p / hz, p * 1000 / hz / n, rd / hz }'
