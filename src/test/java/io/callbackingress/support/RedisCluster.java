package io.callbackingress.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import redis.embedded.RedisServer;

/**
 * A real three-master Redis Cluster for a test: three Redis servers (the binary embedded-redis
 * ships, so no install is needed) with cluster mode on, the 16,384 slots split between them, and
 * the nodes introduced to each other — what {@code redis-cli --cluster create} does.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int SLOTS = 16_384;
  private static final int MASTERS = 3;

  private final List<RedisServer> servers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  public static RedisCluster start() {
    RedisCluster cluster = new RedisCluster();
    try {
      Path dir = Files.createTempDirectory("redis-cluster");
      for (int i = 0; i < MASTERS; i++) {
        int port = IngressServer.freePort();
        RedisServer server = RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("cluster-enabled yes")
            .setting("cluster-config-file " + dir.resolve("nodes-" + port + ".conf"))
            .setting("cluster-node-timeout 5000")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
        server.start();
        cluster.servers.add(server);
        cluster.ports.add(port);
      }
      cluster.form();
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | InterruptedException e) {
      cluster.close();
      throw new IllegalStateException("Redis Cluster did not form", e);
    }
  }

  private void form() throws InterruptedException {
    for (int i = 0; i < MASTERS; i++) {
      int from = SLOTS * i / MASTERS;
      int to = SLOTS * (i + 1) / MASTERS;
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      IntStream.range(from, to).forEach(slot -> command.add(Integer.toString(slot)));
      RedisCommand.send(uri(i), command.toArray(String[]::new));
    }
    for (int i = 1; i < MASTERS; i++) {
      RedisCommand.send(uri(0), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(ports.get(i)));
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      if (IntStream.range(0, MASTERS).allMatch(i -> RedisCommand.bulk(uri(i), "CLUSTER", "INFO").contains("cluster_state:ok"))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("cluster_state never became ok");
  }

  /** Every node, comma-separated: what {@code redis.uri} takes for a cluster. */
  public String uri() {
    return IntStream.range(0, MASTERS).mapToObj(this::uri).collect(Collectors.joining(","));
  }

  public String uri(int node) {
    return "redis://127.0.0.1:" + ports.get(node);
  }

  /** How many nodes hold {@code key}: 1 for a key that exists, as each key lives on one master. */
  public int holders(String key) {
    return (int) IntStream.range(0, MASTERS)
        .filter(i -> ":1".equals(RedisCommand.send(uri(i), "EXISTS", key)))
        .count();
  }

  @Override
  public void close() {
    for (RedisServer server : servers) {
      try {
        server.stop();
      } catch (IOException | RuntimeException e) {
        // best effort: the next test gets new ports anyway
      }
    }
  }
}
