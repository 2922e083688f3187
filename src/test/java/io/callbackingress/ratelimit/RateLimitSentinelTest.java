package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RedisCommand;
import io.callbackingress.support.RedisSentinels;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC 5 and 11 with Redis behind Sentinel: the ingress is given only the sentinel and
 * {@code redis.masterName}, finds the master through it, and keeps every caller's bucket there —
 * also after the master dies and the sentinel promotes its replica, at the cost of at most the
 * breaker's fallback window. Real servers: a master, a replica and a sentinel.
 */
class RateLimitSentinelTest {

  private static final JsonObject CONFIG = ProbeBuckets.config(
      new JsonObject().put("type", "sentinel").put("masterName", RedisSentinels.MASTER_NAME));

  @Test
  void bucketsLiveOnTheMasterTheSentinelNames() {
    CapturedLogs.clear();
    try (RedisSentinels sentinels = RedisSentinels.start();
         IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_sentinel"), sentinels.uri(), CONFIG, Map.of())) {
      Http http = server.http();
      for (int caller = 0; caller < 10; caller++) {
        String client = "203.0.113." + (caller + 1);
        ProbeBuckets.exhaust(http, client);
        assertEquals(":1", RedisCommand.send(sentinels.masterUri(), "EXISTS", RedisRateLimiter.key("probe", client)),
            "the bucket of " + client + " is on the master");
      }
      ProbeBuckets.assertNeverFellBack();
    }
  }

  @Test
  void aPromotedReplicaHoldsTheSharedBucketsWithinTheFallbackWindow() throws IOException {
    try (RedisSentinels sentinels = RedisSentinels.start();
         IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_sentinel_failover"), sentinels.uri(), CONFIG, Map.of())) {
      Http http = server.http();
      String exhausted = "203.0.113.200";
      ProbeBuckets.exhaust(http, exhausted);

      sentinels.killMaster();
      Duration fallback = ProbeBuckets.fallbackAfterPromotion(http, key -> true, sentinels::promoted,
          key -> ":1".equals(RedisCommand.send(sentinels.masterUri(), "EXISTS", key)));

      ProbeBuckets.assertResumedWithinFallbackWindow(fallback);
      ProbeBuckets.assertStillRefused(http, exhausted);
      String fresh = "203.0.113.201";
      ProbeBuckets.exhaust(http, fresh);
      assertEquals(":1", RedisCommand.send(sentinels.masterUri(), "EXISTS", RedisRateLimiter.key("probe", fresh)),
          "the bucket of " + fresh + " is on the promoted master");
      // Every event loop, not only the one the probes used, is on the promoted master.
      for (String key : ProbeBuckets.onEveryEventLoop(server.port, "203.0.113.21", 4)) {
        assertEquals(":1", RedisCommand.send(sentinels.masterUri(), "EXISTS", key), key + " is on the promoted master");
      }
    }
  }
}
