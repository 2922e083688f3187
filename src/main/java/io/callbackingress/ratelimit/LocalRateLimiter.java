package io.callbackingress.ratelimit;

import io.callbackingress.config.IngressConfig;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The same token buckets as the Lua script, held in this process: what {@code onRedisFailure:
 * local} falls back to while Redis is unreachable. Each replica then enforces the limits on its own
 * share of the traffic, which is looser than the shared bucket but never unlimited.
 *
 * <p>Called from every event loop: the map is concurrent and each bucket is updated under its own
 * monitor, held for a few arithmetic operations only.
 */
final class LocalRateLimiter implements RateLimiter {

  /** Past this many buckets, full ones are dropped: they hold nothing that a new bucket would not. */
  private static final int SWEEP_ABOVE = 100_000;

  private final IngressConfig.RateLimit limits;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  LocalRateLimiter(IngressConfig.RateLimit limits) {
    this.limits = limits;
  }

  @Override
  public Future<RateDecision> acquire(String family, String client) {
    IngressConfig.Limit limit = limits.limitFor(family);
    long now = System.nanoTime();
    if (buckets.size() > SWEEP_ABOVE) {
      buckets.values().removeIf(bucket -> bucket.isFull(now));
    }
    Bucket bucket = buckets.computeIfAbsent(family + ':' + client, key -> new Bucket(limit, now));
    return Future.succeededFuture(bucket.take(family, now));
  }

  /** Redis is back and holds the shared truth again; the local view is stale. */
  void clear() {
    if (!buckets.isEmpty()) {
      buckets.clear();
    }
  }

  private static final class Bucket {
    private final int capacity;
    private final double perNano;
    private double tokens;
    private long touched;

    Bucket(IngressConfig.Limit limit, long now) {
      this.capacity = limit.capacity();
      this.perNano = limit.refillPerSecond() / 1e9;
      this.tokens = capacity;
      this.touched = now;
    }

    synchronized RateDecision take(String family, long now) {
      refill(now);
      boolean allowed = tokens >= 1;
      if (allowed) {
        tokens -= 1;
      }
      double perSecond = perNano * 1e9;
      long reset = (long) Math.ceil((capacity - tokens) / perSecond);
      long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
      return new RateDecision(allowed, family, capacity, (long) Math.floor(tokens), reset, retryAfter);
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + Math.max(0, now - touched) * perNano);
      touched = now;
    }
  }
}
