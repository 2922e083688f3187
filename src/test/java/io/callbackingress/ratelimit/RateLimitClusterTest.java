package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RedisCluster;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC 5 and 13 on a real three-master Redis Cluster: every caller's bucket lives in the cluster
 * (on the master that owns its key), limits are exact, and nothing falls back to local buckets.
 * A script loaded on one master is unknown to the others, which is what this guards.
 */
class RateLimitClusterTest {

  @Test
  void everyCallersBucketIsSharedInTheClusterAndLimitsExactly() {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1/32")))
        .put("redis", new JsonObject().put("type", "cluster"))
        .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true)))
        .put("rateLimit", new JsonObject().put("families", new JsonObject()
            .put("probe", new JsonObject().put("capacity", 5).put("refillPerSecond", 0.001))));
    CapturedLogs.clear();
    try (RedisCluster cluster = RedisCluster.start();
         IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_cluster"), cluster.uri(), config, Map.of())) {
      Http http = server.http();
      for (int caller = 0; caller < 30; caller++) {
        String client = "198.51.100." + (caller + 1);
        for (int request = 0; request < 7; request++) {
          Http.Response response = http.get("/spi/probes/x", Map.of("X-Forwarded-For", client));
          assertEquals(request < 5 ? 200 : 429, response.status(), client + " request " + (request + 1));
          assertEquals(Integer.toString(Math.max(0, 4 - request)), response.header("RateLimit-Remaining"), client);
        }
        assertEquals(1, cluster.holders(RedisRateLimiter.key("probe", client)), "the bucket of " + client + " is in the cluster");
      }
      assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains("falls back")),
          "the limiter never fell back to local buckets");
    }
  }
}
