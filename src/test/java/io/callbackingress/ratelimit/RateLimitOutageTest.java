package io.callbackingress.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RedisCommand;
import io.callbackingress.support.TcpProxy;
import io.callbackingress.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 5: when Redis is unreachable, {@code rateLimit.onRedisFailure} decides, and the circuit
 * breaker keeps every request fast. Redis is cut with a proxy that the test stops.
 */
class RateLimitOutageTest {

  private static final String PROBE = "/spi/probes/x";
  /** The breaker's 250 ms timeout plus a generous margin for a shared two-core machine. */
  private static final long FAST_MILLIS = 1_000;

  private static Vertx proxyVertx;

  @BeforeAll
  static void startProxyVertx() {
    proxyVertx = Vertx.vertx();
  }

  @AfterAll
  static void stopProxyVertx() {
    proxyVertx.close().await();
  }

  @Test
  void openAllowsEveryRequestWithoutRateLimitHeaders() {
    withRedisCut("open", (server, http) -> {
      for (int i = 0; i < 8; i++) {
        Response response = timed(http);
        assertEquals(200, response.status());
        assertEquals(new JsonObject().put("name", "x"), response.json());
        assertNull(response.header("RateLimit-Limit"));
        assertNull(response.header("Retry-After"));
      }
      assertEquals(2.0, circuitState(server), "the circuit is open");
      String scrape = server.http().get("/metrics").body();
      assertTrue(scrape.contains("ingress_circuit_state{name=\"redis\"} 2.0"), scrape);
    });
  }

  @Test
  void closedRefusesWith503AndRetryAfter() {
    withRedisCut("closed", (server, http) -> {
      for (int i = 0; i < 8; i++) {
        Response response = timed(http);
        assertEquals(503, response.status());
        assertEquals(new JsonObject().put("error", "Service unavailable"), response.json());
        assertEquals("1", response.header("Retry-After"));
        assertNull(response.header("RateLimit-Limit"));
      }
    });
  }

  @Test
  void localEnforcesTheLimitInProcessUntilRedisIsBack() throws InterruptedException {
    withRedisCut("local", (server, http) -> {
      for (int expectedRemaining = 1; expectedRemaining >= 0; expectedRemaining--) {
        Response allowed = timed(http);
        assertEquals(200, allowed.status());
        assertEquals("2", allowed.header("RateLimit-Limit"));
        assertEquals(Integer.toString(expectedRemaining), allowed.header("RateLimit-Remaining"));
        assertEquals("\"probe\";q=2", allowed.header("RateLimit-Policy"));
      }
      for (int i = 0; i < 6; i++) {
        Response refused = timed(http);
        assertEquals(429, refused.status());
        assertEquals(new JsonObject().put("error", "Rate limit exceeded"), refused.json());
        assertEquals("0", refused.header("RateLimit-Remaining"));
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1, refused.header("Retry-After"));
      }
    });
  }

  @Test
  void theSharedBucketIsUsedAgainOnceRedisIsBack() throws InterruptedException {
    String redisUri = TestServices.newRedis();
    try (TcpProxy proxy = proxyTo(redisUri);
         IngressServer server = start("ratelimit_back", proxy.route(redisUri), "local")) {
      Http http = server.http();
      assertEquals("1", firstTokenFromRedis(http, redisUri).header("RateLimit-Remaining"));
      proxy.stop();
      for (int i = 0; i < 6; i++) {
        timed(http);
      }
      assertEquals(2.0, circuitState(server));
      proxy.start();
      // The breaker probes Redis again after a second, the connection after at most two.
      Response response = await("the circuit closes again")
          .atMost(Duration.ofSeconds(6))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> http.get(PROBE), probed -> circuitState(server) == 0.0);
      // The shared bucket still holds the one token taken before the outage.
      assertEquals(200, response.status());
      assertEquals("0", response.header("RateLimit-Remaining"));
      assertEquals(429, http.get(PROBE).status());
    }
  }

  /**
   * The first answer that took its token from Redis. The first call opens the loop's connection
   * and loads the script, which on a loaded machine can outlast the breaker's 250 ms and be
   * decided by the fallback instead; until a bucket exists in Redis, ask again.
   */
  private static Response firstTokenFromRedis(Http http, String redisUri) {
    Response response = await("a bucket in Redis")
        .atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ZERO)
        .until(() -> http.get(PROBE), probed -> !RedisCommand.send(redisUri, "KEYS", "rl:*").equals("*0"));
    assertEquals(200, response.status());
    return response;
  }

  private interface Scenario {
    void run(IngressServer server, Http http) throws InterruptedException;
  }

  private static void withRedisCut(String policy, Scenario scenario) {
    String redisUri = TestServices.newRedis();
    try (TcpProxy proxy = proxyTo(redisUri);
         IngressServer server = start("ratelimit_" + policy, proxy.route(redisUri), policy)) {
      Http http = server.http();
      assertEquals("1", firstTokenFromRedis(http, redisUri).header("RateLimit-Remaining"), "Redis answers through the proxy");
      proxy.stop();
      scenario.run(server, http);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A proxy to the Redis behind {@code redisUri}: the local one or the embedded one, whichever the tests use. */
  private static TcpProxy proxyTo(String redisUri) {
    URI target = URI.create(redisUri);
    return new TcpProxy(proxyVertx, target.getHost(), target.getPort());
  }

  private static IngressServer start(String name, String redisUri, String policy) {
    JsonObject config = new JsonObject()
        .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true)))
        .put("rateLimit", new JsonObject()
            .put("onRedisFailure", policy)
            .put("default", new JsonObject().put("capacity", 2).put("refillPerSecond", 0.01)));
    return IngressServer.start(TestServices.newDatabase(name), redisUri, config, Map.of());
  }

  private static Response timed(Http http) {
    long start = System.nanoTime();
    Response response = http.get(PROBE);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < FAST_MILLIS, "a dead Redis must not hold a request: " + millis + " ms");
    return response;
  }

  private static double circuitState(IngressServer server) {
    return server.registry.get("ingress.circuit.state").tag("name", "redis").gauge().value();
  }
}
