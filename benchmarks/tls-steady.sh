#!/usr/bin/env bash
# tls-compare.sh with the JIT compiler's share shown, and optionally taken out: the peers' script
# run unchanged but for two additions, so its rows and ratios mean the same, with the same HAProxy
# and bare Vert.x in the same run.
#
#   PEERS=<copy of ../shared/peers> [WARM=60] [SECS=30] [KEY=rsa] [INGRESS_JAVA_OPTS=...] benchmarks/tls-steady.sh <checkout>
#
# INGRESS_JAVA_OPTS: JVM options for the ingress alone (a JFR recording, say), words without spaces.
#
# 1. Before the first row, WARM seconds of load on the ingress in each of its rows' shapes (new
#    TLS W1, with a client certificate, /health/live, new plain W1, kept-alive W1), one after the
#    other: what a replica that has served for a while has compiled. WARM=0 skips it: the cold run
#    tls-compare.sh makes, with the column below.
# 2. After the table, for each ingress row, the CPU of the JVM's JIT compiler threads (C1 and C2,
#    from /proc/<pid>/task) during the row, per request: the part of the row's "server CPU ms/req"
#    that is the compiler working through that row's code, not the request's own cost.
# On this 2-core machine a fresh JVM compiles each row's code while that row is measured:
# benchmarks/RESULTS.md has the figures. HAProxy has no such phase.
set -uo pipefail
co="$(cd "${1:-$PWD}" && pwd)"
peers=${PEERS:?PEERS must name a copy of shared/peers}
WARM=${WARM:-60}
script=$(mktemp /tmp/tls-steady.XXXXXX.sh)
warmup='for u in "${W1[*]} https://127.0.0.1:18443/spi/test_runs" "-E client.pem ${W1[*]} https://127.0.0.1:18443/spi/test_runs" "https://127.0.0.1:18443/health/live" "${W1[*]} http://127.0.0.1:18099/spi/test_runs" "-k ${W1[*]} https://127.0.0.1:18443/spi/test_runs"; do ab -q -t '"$WARM"' -n 100000000 -c "$CONC" $u >/dev/null 2>\&1; done; echo "ingress warmed: '"$WARM"' s of each of its five row shapes"'
jit_ticks='jit() { local s=0 d; for d in /proc/$1/task/*; do case "$(cat $d/comm 2>/dev/null)" in C1\\ Compiler*|C2\\ Compiler*) s=$((s + $(awk '"'"'{print $14+$15}'"'"' $d/stat)));; esac; done; echo $s; }'
before='  local j0; j0=$(jit "$pid")'
after='  local j1; j1=$(jit "$pid")'
report='  [ "$pid" = "$ipid" ] \&\& awk -v l="$label" -v j=$((j1 - j0)) -v hz="$hz" -v n="${n:-0}" '"'"'BEGIN { printf "| %s | %.3f |\\n", l, (n > 0 ? j / hz * 1000 / n : 0) }'"'"' >>jit.txt'
sed -e "/^cpu() {/a $jit_ticks" \
    -e "/^  local c0 c1; c0=/i \\$before" \
    -e "/^  local c0 c1; c0=/a \\$after" \
    -e "/^  RPS\[\$k\]=/a \\$report" \
    -e '$ a printf "\\nof each ingress row'"'"'s server CPU, the JIT compiler threads'"'"' (C1 + C2), ms per request:\\n| case | JIT CPU ms/req |\\n|---|---:|\\n"; cat jit.txt' \
    "$peers/tls-compare.sh" >"$script"
[ "$WARM" -gt 0 ] && sed -i "/^W1=(-p body.json/a $warmup" "$script"
[ -n "${INGRESS_JAVA_OPTS:-}" ] && sed -i "s#java -jar \"\$jar\"#java ${INGRESS_JAVA_OPTS} -jar \"\$jar\"#" "$script"
chmod +x "$script"
cp "$script" "$peers/tls-steady-generated.sh"
"$peers/tls-steady-generated.sh" "$co"
