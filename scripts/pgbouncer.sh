#!/usr/bin/env bash
# PgBouncer in transaction mode in front of a Postgres (POSTGRES=host:port, default the local
# 127.0.0.1:5432), with the settings
# of the README's "Behind PgBouncer / RDS Proxy", in the foreground until SIGTERM. For tests
# (support/PgBouncer) and benchmarks; scripts/test-tools.sh installs Debian's pgbouncer package.
#
#   scripts/pgbouncer.sh <dir> <port> <user>...
#
# Writes <dir>/pgbouncer.ini and <dir>/users.txt (PgBouncer wants every user in its auth file even
# with auth_type trust) and logs to standard error. As root it runs as postgres: PgBouncer
# refuses to run as root, and reads its files before it switches.
set -euo pipefail
dir=$1; port=$2; shift 2
target=${POSTGRES:-127.0.0.1:5432}
[ $# -gt 0 ] || { echo "usage: $0 <dir> <port> <user>..." >&2; exit 2; }
binary=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
mkdir -p "$dir"
: >"$dir/users.txt"
for user in "$@"; do printf '"%s" ""\n' "$user" >>"$dir/users.txt"; done
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=${target%:*} port=${target##*:}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
ignore_startup_parameters = extra_float_digits
max_client_conn = 1000
default_pool_size = 20
INI
as_user=()
[ "$(id -u)" -ne 0 ] || as_user=(-u postgres)
exec "$binary" "${as_user[@]}" "$dir/pgbouncer.ini"
