package io.callbackingress.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health/ready} (SPEC 3.9): UP when every check passes and the process is not draining.
 * Each probe is bounded so a hanging dependency turns DOWN instead of hanging the load balancer.
 */
public final class Readiness {

  private static final long PROBE_TIMEOUT_MS = 1_500;

  private final List<HealthCheck> checks;
  private volatile boolean draining;
  /** The latest report's verdict, for the {@code ingress_ready} gauge. */
  private volatile boolean up;

  public Readiness(List<HealthCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** SIGTERM's first step: the load balancer stops sending before the listener stops accepting. */
  public void drain() {
    draining = true;
    up = false;
  }

  /** The verdict of the latest report: what {@code ingress_ready} exports. */
  public boolean up() {
    return up;
  }

  /**
   * Reports now and every {@code periodMs} after, so {@link #up()} stays current when no load
   * balancer asks; returns the timer, for the caller to cancel.
   */
  public long refreshEvery(Vertx vertx, long periodMs) {
    return vertx.setPeriodic(0, periodMs, id -> report());
  }

  public Future<JsonObject> report() {
    List<Future<Boolean>> probes = checks.stream()
        .map(check -> check.probe()
            .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(true)
            .otherwise(false))
        .toList();
    return Future.all(probes).map(all -> {
      JsonArray results = new JsonArray();
      boolean ready = !draining;
      for (int i = 0; i < checks.size(); i++) {
        boolean checkUp = probes.get(i).result();
        ready &= checkUp;
        results.add(new JsonObject().put("id", checks.get(i).id()).put("status", checkUp ? "UP" : "DOWN"));
      }
      up = ready;
      return new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", results);
    });
  }
}
