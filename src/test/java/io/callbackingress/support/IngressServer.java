package io.callbackingress.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.Ingress;
import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.store.Database;
import io.callbackingress.store.Migrations;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * A real ingress in the test JVM: the production composition root on a test Vert.x, listening on a
 * free port, against a database of its own. Closing it fails the test if any event loop was blocked.
 */
public final class IngressServer implements AutoCloseable {

  /**
   * The internal family is on by default with token auth, and SPEC 11 refuses to start without a
   * token; servers get this one unless the test's environment names its own.
   */
  public static final String INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";
  private static final String INTERNAL_TOKENS_ENV = "INGRESS_INTERNAL_AUTH_TOKENS";

  /** An environment holding just the test's internal token, for tests that build an Ingress themselves. */
  public static Map<String, String> internalTokenEnv() {
    return Map.of(INTERNAL_TOKENS_ENV, INTERNAL_TOKEN);
  }

  public final Vertx vertx;
  public final PrometheusMeterRegistry registry;
  public final IngressConfig config;
  public final Ingress ingress;
  public final String databaseUri;
  public final String redisUri;
  public final int port;

  private IngressServer(Vertx vertx, PrometheusMeterRegistry registry, IngressConfig config, Ingress ingress,
                        String databaseUri, String redisUri) {
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.ingress = ingress;
    this.databaseUri = databaseUri;
    this.redisUri = redisUri;
    this.port = config.http().port();
  }

  /** Starts with {@code config} over the defaults, on a new database and a Redis database of its own. */
  public static IngressServer start(String name, JsonObject config, Map<String, String> env) {
    String databaseUri = TestServices.newDatabase(name);
    String redisUri = TestServices.newRedis();
    return start(databaseUri, redisUri, config, env);
  }

  /** Starts on an existing database and Redis: a second replica, or a restart. */
  public static IngressServer start(String databaseUri, String redisUri, JsonObject config, Map<String, String> given) {
    Map<String, String> env = new java.util.HashMap<>(given);
    env.putIfAbsent(INTERNAL_TOKENS_ENV, INTERNAL_TOKEN);
    JsonObject json = config.copy();
    JsonObject http = json.getJsonObject("http", new JsonObject());
    if (!http.containsKey("port")) {
      http.put("port", freePort());
    }
    http.put("host", "127.0.0.1");
    json.put("http", http);
    json.put("postgres", json.getJsonObject("postgres", new JsonObject()).put("uri", databaseUri));
    json.put("redis", json.getJsonObject("redis", new JsonObject()).put("uri", redisUri));
    if (!json.containsKey("spool")) {
      json.put("spool", new JsonObject().put("dir", tempDir()));
    }
    IngressConfig ingressConfig = IngressConfig.read(ConfigNode.root(json, Map.of()));
    Migrations.migrate(Database.of(databaseUri, ingressConfig.postgres(), env), ingressConfig.familiesFound());
    PrometheusMeterRegistry registry = TestVertx.registry();
    Vertx vertx = TestVertx.create(registry);
    Ingress ingress = Ingress.create(ingressConfig, env, vertx, registry, databaseUri, redisUri,
        Ingress.openSpool(vertx, ingressConfig));
    ingress.deploy().await();
    return new IngressServer(vertx, registry, ingressConfig, ingress, databaseUri, redisUri);
  }

  public Http http() {
    return new Http(vertx, port);
  }

  /** Stops the server; fails if an event loop was blocked while it ran. */
  @Override
  public void close() {
    ingress.stop().await();
    List<String> blocked = BlockedThreads.drain();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tempDir() {
    try {
      return java.nio.file.Files.createTempDirectory("spool").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
