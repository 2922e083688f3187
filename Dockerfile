# syntax=docker/dockerfile:1
# Multi-stage: build the fat jar with Maven, run it on a Temurin 17 JRE as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app ingress \
 && mkdir -p /app/conf /app/data \
 && chown -R ingress /app
WORKDIR /app
COPY --from=build /src/target/callback-ingress.jar /app/callback-ingress.jar
COPY conf/config.json conf/config.schema.json /app/conf/
USER ingress
EXPOSE 8080 8443
# Mount a real config at /app/conf (external Postgres and Redis); data/ holds the spool.
VOLUME ["/app/data"]
# Liveness, not readiness: an unhealthy container gets replaced, and a replica whose Postgres is away
# must keep acknowledging writes from its spool, not be restarted. Load balancers probe /health/ready.
# The operations endpoints move to management.port when one is set: set it as INGRESS_MANAGEMENT_PORT.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${INGRESS_MANAGEMENT_PORT:-8080}/health/live" || exit 1
# Stop with a timeout over shutdown.readinessDelaySeconds + graceSeconds: docker stop --time 40.
# G1 named: in a container under 2 CPUs or 1792 MB the JVM would otherwise pick the serial collector.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/callback-ingress.jar", "-conf", "/app/conf/config.json"]
