package io.callbackingress.ratelimit;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.metrics.CircuitGauge;
import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.MetricsCollector;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC 5: token buckets per (family, client) in Redis, shared by every replica on that Redis: an
 * EVALSHA on the calling event loop's own connection ({@link RedisLink}), one per request or,
 * for requests that wait on the same bucket, one for all of them ({@link CoalescedBuckets}).
 *
 * <p>A circuit breaker stands between the requests and Redis: a slow or dead Redis costs a request
 * at most {@link #TIMEOUT_MILLIS}, and nothing at all once the circuit is open. Whatever Redis does
 * not answer, {@code rateLimit.onRedisFailure} answers: {@code open} allows without headers,
 * {@code closed} refuses with 503, {@code local} (the default) takes the token from this
 * replica's own buckets.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

  /** EVALSHA on a healthy Redis takes well under a millisecond; waiting longer only adds latency. */
  private static final long TIMEOUT_MILLIS = 250;
  /** A few consecutive misses, not one lost packet, mean Redis is gone. */
  private static final int MAX_FAILURES = 5;
  /** How long the circuit stays open before one request probes Redis again. */
  private static final long RESET_MILLIS = 1_000;
  /** A connect to a host that is down fails within this rather than the operating system's minute. */
  private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

  private final Vertx vertx;
  private final Redis redis;
  private final TokenBucketScript script;
  private final IngressConfig.RateLimit limits;
  private final CircuitBreaker breaker;
  private final RateLimiter fallback;
  private final LocalRateLimiter local;

  private RedisRateLimiter(Vertx vertx, Redis redis, IngressConfig.RateLimit limits, CircuitBreaker breaker,
                           RateLimiter fallback, LocalRateLimiter local) {
    this.vertx = vertx;
    this.redis = redis;
    this.script = TokenBucketScript.load();
    this.limits = limits;
    this.breaker = breaker;
    this.fallback = fallback;
    this.local = local;
  }

  /**
   * The limiter {@code rateLimit} asks for: unlimited when disabled, else Redis-backed with one
   * connection for each of {@code eventLoops} loops.
   */
  public static RateLimiter create(Vertx vertx, RedisOptions redisOptions, int eventLoops,
                                   IngressConfig.RateLimit limits, MetricsCollector metrics) {
    if (!limits.enabled()) {
      return RateLimiter.unlimited();
    }
    RedisOptions options = new RedisOptions(redisOptions)
        .setPoolName("ratelimit")
        // Each loop holds its one connection (in a cluster, one to every node) for the life of the
        // process. The one more is for the cluster client's topology refresh: it borrows a pooled
        // connection for CLUSTER SLOTS every hashSlotCacheTTL, and every command waits on that
        // refresh, so with no connection left for it the whole limiter would wait forever.
        .setMaxPoolSize(eventLoops + 1)
        .setNetClientOptions(new NetClientOptions(redisOptions.getNetClientOptions())
            .setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
    CircuitBreaker breaker = CircuitBreaker.create("redis", vertx, new CircuitBreakerOptions()
            .setTimeout(TIMEOUT_MILLIS)
            .setMaxFailures(MAX_FAILURES)
            .setResetTimeout(RESET_MILLIS)
            .setNotificationAddress(null))
        .openHandler(v -> log.warn("Redis unreachable: rate limiting falls back to \"{}\"", limits.onRedisFailure()))
        .closeHandler(v -> log.info("Redis reachable again: rate limiting uses the shared buckets"));
    CircuitGauge.register(metrics, "redis", breaker);
    LocalRateLimiter local = new LocalRateLimiter(limits);
    RateLimiter fallback = switch (limits.onRedisFailure()) {
      case "open" -> RateLimiter.unlimited();
      case "closed" -> (family, client) -> Future.failedFuture(ApiException.unavailable("Service unavailable", 1));
      default -> local;
    };
    return new RedisRateLimiter(vertx, Redis.createClient(vertx, options), limits, breaker, fallback, local);
  }

  @Override
  public Future<RateDecision> acquire(String family, String client) {
    IngressConfig.Limit limit = limits.limitFor(family);
    Loop loop = loop();
    return loop.buckets.take(key(family, client), (key, wanted) -> breaker.execute(
            () -> loop.link.take(key, limit.capacity(), limit.refillPerSecond(), wanted)))
        .map(grant -> {
          local.clear();
          return new RateDecision(grant.allowed(), family, limit.capacity(), grant.remaining(), grant.resetSeconds(),
              grant.retryAfterSeconds());
        })
        .recover(failure -> fallback.acquire(family, client));
  }

  /** Simple and readable in {@code redis-cli}; the family comes first so one family's buckets can be scanned. */
  static String key(String family, String client) {
    return "rl:" + family + ":" + client;
  }

  /** This event loop's connection and waiting requests, created on its first request. */
  private Loop loop() {
    // Request contexts are duplicates of the verticle's context and share its data, so this is one per loop.
    Context context = vertx.getOrCreateContext();
    Loop loop = context.get(this);
    if (loop == null) {
      loop = new Loop(new RedisLink(redis, script), new CoalescedBuckets());
      context.put(this, loop);
    }
    return loop;
  }

  private record Loop(RedisLink link, CoalescedBuckets buckets) {}
}
