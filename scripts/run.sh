#!/usr/bin/env bash
# Starts callback-ingress on its default configuration (conf/config.json: embedded Postgres and
# Redis, port 8080), building the jar first if it is missing or older than the sources.
#   scripts/run.sh [-conf other.json]
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/callback-ingress.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "run.sh: building $jar" >&2
  mvn -B -q -DskipTests package >&2
fi
# The internal family is on by default with token auth, and the ingress refuses to start without a
# token (SPEC 11). For a first run on a laptop, make one up and say so; production sets its own.
if [ -z "${INGRESS_INTERNAL_AUTH_TOKENS:-}" ]; then
  INGRESS_INTERNAL_AUTH_TOKENS="dev-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  export INGRESS_INTERNAL_AUTH_TOKENS
  echo "run.sh: INGRESS_INTERNAL_AUTH_TOKENS was not set; /internal/* accepts this development token:" >&2
  echo "run.sh:   X-Internal-Auth: $INGRESS_INTERNAL_AUTH_TOKENS" >&2
fi
# The JVM exits on OutOfMemoryError rather than limp on with failing threads (SPEC 7): a supervisor
# restarts it, and nothing acknowledged is lost (the spool and Postgres hold it).
exec java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" "$@"
