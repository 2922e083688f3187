#!/usr/bin/env bash
# Two ingress builds side by side, measured in alternating rounds: the way to compare a change
# smaller than this machine's run-to-run noise (±15–30 % between runs of tls-compare.sh), since
# both sides share whatever the machine does meanwhile.
#
#   benchmarks/tls-ab.sh <jar A> <jar B>
#
# env: WARM (30: seconds of each shape on each side before the rounds; 0 measures from a cold JVM),
#      ROUNDS (5), SECS (10 per round), SHAPES ("tls plain": W1 per new TLS connection, W1 per new
#      plain connection; "mtls" adds a client certificate; "keepalive" is W1 on kept-alive TLS),
#      A_JAVA / B_JAVA (java: another JDK's bin/java), A_OPTS / B_OPTS (JVM options).
# The same jar on both sides with different A_/B_ settings compares JDKs or JVM flags.
# Prints, per round and in total, each side's server CPU per request (user + system from /proc)
# and the part of it spent by the JIT compiler threads (C1 + C2). Needs the local Postgres and
# Redis (scripts/dev-services.sh) and ab (apache2-utils); EC P-256 certificates from gen-certs.sh.
set -uo pipefail
jar_a=$(readlink -f "${1:?jar A}"); jar_b=$(readlink -f "${2:?jar B}")
WARM=${WARM:-30}; ROUNDS=${ROUNDS:-5}; SECS=${SECS:-10}; SHAPES=${SHAPES:-tls plain}
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v ab >/dev/null || apt-get install -y apache2-utils >/dev/null 2>&1 \
  || { apt-get update >/dev/null && apt-get install -y apache2-utils >/dev/null; }
work=$(mktemp -d /tmp/tls-ab.XXXXXX)
"$repo/scripts/gen-certs.sh" "$work/certs" >/dev/null
cat "$work/certs/client-spiffe.crt" "$work/certs/client-spiffe.key" >"$work/client.pem"
printf '{"test_run":{"submission_uuid":"s-1","track_slug":"ruby","exercise_slug":"two-fer","status":"pass","duration_ms":12}}' >"$work/body.json"
databases=()
pids=()
cleanup() {
  kill -TERM "${pids[@]}" 2>/dev/null; wait
  for db in "${databases[@]}"; do runuser -u postgres -- psql -XAtq -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; done
}
trap cleanup EXIT

# start <side> <jar> <java> <opts> <http port> <tls port>: one ingress with a database of its own
start() {
  local side=$1 db="tls_ab_$1_$$"
  runuser -u postgres -- psql -XAtq -c "CREATE DATABASE $db" >/dev/null || { echo "FAIL: create database $db"; exit 1; }
  databases+=("$db")
  cat >"$work/conf-$side.json" <<JSON
{ "http": {"host":"127.0.0.1","port":$5},
  "tls": {"enabled": true, "port": $6, "certPath": "$work/certs/server.crt", "keyPath": "$work/certs/server.key",
          "clientAuth": "request", "clientCaPath": "$work/certs/ca.crt"},
  "postgres": {"uri":"postgresql://postgres@127.0.0.1:5432/$db"},
  "redis": {"uri":"redis://127.0.0.1:6379"},
  "rateLimit": {"default": {"capacity": 100000000, "refillPerSecond": 10000000}},
  "spool": {"dir":"$work/spool-$side"} }
JSON
  # shellcheck disable=SC2086 # the options are words
  INGRESS_INTERNAL_AUTH_TOKENS=tls-ab-token-0123456789abcdef0123456789abcdef \
    "$3" $4 -jar "$2" -conf "$work/conf-$side.json" >"$work/ingress-$side.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$5/health/ready")" = 200 ] && return; sleep 0.5; done
  echo "FAIL: side $side not ready; $work/ingress-$side.log"; exit 1
}
start a "$jar_a" "${A_JAVA:-java}" "${A_OPTS:-}" 18199 18543
start b "$jar_b" "${B_JAVA:-java}" "${B_OPTS:-}" 19199 19543
declare -A PID=([a]=${pids[0]} [b]=${pids[1]}) HTTP=([a]=18199 [b]=19199) TLS=([a]=18543 [b]=19543)

# args <shape> <side>: ab's arguments for one request shape against one side
args() {
  local w1="-p $work/body.json -T application/json" path=/spi/test_runs
  case $1 in
    tls) echo "$w1 https://127.0.0.1:${TLS[$2]}$path" ;;
    mtls) echo "-E $work/client.pem $w1 https://127.0.0.1:${TLS[$2]}$path" ;;
    plain) echo "$w1 http://127.0.0.1:${HTTP[$2]}$path" ;;
    keepalive) echo "-k $w1 https://127.0.0.1:${TLS[$2]}$path" ;;
  esac
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
jit_ticks() {
  local sum=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in "C1 Compiler"*|"C2 Compiler"*) sum=$((sum + $(ticks "${task#/proc/}"))) ;; esac
  done
  echo "$sum"
}
hz=$(getconf CLK_TCK)
per_request() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.4f", (n > 0 ? t / hz * 1000 / n : 0) }'; }

if [ "$WARM" -gt 0 ]; then
  for shape in $SHAPES; do for side in a b; do
    # shellcheck disable=SC2046
    ab -q -t "$WARM" -n 100000000 -c 32 $(args "$shape" "$side") >/dev/null 2>&1
  done; done
fi
echo "A: $jar_a ${A_JAVA:-java} ${A_OPTS:-}"
echo "B: $jar_b ${B_JAVA:-java} ${B_OPTS:-}"
echo "ab -c32, $ROUNDS rounds of ${SECS} s per shape and side, after ${WARM} s of each; $(nproc) cores, $(date -u +%FT%TZ)"
declare -A CPU JIT REQ
for round in $(seq 1 "$ROUNDS"); do
  for shape in $SHAPES; do for side in a b; do
    pid=${PID[$side]}
    c0=$(ticks "$pid"); j0=$(jit_ticks "$pid")
    # shellcheck disable=SC2046
    ab -t "$SECS" -n 100000000 -c 32 $(args "$shape" "$side") >"$work/ab.out" 2>&1
    c1=$(ticks "$pid"); j1=$(jit_ticks "$pid")
    n=$(awk '/Complete requests/ {print $3}' "$work/ab.out")
    k=$shape/$side
    CPU[$k]=$((${CPU[$k]:-0} + c1 - c0)); JIT[$k]=$((${JIT[$k]:-0} + j1 - j0)); REQ[$k]=$((${REQ[$k]:-0} + ${n:-0}))
    echo "round $round $shape $side: ${n:-0} requests, $(per_request $((c1 - c0)) "${n:-0}") ms CPU/req, JIT $(per_request $((j1 - j0)) "${n:-0}")"
  done; done
done
echo "| shape | side | requests | server CPU ms/req | of which JIT |"
echo "|---|---|---:|---:|---:|"
for shape in $SHAPES; do for side in a b; do
  k=$shape/$side
  echo "| $shape | $side | ${REQ[$k]} | $(per_request "${CPU[$k]}" "${REQ[$k]}") | $(per_request "${JIT[$k]}" "${REQ[$k]}") |"
done; done
