package io.callbackingress.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.metrics.NoopMetricsCollector;
import io.callbackingress.store.RedisConnector;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RedisCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 5 against a real Redis: the shared token bucket per (family, client), seen through real HTTP. */
class RateLimitTest {

  private static final String PROBE = "/spi/probes/x";
  private static final JsonObject CONFIG = new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1/32")))
      .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true)))
      .put("rateLimit", new JsonObject()
          .put("default", new JsonObject().put("capacity", 2).put("refillPerSecond", 1))
          .put("families", new JsonObject()
              .put("probe", new JsonObject().put("capacity", 3).put("refillPerSecond", 1))));

  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("ratelimit", CONFIG, Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theBucketEmptiesAtCapacityThenAnswers429WithRetryAfter() {
    String client = "198.51.100.1";
    for (int expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--) {
      Response allowed = get(client);
      assertEquals(200, allowed.status());
      assertEquals(new JsonObject().put("name", "x"), allowed.json());
      assertEquals("3", allowed.header("RateLimit-Limit"));
      assertEquals(Integer.toString(expectedRemaining), allowed.header("RateLimit-Remaining"));
      assertEquals("\"probe\";q=3", allowed.header("RateLimit-Policy"));
      // One token short of full per token taken, at one token a second.
      String reset = Integer.toString(3 - expectedRemaining);
      assertEquals(reset, allowed.header("RateLimit-Reset"));
      assertEquals("\"probe\";r=" + expectedRemaining + ";t=" + reset, allowed.header("RateLimit"));
      assertNull(allowed.header("Retry-After"));
    }
    Response refused = get(client);
    assertEquals(429, refused.status());
    assertEquals(new JsonObject().put("error", "Rate limit exceeded"), refused.json());
    assertEquals("application/json", refused.header("Content-Type"));
    assertEquals("3", refused.header("RateLimit-Limit"));
    assertEquals("0", refused.header("RateLimit-Remaining"));
    assertEquals("3", refused.header("RateLimit-Reset"));
    assertEquals("\"probe\";q=3", refused.header("RateLimit-Policy"));
    assertEquals("\"probe\";r=0;t=3", refused.header("RateLimit"));
    assertEquals("1", refused.header("Retry-After"));

    long ttl = Long.parseLong(RedisCommand.send(server.redisUri, "PTTL", "rl:probe:" + client).substring(1));
    assertTrue(ttl > 0 && ttl <= 3_000, "the key expires when the bucket is full again: " + ttl);
    double rejected = server.registry.get("ingress.ratelimit.rejected").tag("family", "probe").counter().count();
    assertTrue(rejected >= 1, "rejections are counted: " + rejected);
  }

  @Test
  void theBucketRefillsAtItsRate() throws InterruptedException {
    String client = "198.51.100.2";
    long emptying = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get(client).status());
    }
    assertEquals(429, get(client).status());
    Response refilled = awaitAllowed(client);
    long waitedMillis = (System.nanoTime() - emptying) / 1_000_000;
    // One token a second counts from the first token taken, on Redis's clock: less a margin for that clock.
    assertTrue(waitedMillis >= 950, "a token came back after " + waitedMillis + " ms");
    assertEquals("0", refilled.header("RateLimit-Remaining"), "exactly one token came back");
    assertEquals(429, get(client).status());
  }

  /** Asks until a request is allowed: a refused request takes nothing, so asking does not delay the refill. */
  private static Response awaitAllowed(String client) {
    return await("a token back for " + client)
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(client), response -> response.status() == 200);
  }

  @Test
  void clientsHaveBucketsOfTheirOwn() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("198.51.100.3").status());
    }
    assertEquals(429, get("198.51.100.3").status());
    Response other = get("198.51.100.4");
    assertEquals(200, other.status());
    assertEquals("2", other.header("RateLimit-Remaining"));
  }

  @Test
  void theRightMostUntrustedForwardedAddressIsTheClient() {
    assertEquals("2", get("198.51.100.5, 127.0.0.1").header("RateLimit-Remaining"));
    assertEquals("1", get("10.9.9.9, 198.51.100.5").header("RateLimit-Remaining"));
  }

  @Test
  void twoReplicasOnOneRedisShareABucket() {
    String client = "198.51.100.6";
    try (IngressServer replica = IngressServer.start(server.databaseUri, server.redisUri, CONFIG, Map.of())) {
      Http other = replica.http();
      assertEquals("2", get(client).header("RateLimit-Remaining"));
      assertEquals("1", other.get(PROBE, Map.of("X-Forwarded-For", client)).header("RateLimit-Remaining"));
      assertEquals("0", get(client).header("RateLimit-Remaining"));
      Response refused = other.get(PROBE, Map.of("X-Forwarded-For", client));
      assertEquals(429, refused.status());
      assertEquals(new JsonObject().put("error", "Rate limit exceeded"), refused.json());
    }
  }

  @Test
  void aFlushedScriptIsReloadedByTheNextRequest() {
    String client = "198.51.100.7";
    assertEquals("2", get(client).header("RateLimit-Remaining"));
    assertEquals("+OK", RedisCommand.send(server.redisUri, "SCRIPT", "FLUSH"));
    for (int expectedRemaining = 1; expectedRemaining >= 0; expectedRemaining--) {
      Response response = get(client);
      assertEquals(200, response.status());
      assertEquals(Integer.toString(expectedRemaining), response.header("RateLimit-Remaining"));
    }
  }

  @Test
  void familiesHaveBucketsAndLimitsOfTheirOwn() {
    IngressConfig.RateLimit limits = new IngressConfig.RateLimit(true, "closed", new IngressConfig.Limit(2, 1),
        Map.of("alpha", new IngressConfig.Limit(1, 1)));
    RateLimiter limiter = RedisRateLimiter.create(server.vertx,
        RedisConnector.options(server.redisUri, server.config.redis(), Map.of()), 1, limits, new NoopMetricsCollector());
    Context loop = server.vertx.getOrCreateContext();
    String client = "192.0.2.1";

    RateDecision alpha = acquire(loop, limiter, "alpha", client);
    assertEquals(new RateDecision(true, "alpha", 1, 0, 1, 0), alpha);
    assertEquals(new RateDecision(false, "alpha", 1, 0, 1, 1), acquire(loop, limiter, "alpha", client));
    RateDecision beta = acquire(loop, limiter, "beta", client);
    assertEquals(new RateDecision(true, "beta", 2, 1, 1, 0), beta);
  }

  @Test
  void aDisabledLimiterDecidesNothing() {
    IngressConfig.RateLimit off = new IngressConfig.RateLimit(false, "local", new IngressConfig.Limit(1, 1), Map.of());
    RateLimiter limiter = RedisRateLimiter.create(server.vertx,
        RedisConnector.options(server.redisUri, server.config.redis(), Map.of()), 1, off, new NoopMetricsCollector());
    assertNull(acquire(server.vertx.getOrCreateContext(), limiter, "probe", "192.0.2.2"));
  }

  @Test
  void aBurstFromOneClientGetsExactlyTheBucketInFewerRedisCallsThanRequests() {
    String client = "198.51.100.77";
    long callsBefore = evalshaCalls();
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      burst.add(http.request(HttpMethod.GET, PROBE, Map.of("X-Forwarded-For", client), null));
    }
    Future.join(burst).await();
    long calls = evalshaCalls() - callsBefore;
    List<Response> allowed = burst.stream().map(Future::result).filter(r -> r.status() == 200).toList();
    List<Response> refused = burst.stream().map(Future::result).filter(r -> r.status() == 429).toList();
    assertEquals(60, allowed.size() + refused.size());
    // Capacity 3 at one token a second: a fourth token only if the burst straddled a refill.
    assertTrue(allowed.size() == 3 || allowed.size() == 4, "allowed: " + allowed.size());
    Set<String> remaining = allowed.stream().map(r -> r.header("RateLimit-Remaining")).collect(Collectors.toSet());
    // Each allowed request saw its own count; a token refilled mid-burst is taken from an empty bucket again.
    assertEquals(Set.of("0", "1", "2"), remaining, "the counts the allowed requests saw");
    refused.forEach(r -> assertEquals("1", r.header("Retry-After")));
    assertTrue(calls > 0 && calls < 60, "requests waiting on one bucket share a Redis call: " + calls + " calls for 60 requests");
  }

  private static long evalshaCalls() {
    String stats = RedisCommand.bulk(server.redisUri, "INFO", "commandstats");
    Matcher calls = Pattern.compile("cmdstat_evalsha:calls=(\\d+)").matcher(stats);
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  private static Response get(String forwardedFor) {
    return http.get(PROBE, Map.of("X-Forwarded-For", forwardedFor));
  }

  /** Runs the limiter on an event loop, as the pipeline does, and waits here on the test thread. */
  private static RateDecision acquire(Context loop, RateLimiter limiter, String family, String client) {
    return Future.<RateDecision>future(promise -> loop.runOnContext(v -> limiter.acquire(family, client).onComplete(promise)))
        .await();
  }
}
