package io.callbackingress.ratelimit;

import io.vertx.core.MultiMap;

/**
 * The outcome of taking one token from a (family, client) bucket, with what the SPEC 5 headers
 * say about the bucket afterwards.
 */
public record RateDecision(boolean allowed, String family, long limit, long remaining, long resetSeconds,
                           long retryAfterSeconds) {

  public void writeHeaders(MultiMap headers) {
    headers.set("RateLimit-Limit", Long.toString(limit));
    headers.set("RateLimit-Remaining", Long.toString(remaining));
    headers.set("RateLimit-Reset", Long.toString(resetSeconds));
    headers.set("RateLimit-Policy", "\"" + family + "\";q=" + limit);
    headers.set("RateLimit", "\"" + family + "\";r=" + remaining + ";t=" + resetSeconds);
    if (!allowed) {
      headers.set("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }
  }
}
