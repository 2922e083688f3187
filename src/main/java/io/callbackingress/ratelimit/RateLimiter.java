package io.callbackingress.ratelimit;

import io.vertx.core.Future;

/** Takes one token from the bucket of a (family, client) pair (SPEC 5). */
public interface RateLimiter {

  /**
   * The decision for one request; null when limiting is off, or when Redis is unreachable and
   * {@code onRedisFailure} is {@code open} (no headers are written). Fails with an
   * {@link io.callbackingress.spi.ApiException} 503 when the limiter refuses to decide.
   */
  Future<RateDecision> acquire(String family, String client);

  static RateLimiter unlimited() {
    return (family, client) -> Future.succeededFuture();
  }
}
