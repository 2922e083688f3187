package io.callbackingress.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The newcomer's default (SPEC 11 {@code "embedded"}): a real Postgres and a real Redis started as
 * child processes, data under {@code data/}, stopped on shutdown. Each starts only when configured.
 * All blocking: called from {@code main} and the shutdown hook, never from an event loop.
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

  private EmbeddedPostgres postgres;
  private RedisServer redis;

  /** Starts Postgres with its data kept in {@code dataDir/postgres}; returns its connection URI. */
  public String startPostgres(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("postgres");
    Files.createDirectories(dir);
    postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(freePort())
        .start();
    String uri = "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    log.info("embedded Postgres listening at {} (data in {})", uri, dir);
    return uri;
  }

  /** Starts Redis on a free port, memory only; returns its connection URI. */
  public String startRedis() throws IOException {
    int port = freePort();
    redis = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    redis.start();
    String uri = "redis://127.0.0.1:" + port;
    log.info("embedded Redis listening at {}", uri);
    return uri;
  }

  @Override
  public void close() {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException e) {
        log.warn("embedded Redis did not stop cleanly", e);
      }
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        log.warn("embedded Postgres did not stop cleanly", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
