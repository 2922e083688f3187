#!/usr/bin/env bash
# tls-compare.sh apart from JIT warm-up: the peers' script run unchanged but for two additions,
# so its rows and ratios mean the same, with the same HAProxy and bare Vert.x in the same run.
#
#   PEERS=<copy of ../shared/peers> [WARM=60] [SECS=30] [KEY=rsa] benchmarks/tls-steady.sh <checkout>
#
# 1. Before the first row, WARM seconds of load on the ingress in each of its rows' shapes (new
#    TLS W1, with a client certificate, /health/live, new plain W1, kept-alive W1), one after the
#    other: what a replica that has served for a while has compiled.
# 2. After each ingress row, the JIT compiler's accumulated time (jstat -compiler, seconds),
#    printed after the table, so what the compiler took during a row can be set against its CPU.
# Without 1, each row of tls-compare.sh on this 2-core machine is measured while the JIT compiles
# that row's code: in one 30 s run the compiler's clock grew by 11 s during the /health/live row
# and 13 s during the W1 row (benchmarks/RESULTS.md). HAProxy has no such phase.
set -uo pipefail
co="$(cd "${1:-$PWD}" && pwd)"
peers=${PEERS:?PEERS must name a copy of shared/peers}
WARM=${WARM:-60}
script=$(mktemp /tmp/tls-steady.XXXXXX.sh)
warmup='for u in "${W1[*]} https://127.0.0.1:18443/spi/test_runs" "-E client.pem ${W1[*]} https://127.0.0.1:18443/spi/test_runs" "https://127.0.0.1:18443/health/live" "${W1[*]} http://127.0.0.1:18099/spi/test_runs" "-k ${W1[*]} https://127.0.0.1:18443/spi/test_runs"; do ab -q -t '"$WARM"' -n 100000000 -c "$CONC" $u >/dev/null 2>&1; done; echo "ingress warmed: '"$WARM"' s of each of its five row shapes; JIT compile time so far $(jstat -compiler $ipid | awk '"'"'NR==2 {print $4}'"'"') s"'
jit='[ "$pid" = "$ipid" ] \&\& echo "JIT compile time after the row $label: $(jstat -compiler $ipid | awk '"'"'NR==2 {print $4}'"'"') s" >>jit.txt'
sed -e "/^W1=(-p body.json/a $warmup" \
    -e "/^  RPS\[\$k\]=/a \ \ $jit" \
    -e '$ a cat jit.txt' \
    "$peers/tls-compare.sh" >"$script"
chmod +x "$script"
cp "$script" "$peers/tls-steady-generated.sh"
"$peers/tls-steady-generated.sh" "$co"
