package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The probe family with five requests per caller and (almost) no refill, callers told apart by
 * X-Forwarded-For: how the tests of a Redis set-up (cluster, Sentinel) see where buckets live.
 */
final class ProbeBuckets {

  static final int CAPACITY = 5;

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

  static void assertNeverFellBack() {
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains("falls back")),
        "the limiter never fell back to local buckets");
  }
}
