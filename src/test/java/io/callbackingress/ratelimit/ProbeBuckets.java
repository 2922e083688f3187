package io.callbackingress.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.RawHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * The probe family with five requests per caller and (almost) no refill, callers told apart by
 * X-Forwarded-For: how the tests of a Redis set-up (cluster, Sentinel) see where buckets live, and
 * what a failover costs.
 */
final class ProbeBuckets {

  static final int CAPACITY = 5;

  /**
   * How long after a Redis failover the limiter may stay on its fallback: the breaker's reset
   * (1 s, RedisRateLimiter) after the link's longest reconnect back-off (2 s, RedisLink), plus
   * the time of the request that finds Redis back.
   */
  static final Duration FALLBACK_WINDOW = Duration.ofMillis(3_500);
  /** Detecting the dead master and promoting its replica takes a few seconds with the tests' timeouts. */
  private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(30);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);

  private ProbeBuckets() {}

  /** The ingress config for {@code redis}. */
  static JsonObject config(JsonObject redis) {
    return new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1/32")))
        .put("redis", redis)
        .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true)))
        .put("rateLimit", new JsonObject().put("families", new JsonObject()
            .put("probe", new JsonObject().put("capacity", CAPACITY).put("refillPerSecond", 0.001))));
  }

  /** Seven requests as {@code client}: the first five allowed, the rest refused. */
  static List<Http.Response> exhaust(Http http, String client) {
    List<Http.Response> responses = new ArrayList<>();
    for (int request = 0; request < CAPACITY + 2; request++) {
      Http.Response response = http.get("/spi/probes/x", Map.of("X-Forwarded-For", client));
      assertEquals(request < CAPACITY ? 200 : 429, response.status(), client + " request " + (request + 1));
      responses.add(response);
    }
    return responses;
  }

  /**
   * One request each from {@code callers} new callers named after {@code prefix}, each on a new
   * connection: the server hands connections to its event loops in turn, so every loop's own Redis
   * connection is used (a keep-alive client would only ever use one). Returns the callers' bucket keys.
   */
  static List<String> onEveryEventLoop(int port, String prefix, int callers) throws IOException {
    List<String> keys = new ArrayList<>();
    for (int caller = 1; caller <= callers; caller++) {
      String client = prefix + caller;
      String answer = RawHttp.exchange(port, "GET /spi/probes/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: " + client
          + "\r\nConnection: close\r\n\r\n");
      assertEquals(200, RawHttp.status(answer), client + ": " + answer);
      assertEquals(new JsonObject().put("name", "x"), new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
      keys.add(RedisRateLimiter.key("probe", client));
    }
    return keys;
  }

  /**
   * While Redis fails over: one request each from new callers whose bucket key {@code probed}
   * accepts, every one allowed (the fallback answers while Redis cannot), until one's bucket is in
   * Redis ({@code inRedis}, asked once {@code promoted} holds). Returns how long after the promotion
   * was first seen the limiter was back on the shared buckets.
   */
  static Duration fallbackAfterPromotion(Http http, Predicate<String> probed, BooleanSupplier promoted,
                                         Predicate<String> inRedis) {
    Iterator<String> callers = IntStream.iterate(1, caller -> caller + 1)
        .mapToObj(caller -> "10.0." + caller / 256 + "." + caller % 256)
        .filter(client -> probed.test(RedisRateLimiter.key("probe", client)))
        .iterator();
    AtomicLong promotedAt = new AtomicLong();
    return await("a promotion, then shared limits again")
        .atMost(FAILOVER_DEADLINE)
        .pollDelay(Duration.ZERO)
        .pollInterval(PROBE_INTERVAL)
        .until(() -> {
          String client = callers.next();
          if (promotedAt.get() == 0 && promoted.getAsBoolean()) {
            promotedAt.set(System.nanoTime());
          }
          Http.Response response = http.get("/spi/probes/x", Map.of("X-Forwarded-For", client));
          assertEquals(200, response.status(), client + " while Redis fails over");
          assertEquals(new JsonObject().put("name", "x"), response.json());
          boolean resumed = promotedAt.get() != 0 && inRedis.test(RedisRateLimiter.key("probe", client));
          return resumed ? Duration.ofNanos(System.nanoTime() - promotedAt.get()) : null;
        }, Objects::nonNull);
  }

  /** {@code client}'s bucket, emptied before a failover, still refuses it after. */
  static void assertStillRefused(Http http, String client) {
    Http.Response response = http.get("/spi/probes/x", Map.of("X-Forwarded-For", client));
    assertEquals(429, response.status(), client + " after the failover");
    assertEquals(new JsonObject().put("error", "Rate limit exceeded"), response.json());
    assertEquals("0", response.header("RateLimit-Remaining"));
  }

  static void assertResumedWithinFallbackWindow(Duration fallback) {
    assertTrue(fallback.compareTo(FALLBACK_WINDOW) <= 0,
        "shared limits resumed " + fallback.toMillis() + " ms after the promotion, over " + FALLBACK_WINDOW.toMillis());
  }

  static void assertNeverFellBack() {
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains("falls back")),
        "the limiter never fell back to local buckets");
  }
}
