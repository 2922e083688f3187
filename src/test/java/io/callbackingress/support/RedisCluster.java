package io.callbackingress.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import redis.embedded.RedisServer;

/**
 * A real Redis Cluster for a test, shaped as in production: three masters, each with a replica
 * that takes over when its master dies (Redis servers from the binary embedded-redis ships, so no
 * install is needed). The 16,384 slots are split between the masters and the nodes introduced to
 * each other — what {@code redis-cli --cluster create --cluster-replicas 1} does.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int SLOTS = 16_384;
  private static final int MASTERS = 3;
  /**
   * How long a silent node takes to be declared failed. Production keeps Redis's 15 s; a test
   * that kills a master wants its replica promoted within a couple of seconds.
   */
  private static final int NODE_TIMEOUT_MILLIS = 1_000;

  /** Forming, or promoting a replica, takes a few seconds; this is far beyond that. */
  private static final Duration SETTLE = Duration.ofSeconds(15);

  private final List<Node> nodes = new ArrayList<>();

  private record Node(RedisServer server, int port) {
    String uri() {
      return "redis://127.0.0.1:" + port;
    }

    boolean alive() {
      return server.isActive();
    }
  }

  public static RedisCluster start() {
    RedisCluster cluster = new RedisCluster();
    try {
      Path dir = Files.createTempDirectory("redis-cluster");
      for (int i = 0; i < 2 * MASTERS; i++) {
        cluster.nodes.add(startNode(dir));
      }
      cluster.form();
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | AssertionError e) {
      cluster.close();
      throw new IllegalStateException("Redis Cluster did not form", e);
    }
  }

  private static Node startNode(Path dir) throws IOException {
    int port = IngressServer.freePort();
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("cluster-enabled yes")
        .setting("cluster-config-file " + dir.resolve("nodes-" + port + ".conf"))
        .setting("cluster-node-timeout " + NODE_TIMEOUT_MILLIS)
        // A replica promotes however long ago it last heard from its master: the test decides when that was.
        .setting("cluster-replica-validity-factor 0")
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    server.start();
    return new Node(server, port);
  }

  /** Masters are nodes 0-2, node i + 3 replicates master i. */
  private void form() {
    for (int i = 0; i < MASTERS; i++) {
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      IntStream.range(firstSlot(i), firstSlot(i + 1)).forEach(slot -> command.add(Integer.toString(slot)));
      RedisCommand.send(nodes.get(i).uri(), command.toArray(String[]::new));
    }
    for (Node node : nodes.subList(1, nodes.size())) {
      RedisCommand.send(nodes.get(0).uri(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port()));
    }
    for (int i = 0; i < MASTERS; i++) {
      String masterId = RedisCommand.bulk(nodes.get(i).uri(), "CLUSTER", "MYID");
      Node replica = nodes.get(i + MASTERS);
      // A node refuses to replicate a master it has not yet heard of through the cluster bus.
      await("node " + replica.port() + " replicating " + nodes.get(i).port())
          .atMost(SETTLE)
          .until(() -> RedisCommand.send(replica.uri(), "CLUSTER", "REPLICATE", masterId).equals("+OK"));
    }
    await("the cluster ok and every replica in sync")
        .atMost(SETTLE)
        .until(() -> nodes.stream().allMatch(node -> info(node, "CLUSTER", "INFO").contains("cluster_state:ok"))
            && nodes.subList(MASTERS, nodes.size()).stream()
                .allMatch(node -> info(node, "INFO", "replication").contains("master_link_status:up")));
  }

  /** Every node, masters and replicas, comma-separated: what {@code redis.uri} takes for a cluster. */
  public String uri() {
    return nodes.stream().map(Node::uri).collect(Collectors.joining(","));
  }

  /** How many live nodes hold {@code key} as a master: 1 for a key that exists (a replica answers MOVED). */
  public int holders(String key) {
    return (int) nodes.stream()
        .filter(Node::alive)
        .filter(node -> ":1".equals(RedisCommand.send(node.uri(), "EXISTS", key)))
        .count();
  }

  /**
   * Ends the process of the master that owns {@code key}'s slot once its replica has caught up
   * (the tests are about the client, not about the writes asynchronous replication can lose).
   */
  public void killMasterOf(String key) throws IOException {
    Node master = nodes.stream()
        .filter(node -> ":1".equals(RedisCommand.send(node.uri(), "EXISTS", key)))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(key + " is on no master"));
    await("the replica of " + master.port() + " caught up")
        .atMost(SETTLE)
        .until(() -> RedisInfo.replicaCaughtUp(master.uri()));
    master.server().stop();
  }

  /** Every live node sees every slot served by a live master: after a kill, a replica has been promoted. */
  public boolean whole() {
    Set<String> live = nodes.stream().filter(Node::alive).map(node -> "127.0.0.1:" + node.port()).collect(Collectors.toSet());
    return nodes.stream().filter(Node::alive).allMatch(node -> info(node, "CLUSTER", "INFO").contains("cluster_state:ok")
        && info(node, "CLUSTER", "NODES").lines()
            .map(line -> line.split(" "))
            // id address@bus-port flags master ping-sent pong-received epoch link-state slot...
            .filter(fields -> fields.length > 8)
            .allMatch(fields -> live.contains(fields[1].substring(0, fields[1].indexOf('@'))) && !fields[2].contains("fail")));
  }

  /** Which third of the slots {@code key} is in: the same shard before and after a failover. */
  public int shard(String key) {
    int slot = Integer.parseInt(RedisCommand.send(nodes.stream().filter(Node::alive).findFirst().orElseThrow().uri(),
        "CLUSTER", "KEYSLOT", key).substring(1));
    return IntStream.range(0, MASTERS).filter(i -> slot >= firstSlot(i)).max().orElseThrow();
  }

  private static int firstSlot(int master) {
    return SLOTS * master / MASTERS;
  }

  private static String info(Node node, String... command) {
    return RedisCommand.bulk(node.uri(), command);
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      try {
        node.server().stop();
      } catch (IOException | RuntimeException e) {
        // best effort: the next test gets new ports anyway
      }
    }
  }
}
