package io.callbackingress.ratelimit;

import io.callbackingress.config.IngressConfig;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same token buckets as the Lua script, held in this process: what {@code onRedisFailure:
 * local} falls back to while Redis is unreachable. Each replica then enforces the limits on its own
 * share of the traffic, which is looser than the shared bucket but never unlimited.
 *
 * <p>Called from every event loop: the buckets are guarded by one monitor, held for a hash lookup
 * and a few arithmetic operations only.
 */
final class LocalRateLimiter implements RateLimiter {

  /**
   * The most buckets held (some tens of MB); a new client past it evicts the one idle longest. A
   * bucket idle that long is full again unless its refill is very slow, and at worst its client is
   * forgiven the tokens it had spent: that is the price of a flood of clients not growing the heap.
   */
  static final int MAX_BUCKETS = 100_000;

  private final IngressConfig.RateLimit limits;
  /** In access order, so the eldest entry is the least recently used. */
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_BUCKETS;
    }
  };
  /** Lets {@link #clear()}, called on every answer from Redis, skip the monitor while nothing is held. */
  private volatile boolean holdsBuckets;

  LocalRateLimiter(IngressConfig.RateLimit limits) {
    this.limits = limits;
  }

  @Override
  public Future<RateDecision> acquire(String family, String client) {
    IngressConfig.Limit limit = limits.limitFor(family);
    long now = System.nanoTime();
    RateDecision decision;
    synchronized (buckets) {
      holdsBuckets = true;
      decision = buckets.computeIfAbsent(family + ':' + client, key -> new Bucket(limit, now)).take(family, now);
    }
    return Future.succeededFuture(decision);
  }

  /** Redis is back and holds the shared truth again; the local view is stale. */
  void clear() {
    if (holdsBuckets) {
      synchronized (buckets) {
        buckets.clear();
        holdsBuckets = false;
      }
    }
  }

  int size() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  /** Guarded by the limiter's monitor on {@code buckets}. */
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

    RateDecision take(String family, long now) {
      tokens = Math.min(capacity, tokens + Math.max(0, now - touched) * perNano);
      touched = now;
      boolean allowed = tokens >= 1;
      if (allowed) {
        tokens -= 1;
      }
      double perSecond = perNano * 1e9;
      long reset = (long) Math.ceil((capacity - tokens) / perSecond);
      long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
      return new RateDecision(allowed, family, capacity, (long) Math.floor(tokens), reset, retryAfter);
    }
  }
}
