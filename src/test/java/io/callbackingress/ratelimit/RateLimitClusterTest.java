package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RedisCluster;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * SPEC 5 and 13 on a real Redis Cluster of three masters with a replica each: every caller's
 * bucket lives in the cluster (on the master that owns its key), limits are exact, and nothing
 * falls back to local buckets. A script loaded on one master is unknown to the others, which is
 * what this guards; a master that dies costs at most the breaker's fallback window.
 */
class RateLimitClusterTest {

  /** vertx-redis-client's default {@code RedisOptions.hashSlotCacheTTL}. */
  private static final long TOPOLOGY_CACHE_MILLIS = 1_000;
  private static final JsonObject CONFIG = ProbeBuckets.config(new JsonObject().put("type", "cluster"));

  @Test
  void everyCallersBucketIsSharedInTheClusterAndLimitsExactly() {
    CapturedLogs.clear();
    try (RedisCluster cluster = RedisCluster.start();
         IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_cluster"), cluster.uri(), CONFIG, Map.of())) {
      Http http = server.http();
      for (int caller = 0; caller < 30; caller++) {
        String client = "198.51.100." + (caller + 1);
        List<Http.Response> responses = ProbeBuckets.exhaust(http, client);
        for (int request = 0; request < responses.size(); request++) {
          assertEquals(Integer.toString(Math.max(0, 4 - request)), responses.get(request).header("RateLimit-Remaining"), client);
        }
        assertEquals(1, cluster.holders(RedisRateLimiter.key("probe", client)), "the bucket of " + client + " is in the cluster");
      }
      ProbeBuckets.assertNeverFellBack();
    }
  }

  @Test
  void everyEventLoopKeepsItsBucketsInTheClusterAcrossTopologyRefreshes() throws IOException {
    CapturedLogs.clear();
    try (RedisCluster cluster = RedisCluster.start();
         IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_cluster_loops"), cluster.uri(), CONFIG, Map.of())) {
      for (int round = 1; round <= 2; round++) {
        assertInTheCluster(cluster, ProbeBuckets.onEveryEventLoop(server.port, "198.51.100." + round * 10, 6));
        // The client caches the cluster's topology this long and refreshes it on the next command.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TOPOLOGY_CACHE_MILLIS + 200));
      }
      ProbeBuckets.assertNeverFellBack();
    }
  }

  @Test
  void aKilledMastersReplicaTakesOverAndSharedLimitsResumeWithinTheFallbackWindow() throws IOException {
    try (RedisCluster cluster = RedisCluster.start();
         IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_cluster_failover"), cluster.uri(), CONFIG, Map.of())) {
      Http http = server.http();
      String exhausted = "198.51.100.200";
      ProbeBuckets.exhaust(http, exhausted);
      assertInTheCluster(cluster, ProbeBuckets.onEveryEventLoop(server.port, "198.51.100.22", 4));
      String exhaustedKey = RedisRateLimiter.key("probe", exhausted);
      int shard = cluster.shard(exhaustedKey);

      cluster.killMasterOf(exhaustedKey);
      Duration fallback = ProbeBuckets.fallbackAfterPromotion(http, key -> cluster.shard(key) == shard, cluster::whole,
          key -> cluster.holders(key) == 1);

      ProbeBuckets.assertResumedWithinFallbackWindow(fallback);
      ProbeBuckets.assertStillRefused(http, exhausted);
      String fresh = "198.51.100.201";
      ProbeBuckets.exhaust(http, fresh);
      assertEquals(1, cluster.holders(RedisRateLimiter.key("probe", fresh)), "the bucket of " + fresh + " is in the cluster");
      // Every loop, not only the one the probes used, is back on the cluster, also after a topology refresh.
      assertInTheCluster(cluster, ProbeBuckets.onEveryEventLoop(server.port, "198.51.100.23", 4));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TOPOLOGY_CACHE_MILLIS + 200));
      assertInTheCluster(cluster, ProbeBuckets.onEveryEventLoop(server.port, "198.51.100.24", 4));
    }
  }

  private static void assertInTheCluster(RedisCluster cluster, List<String> keys) {
    for (String key : keys) {
      assertEquals(1, cluster.holders(key), key + " is in the cluster");
    }
  }
}
