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
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
