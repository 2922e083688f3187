package io.callbackingress.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.embedded.Redis;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

/**
 * A real Sentinel set for a test: a master, its replica and a sentinel watching them (the binary
 * embedded-redis ships), tuned to notice a dead master within half a second so that a failover
 * test takes seconds, not the minute of Redis's defaults.
 */
public final class RedisSentinels implements AutoCloseable {

  public static final String MASTER_NAME = "ingress-master";

  /** Production keeps Sentinel's 30 s; half a second is many missed pings on a loopback. */
  private static final long DOWN_AFTER_MILLIS = 500;
  /** Bounds a failover attempt (and the wait before retrying one that failed). */
  private static final long FAILOVER_TIMEOUT_MILLIS = 5_000;
  /** Discovering the replica, or promoting it, takes a few seconds; this is far beyond that. */
  private static final Duration SETTLE = Duration.ofSeconds(20);

  private final List<Redis> processes = new ArrayList<>();
  private final Map<Integer, RedisServer> serversByPort = new HashMap<>();
  private int sentinelPort;

  public static RedisSentinels start() {
    RedisSentinels set = new RedisSentinels();
    try {
      int masterPort = set.startServer(null);
      set.startServer(masterPort);
      set.sentinelPort = IngressServer.freePort();
      set.launch(RedisSentinel.newRedisSentinel()
          .bind("127.0.0.1")
          .port(set.sentinelPort)
          .masterName(MASTER_NAME)
          .masterPort(masterPort)
          .quorumSize(1)
          .downAfterMilliseconds(DOWN_AFTER_MILLIS)
          .failOverTimeout(FAILOVER_TIMEOUT_MILLIS)
          .build());
      // The sentinel learns of the replica from the master's INFO; a failover needs it known.
      await("the sentinel knows the replica")
          .atMost(SETTLE)
          .until(() -> set.sentinelSays("slaves=1"));
      return set;
    } catch (IOException e) {
      set.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | AssertionError e) {
      set.close();
      throw e;
    }
  }

  private int startServer(Integer replicaOf) throws IOException {
    int port = IngressServer.freePort();
    var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"");
    if (replicaOf != null) {
      builder.slaveOf("127.0.0.1", replicaOf);
    }
    RedisServer server = builder.build();
    launch(server);
    serversByPort.put(port, server);
    if (replicaOf != null) {
      await("the replica in sync")
          .atMost(SETTLE)
          .until(() -> RedisInfo.replicaCaughtUp(uri(replicaOf)));
    }
    return port;
  }

  private void launch(Redis process) throws IOException {
    processes.add(process);
    process.start();
  }

  /** The sentinel: all {@code redis.uri} holds for {@code redis.type} sentinel. */
  public String uri() {
    return uri(sentinelPort);
  }

  /** The master the sentinel names now. */
  public String masterUri() {
    String master = RedisInfo.field(uri(), "sentinel", "master0:");
    String address = master.substring(master.indexOf("address=") + "address=".length());
    return "redis://" + address.substring(0, address.indexOf(','));
  }

  /**
   * Ends the master's process once its replica has caught up (the tests are about the
   * client, not about the writes asynchronous replication can lose).
   */
  public void killMaster() throws IOException {
    String master = masterUri();
    await("the replica caught up")
        .atMost(SETTLE)
        .until(() -> RedisInfo.replicaCaughtUp(master));
    serversByPort.get(port(master)).stop();
  }

  /** The sentinel names a live master: after a kill, it has promoted the replica. */
  public boolean promoted() {
    String master = masterUri();
    return serversByPort.get(port(master)).isActive() && "master".equals(RedisInfo.field(master, "replication", "role:"));
  }

  private static int port(String uri) {
    return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
  }

  private boolean sentinelSays(String fact) {
    return RedisInfo.field(uri(), "sentinel", "master0:").contains(fact);
  }

  private static String uri(int port) {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    // Sentinel first, so it does not fail over what the test is tearing down.
    for (int i = processes.size() - 1; i >= 0; i--) {
      try {
        processes.get(i).stop();
      } catch (IOException | RuntimeException e) {
        // best effort: the next test gets new ports anyway
      }
    }
  }
}
