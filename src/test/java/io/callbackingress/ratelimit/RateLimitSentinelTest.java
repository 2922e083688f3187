package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RedisCommand;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

/**
 * SPEC 5 and 11 with Redis behind Sentinel: the ingress is given only the sentinel and
 * {@code redis.masterName}, finds the master through it, and keeps every caller's bucket there.
 * Real servers (the binary embedded-redis ships): a master, a replica and one sentinel.
 */
class RateLimitSentinelTest {

  @Test
  void bucketsLiveOnTheMasterTheSentinelNames() throws Exception {
    int masterPort = IngressServer.freePort();
    int replicaPort = IngressServer.freePort();
    int sentinelPort = IngressServer.freePort();
    RedisServer master = RedisServer.newRedisServer().port(masterPort).bind("127.0.0.1").setting("save \"\"").build();
    RedisServer replica = RedisServer.newRedisServer().port(replicaPort).bind("127.0.0.1").setting("save \"\"")
        .slaveOf("127.0.0.1", masterPort).build();
    RedisSentinel sentinel = RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(sentinelPort)
        .masterName("ingress-master").masterPort(masterPort).quorumSize(1).build();
    master.start();
    replica.start();
    sentinel.start();
    try {
      JsonObject config = ProbeBuckets.config(new JsonObject().put("type", "sentinel").put("masterName", "ingress-master"));
      CapturedLogs.clear();
      try (IngressServer server = IngressServer.start(TestServices.newDatabase("ratelimit_sentinel"),
          "redis://127.0.0.1:" + sentinelPort, config, Map.of())) {
        Http http = server.http();
        for (int caller = 0; caller < 10; caller++) {
          String client = "203.0.113." + (caller + 1);
          ProbeBuckets.exhaust(http, client);
          assertEquals(":1", RedisCommand.send("redis://127.0.0.1:" + masterPort, "EXISTS", RedisRateLimiter.key("probe", client)),
              "the bucket of " + client + " is on the master");
        }
        ProbeBuckets.assertNeverFellBack();
      }
    } finally {
      sentinel.stop();
      replica.stop();
      master.stop();
    }
  }
}
