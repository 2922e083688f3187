#!/usr/bin/env bash
# Load benchmark of callback-ingress: builds the jar, starts it against a fresh Postgres database
# and the local Redis, measures a ceiling (GET /health/live) and then W1-W3 with wrk (closed loop),
# W1 over TLS the way Lambda callers arrive (ab, one request per new connection: a full handshake
# each, with and without a client certificate; and on kept-alive TLS connections),
# W1 again with the rate limiter off, optionally Gatling (open model, BENCH_GATLING=1), and
# appends one table to benchmarks/RESULTS.md. Everything it starts is stopped and the database
# dropped on exit.
#
#   scripts/bench.sh                                   # 10 s per workload, 32 connections (W1 also at 256)
#   BENCH_SECONDS=5 BENCH_CONNECTIONS=16 scripts/bench.sh
#   BENCH_WARMUP=30 scripts/bench.sh                   # seconds of unrecorded W1 before the first round (15)
#   BENCH_JFR=0 scripts/bench.sh                       # skip the extra W1 run under JFR (default on)
#   BENCH_GATLING=1 scripts/bench.sh                   # + the Gatling simulations (benchmarks/gatling)
#
# "acked" is the server's own count of 2xx answers (spi_requests_total on /metrics, delta over the
# workload) — not wrk's, which misses requests still in flight when its timer stops; "stored" is
# the rows (or, for W2, the tooling_job.updated events) that appeared in Postgres meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
many_connections=${BENCH_MANY_CONNECTIONS:-256}
warmup=${BENCH_WARMUP:-15}
threads=${BENCH_THREADS:-2}
jobs=${BENCH_JOBS:-256}
jfr=${BENCH_JFR:-1}
gatling=${BENCH_GATLING:-0}
ts=$(date -u +%Y%m%d%H%M%S)
db=bench_$ts
work=$(mktemp -d /tmp/callback-ingress-bench.XXXXXX)
secret="bench-github-secret-$ts"
pid=""
pid_on=""
pid_off=""
results=benchmarks/RESULTS.md
export BENCH_WRK_DIR=$root/benchmarks/wrk

log() { echo "bench: $*" >&2; }

cleanup() {
  for p in "$pid_on" "$pid_off"; do pid=$p; stop_ingress; done
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  log "stopped the ingress, dropped $db; logs and outputs kept in $work"
}
trap cleanup EXIT

stop_ingress() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  pid=""
}

# --- tools, jar, services, database -------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
if ! command -v ab >/dev/null; then
  log "installing ab (apache2-utils)"
  apt-get install -y apache2-utils >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y apache2-utils >/dev/null; }
fi
log "building target/callback-ingress.jar"
mvn -B -q -DskipTests package
scripts/dev-services.sh >&2
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null
sql() { psql -qtA -h 127.0.0.1 -U postgres -d "$db" -c "$1"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
base=http://127.0.0.1:$port
tls_port=$(free_port)
scripts/gen-certs.sh "$work/certs" >/dev/null   # ECDSA P-256, as the README recommends
cat "$work/certs/client-spiffe.crt" "$work/certs/client-spiffe.key" >"$work/certs/client-spiffe.pem"
config=$work/config.json
cat >"$config" <<EOF
{
  "http": { "port": $port },
  "tls": { "enabled": true, "port": $tls_port, "certPath": "$work/certs/server.crt", "keyPath": "$work/certs/server.key",
           "clientAuth": "request", "clientCaPath": "$work/certs/ca.crt", "sessionTicketKeysPath": "$work/certs/ticket.key" },
  "postgres": { "uri": "postgresql://postgres@127.0.0.1:5432/$db" },
  "redis": { "uri": "redis://127.0.0.1:6379" },
  "rateLimit": { "enabled": true, "default": { "capacity": 100000000, "refillPerSecond": 10000000 } },
  "webhooks": { "github": { "secretsEnv": "INGRESS_GITHUB_WEBHOOK_SECRETS" } },
  "spool": { "dir": "$work/spool" }
}
EOF
export INGRESS_GITHUB_WEBHOOK_SECRETS=$secret

# start_ingress <name> <port> [extra env assignments...]: the jar in the background, stdout to a
# file; sets pid and base to that instance.
# The internal family needs a token to start (SPEC 11); the benchmark never calls it.
export INGRESS_INTERNAL_AUTH_TOKENS="${INGRESS_INTERNAL_AUTH_TOKENS:-bench-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')}"

start_ingress() {
  local name=$1 instance_port=$2; shift 2
  base=http://127.0.0.1:$instance_port
  env INGRESS_HTTP_PORT="$instance_port" "$@" java ${BENCH_JAVA_OPTS:-} -jar target/callback-ingress.jar -conf "$config" \
    >"$work/ingress-$name.out" 2>"$work/ingress-$name.err" &
  pid=$!
  for _ in $(seq 1 120); do
    # Ready, and still ours: a process that lost the port race must not pass on another's answer.
    if curl -fsS "$base/health/ready" >/dev/null 2>&1 && sleep 0.5 && kill -0 "$pid" 2>/dev/null; then log "ingress ($name) ready, pid $pid"; return; fi
    kill -0 "$pid" 2>/dev/null || { tail -n 5 "$work/ingress-$name.out" "$work/ingress-$name.err" >&2; exit 1; }
    sleep 0.5
  done
  log "ingress ($name) not ready after 60 s"; exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
postgres_ticks() { local t=0 p; for p in $(pgrep -u postgres postgres); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
# acked <method> <endpoint template>: the server's 2xx count so far for that route.
acked() {
  curl -fsS "$base/metrics" | awk -v m="method=\"$1\"" -v e="endpoint=\"$2\"" \
    'index($0, "spi_requests_total{") == 1 && index($0, m) && index($0, e) && $0 ~ /status="2[0-9][0-9]"/ { s += $NF } END { printf "%d\n", s }'
}

rows=()
commands=()
gatling_notes=()
# run_wrk <label> <lua> <method> <endpoint> <stored-count SQL> [connections]
run_wrk() {
  local label=$1 lua=$2 method=$3 endpoint=$4 count_sql=$5
  local cmd="wrk -t$threads -c${6:-$connections} -d${seconds}s --latency -s benchmarks/wrk/$lua $base"
  local before_rows before_ack before_cpu before_pg out line
  before_rows=$(sql "$count_sql"); before_ack=$(acked "$method" "$endpoint"); before_cpu=$(cpu_ticks); before_pg=$(postgres_ticks)
  log "$label: $cmd"
  out=$($cmd)
  echo "$out" >"$work/wrk-$label.txt"
  sleep 1 # requests in flight when wrk's timer stopped finish (and are counted) here
  local cpu=$(( $(cpu_ticks) - before_cpu )) pg=$(( $(postgres_ticks) - before_pg ))
  local ack=$(( $(acked "$method" "$endpoint") - before_ack ))
  local ms_per_req=$(awk -v t="$cpu" -v n="$ack" 'BEGIN { printf "%.3f", (n > 0 ? t * 10 / n : 0) }')
  local pg_ms_per_req=$(awk -v t="$pg" -v n="$ack" 'BEGIN { printf "%.3f", (n > 0 ? t * 10 / n : 0) }')
  local stored=$(( $(sql "$count_sql") - before_rows ))
  line=$(echo "$out" | grep '^BENCH ')
  val() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
  local ok="n/a"
  if [ "$count_sql" != "SELECT 0" ]; then [ "$ack" -eq "$stored" ] && ok=yes || ok=NO; fi
  rows+=("| $label | $(val rps) | $(val p50_ms) | $(val p99_ms) | $(val p999_ms) | $(val non2xx) | $(val socket_errors) | $(awk -v t="$cpu" 'BEGIN { printf "%.1f", t / 100 }') | $ms_per_req | $pg_ms_per_req | $ack | $stored | $ok |")
  commands+=("$label: \`$cmd\`")
  log "${rows[-1]}"
}

# run_ab <label> [ab options...]: W1 over TLS to the limiter-on instance with ab, whose -c clients
# each open a new connection (a full handshake) per request unless given -k; a row like run_wrk's.
w1_body=$work/w1-body.json
printf '{"test_run":{"submission_uuid":"s-1","track_slug":"ruby","exercise_slug":"two-fer","status":"pass","duration_ms":12}}' >"$w1_body"
run_ab() {
  local label=$1; shift
  local cmd="ab -t $seconds -n 100000000 -c $connections -p $w1_body -T application/json $* https://127.0.0.1:$tls_port/spi/test_runs"
  local before_rows before_ack before_cpu before_pg out
  before_rows=$(sql "SELECT count(*) FROM test_runs"); before_ack=$(acked POST /spi/test_runs); before_cpu=$(cpu_ticks); before_pg=$(postgres_ticks)
  log "$label: $cmd"
  out=$($cmd 2>&1)
  echo "$out" >"$work/ab-${label//[^A-Za-z0-9]/_}.txt"
  sleep 1
  local cpu=$(( $(cpu_ticks) - before_cpu )) pg=$(( $(postgres_ticks) - before_pg ))
  local ack=$(( $(acked POST /spi/test_runs) - before_ack )) stored=$(( $(sql "SELECT count(*) FROM test_runs") - before_rows ))
  abv() { echo "$out" | awk -v k="$1" -v f="$2" 'index($0, k) == 1 { print $f; exit }'; }
  rows+=("| $label | $(abv 'Requests per second' 4) | $(abv '  50%' 2) | $(abv '  99%' 2) | – | $(n=$(abv 'Non-2xx responses' 3); echo "${n:-0}") | $(abv 'Failed requests' 3) failed | $(awk -v t="$cpu" 'BEGIN { printf "%.1f", t / 100 }') | $(awk -v t="$cpu" -v n="$ack" 'BEGIN { printf "%.3f", (n > 0 ? t * 10 / n : 0) }') | $(awk -v t="$pg" -v n="$ack" 'BEGIN { printf "%.3f", (n > 0 ? t * 10 / n : 0) }') | $ack | $stored | $([ "$ack" -eq "$stored" ] && echo yes || echo NO) |")
  commands+=("$label: \`$cmd\`")
  log "${rows[-1]}"
}

# --- the W3 body: 4 KiB of JSON, signed once (the signature covers the body, not the headers) -----
w3_body=$work/w3-body.json
python3 - "$w3_body" <<'EOF'
import json, sys
body = {"ref": "refs/heads/main", "repository": {"full_name": "exercism/bench"}, "commits": []}
while len(json.dumps(body)) < 4096 - 120:
    i = len(body["commits"])
    body["commits"].append({"id": "%040x" % i, "message": "commit number %d of the bench push" % i})
text = json.dumps(body)
text = text[:-1] + ', "pad": "' + "p" * (4096 - len(text) - 11) + '"}'
open(sys.argv[1], "w").write(text)
EOF
export BENCH_W3_BODY=$w3_body
export BENCH_W3_SIGNATURE="sha256=$(openssl dgst -sha256 -hmac "$secret" -hex <"$w3_body" | awk '{print $NF}')"

# --- two instances on one database: rate limiter on (the configured default) and off ------------
# Both stay up for the whole run so the on/off comparison below alternates between two equally
# warm JVMs instead of comparing a first run with a restarted one.
start_ingress limiter-off "$(free_port)" INGRESS_RATE_LIMIT_ENABLED=false INGRESS_TLS_PORT="$(free_port)"
pid_off=$pid base_off=$base
start_ingress limiter-on "$port"
pid_on=$pid base_on=$base
use() { if [ "$1" = on ]; then pid=$pid_on base=$base_on; else pid=$pid_off base=$base_off; fi; }
# Warm-up, not recorded: JIT and connection pools, so the first workload is not the cold one.
wrk -t$threads -c$connections -d3s -s benchmarks/wrk/ceiling.lua "$base" >/dev/null
wrk -t$threads -c$connections -d"${warmup}s" -s benchmarks/wrk/w1_test_runs.lua "$base" >/dev/null

run_wrk ceiling ceiling.lua GET /health/live "SELECT 0"

run_wrk "W1 test_runs (limiter on) #1" w1_test_runs.lua POST /spi/test_runs "SELECT count(*) FROM test_runs"
run_wrk "W1 test_runs (limiter on), $many_connections connections" w1_test_runs.lua POST /spi/test_runs \
  "SELECT count(*) FROM test_runs" "$many_connections"

if [ "$jfr" = 1 ]; then
  # A separate W1 run under the profiler: recording costs throughput, so this row is not the one
  # the limiter on/off comparison uses.
  jcmd "$pid" JFR.start name=w1 settings=profile filename="$work/w1.jfr" >/dev/null
  run_wrk "W1 under JFR (profile only)" w1_test_runs.lua POST /spi/test_runs "SELECT count(*) FROM test_runs"
  jcmd "$pid" JFR.stop name=w1 >/dev/null
  commands+=("JFR: \`jcmd <pid> JFR.start name=w1 settings=profile filename=w1.jfr\` around the W1-under-JFR run, then \`jcmd <pid> JFR.stop name=w1\`")
fi

export BENCH_JOB_PREFIX=bench-$ts BENCH_JOBS=$jobs
log "registering $jobs tooling jobs for W2"
seq 1 "$jobs" | xargs -P 8 -I{} curl -fsS -o /dev/null -X POST "$base/spi/tooling_jobs" \
  -H 'Content-Type: application/json' \
  -d "{\"tooling_job\":{\"id\":\"$BENCH_JOB_PREFIX-{}\",\"kind\":\"rubocop\"}}"
run_wrk "W2 tooling PATCH" w2_tooling_patch.lua PATCH /spi/tooling_jobs/:id \
  "SELECT count(*) FROM ingress_events WHERE type = 'tooling_job.updated'"
run_wrk "W3 github webhook" w3_github.lua POST /spi/webhooks/github "SELECT count(*) FROM webhook_deliveries"

ab -q -t 3 -n 100000000 -c "$connections" -p "$w1_body" -T application/json "https://127.0.0.1:$tls_port/spi/test_runs" >/dev/null 2>&1 || true
run_ab "W1 per new TLS connection (ab)"
run_ab "W1 per new TLS connection + client certificate (ab)" -E "$work/certs/client-spiffe.pem"
run_ab "W1 on kept-alive TLS connections (ab -k)" -k

if [ "$gatling" = 1 ]; then
  # Open model at half of W1's closed-loop rate (the issue's latency target), warm-up + steady
  # phase only, once over keep-alive connections and once with a new connection per request.
  half=$(echo "${rows[1]}" | awk -F'|' '{ printf "%d", $3 / 2 }')
  for share in true false; do
    label="Gatling W1 open model, ${half}/s, shareConnections=$share"
    gatling_cmd="mvn -B -f benchmarks/gatling/pom.xml gatling:test -Dbase.url=$base -Dworkloads=w1 -Dgatling.profile=steady -Dgatling.rate=$half -Dgatling.seconds=$seconds -Dgatling.shareConnections=$share"
    log "$label: $gatling_cmd"
    before_ack=$(acked POST /spi/test_runs); before_rows=$(sql "SELECT count(*) FROM test_runs"); before_cpu=$(cpu_ticks); before_pg=$(postgres_ticks)
    if $gatling_cmd >"$work/gatling-$share.txt" 2>&1; then verdict="assertions held"; else verdict="assertions FAILED (or Gatling did not run)"; fi
    sleep 1
    cpu=$(( $(cpu_ticks) - before_cpu )); pg=$(( $(postgres_ticks) - before_pg )); ack=$(( $(acked POST /spi/test_runs) - before_ack )); stored=$(( $(sql "SELECT count(*) FROM test_runs") - before_rows ))
    # Gatling's "Global Information" block: "> <name> | total | OK | KO".
    stat() { awk -F'|' -v k="> $1" 'index($0, k) == 1 { gsub(/[ ,]/, "", $2); gsub(/[ ,]/, "", $4); print ($2 == "" ? "?" : $2), ($4 == "-" ? 0 : $4); exit }' "$work/gatling-$share.txt"; }
    rows+=("| $label | $(stat 'mean throughput' | cut -d' ' -f1) achieved | $(stat 'response time 50th' | cut -d' ' -f1) | $(stat 'response time 99th' | cut -d' ' -f1) | – | $(stat 'request count' | cut -d' ' -f2) KO | – | $(awk -v t="$cpu" 'BEGIN { printf "%.1f", t / 100 }') | $(awk -v t="$cpu" -v n="$ack" 'BEGIN { printf "%.3f", (n > 0 ? t * 10 / n : 0) }') | $(awk -v t="$pg" -v n="$ack" 'BEGIN { printf "%.3f", (n > 0 ? t * 10 / n : 0) }') | $ack | $stored | $([ "$ack" -eq "$stored" ] && echo yes || echo NO) |")
    gatling_notes+=("$label: $verdict; $(grep -E 'percentile of response time|percentage of failed' "$work/gatling-$share.txt" | tr -s ' ' | paste -sd ';' -)")
    commands+=("$label: \`INGRESS_GITHUB_WEBHOOK_SECRETS=... $gatling_cmd\`")
    log "${rows[-1]}"
  done
fi

sleep 1 # the asynchronous audit appender drains
answered=$(curl -fsS "$base/metrics" | awk 'index($0, "spi_requests_total{") == 1 { s += $NF } END { printf "%d\n", s }')
audit_lines=$(grep -c '"request_id"' "$work/ingress-limiter-on.out" || true)

# --- the rate limiter's cost: W1 alternating between the two instances ----------------------------
use off
wrk -t$threads -c$connections -d"${warmup}s" -s benchmarks/wrk/w1_test_runs.lua "$base" >/dev/null
for round in 1 2; do
  use off; run_wrk "W1 test_runs (limiter off) #$round" w1_test_runs.lua POST /spi/test_runs "SELECT count(*) FROM test_runs"
  use on; run_wrk "W1 test_runs (limiter on) #$((round + 1))" w1_test_runs.lua POST /spi/test_runs "SELECT count(*) FROM test_runs"
done
limiter_cost=$(printf '%s\n' "${rows[@]}" | awk -F'|' '
  /W1 test_runs \(limiter on\)/ { on += $3; non++ } /W1 test_runs \(limiter off\)/ { off += $3; noff++ }
  END { printf "limiter on: mean %.0f req/s over %d runs; off: mean %.0f req/s over %d runs; throughput cost %.1f%%", on / non, non, off / noff, noff, (1 - (on / non) / (off / noff)) * 100 }')

# --- the report ---------------------------------------------------------------------------------
if [ "$jfr" = 1 ] && [ -f "$work/w1.jfr" ]; then
  # The top frame of each execution sample: where the CPU was when the sampler looked.
  jfr print --events jdk.ExecutionSample "$work/w1.jfr" \
    | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); print }' \
    | sort | uniq -c | sort -rn | awk 'NR <= 15' >"$work/jfr-top.txt"
  # The product's own frames anywhere on those stacks: which of its steps the samples fall under.
  jfr print --events jdk.ExecutionSample "$work/w1.jfr" \
    | awk '/stackTrace = \[/ { delete seen } /io\.callbackingress\./ { f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f); if (!(f in seen)) { seen[f] = 1; print f } }' \
    | sort | uniq -c | sort -rn | awk 'NR <= 15' >"$work/jfr-product.txt"
  samples=$(jfr summary "$work/w1.jfr" | awk '$1 == "jdk.ExecutionSample" { print $2 }')
fi

table=$work/table.md
{
  echo "### Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
  echo
  echo "Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ { print $2 " RAM, " $7 " available" }'), $(java -version 2>&1 | awk 'NR == 1');" \
    "wrk, the ingress, Postgres and Redis share these cores (and other engineers' jobs)."
  echo "Settings: BENCH_SECONDS=$seconds BENCH_CONNECTIONS=$connections BENCH_MANY_CONNECTIONS=$many_connections BENCH_WARMUP=$warmup BENCH_THREADS=$threads BENCH_JOBS=$jobs."
  echo
  echo "| workload | req/s | p50 ms | p99 ms | p99.9 ms | non-2xx | socket errors | ingress CPU s | CPU ms/req | Postgres CPU ms/req | acked (2xx) | stored | equal |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Rate limiter: $limiter_cost."
  echo
  echo "Limiter-on instance: $answered requests answered (spi_requests_total), $audit_lines audit lines on stdout" \
    "(logback's audit appender is neverBlock: a full queue drops lines rather than stall an event loop)."
  echo
  for n in "${gatling_notes[@]}"; do echo "- ${n//$base_on/<base>}"; done
  [ ${#gatling_notes[@]} -eq 0 ] || echo
  echo "Commands (from the repository root; <base> = the limiter-on instance's URL, <base-limiter-off> the other's):"
  echo
  echo "- \`$(echo "BENCH_SECONDS=$seconds BENCH_CONNECTIONS=$connections BENCH_JFR=$jfr BENCH_GATLING=$gatling scripts/bench.sh")\`"
  for c in "${commands[@]}"; do c=${c//$base_on/<base>}; echo "- ${c//$base_off/<base-limiter-off>}"; done
  if [ -s "$work/jfr-top.txt" ]; then
    echo
    echo "Top frames of jdk.ExecutionSample during the W1-under-JFR run ($samples samples; count, frame):"
    echo
    echo '```'
    cat "$work/jfr-top.txt"
    echo '```'
    echo
    echo "Samples with a product frame on the stack, by product frame:"
    echo
    echo '```'
    cat "$work/jfr-product.txt"
    echo '```'
  fi
  echo
} >"$table"
[ -f "$results" ] || printf '# Benchmark results\n\nAppended by scripts/bench.sh; each run says its commit, machine and commands.\n\n' >"$results"
cat "$table" >>"$results"
cat "$table"
