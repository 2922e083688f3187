package io.callbackingress.spi;

import io.vertx.core.Future;
import java.net.URL;
import java.util.List;

/**
 * A family of routes (SPEC 3, 12): the unit of extension, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.callbackingress.spi.EndpointFamily}) and switched by
 * {@code families.<name>.enabled}. The core knows no family by name: what it needs of one is here.
 *
 * <p>Every event loop runs one HTTP server verticle with one router, and each enabled family is
 * mounted into every one of them with that loop's {@link FamilyContext}. A family is therefore
 * deployed — its endpoints built, its resources taken — independently of the others, yet a request
 * is served start to finish on the loop that accepted it: no event-bus hop between the shared port
 * and the family. Auth, rate limiting, body limits, parsing, validation, idempotency, metrics and
 * audit come from the shared pipeline around the endpoints returned here.
 *
 * <p>Lifecycle: {@link #configure} once while the configuration is read, then, if the family is
 * enabled, {@link #start} once in a verticle of its own, {@link #endpoints} once per event loop,
 * and {@link #stop} when the process drains.
 */
public interface EndpointFamily {

  /** The family's name in configuration ({@code families.<name>}) and in metrics. */
  String name();

  /** {@code families.<name>.enabled} when the file does not say. */
  default boolean enabledByDefault() {
    return true;
  }

  /** {@code families.<name>.auth} when the file does not say: an {@link AuthProvider}'s name. */
  default String defaultAuth() {
    return "none";
  }

  /**
   * Where the family's own keys live: by default in {@code families.<name>}, beside
   * {@code enabled} and {@code auth}; a family may name a top-level key of its own instead.
   */
  default String configSection() {
    return "families." + name();
  }

  /**
   * Reads the family's own keys from its {@link #configSection()} — called whether or not it is
   * enabled, since start-up validates everything. Keys it does not read are refused afterwards.
   * A value it cannot run with throws {@link ConfigException} naming the key.
   */
  default void configure(ConfigSection section) {}

  /**
   * The JSON Schema (draft 2020-12) of the keys {@link #configure} reads: an object schema whose
   * {@code properties} are the family's own keys ({@code enabled} and {@code auth} are the core's),
   * with {@code $defs} of its own if it needs them; {@code #/$defs/...} of the core's schema may be
   * referred to. It becomes {@code families.<name>} (or {@link #configSection()}) of the schema that
   * {@code Main --config-schema} prints. By default {@code config.schema.json} beside the family's
   * class; null (no such resource) when the family has no keys of its own.
   */
  default URL configSchema() {
    return getClass().getResource("config.schema.json");
  }

  /**
   * The OpenAPI 3.1 fragment of the family's routes: {@code paths} (as served under the default
   * {@code spi.basePath}), {@code tags} and the {@code components} they use; the core's components
   * ({@code Error}, the shared responses, headers and parameters) may be referred to. When the
   * family is enabled its paths and tags are part of {@code GET /openapi.json}; its components are
   * there whenever it is on the class path, so another family may refer to them. By default
   * {@code openapi.json} beside the family's class; null (no such resource) documents no route.
   */
  default URL openApi() {
    return getClass().getResource("openapi.json");
  }

  /** The live channels the family's events go to (SPEC 3.7), beside {@code events}. */
  default List<LiveChannel> liveChannels() {
    return List.of();
  }

  /**
   * Flyway locations ({@code classpath:db/<name>}) holding the family's own migrations, applied at
   * start-up after the core's, whether or not the family is enabled (the schema never depends on
   * the switches). They are versioned apart from the core's and from other families' (a history
   * table per family, {@code flyway_schema_history_<name>} with the name's underscores left out), so
   * a family's first migration is its {@code V1}.
   */
  default List<String> migrations() {
    return List.of();
  }

  /**
   * The family's own tables that retention looks after (SPEC 14), each kept for
   * {@code retention.familySeconds.<name>} unless it names a period key of its own, and each
   * declared partitioned by time or deleted in batches, as its migration made it.
   */
  default List<RetainedTable> retainedTables() {
    return List.of();
  }

  /**
   * Takes what the family holds for the whole process (a listening connection, a timer), on the
   * event loop of its own verticle, before any endpoint is served. Failing stops start-up.
   */
  default Future<Void> start(FamilyContext context) {
    return Future.succeededFuture();
  }

  /** Releases what {@link #start} took, once the listeners have stopped. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** Builds this family's endpoints for one event loop. Called on that loop; must not block. */
  List<Endpoint> endpoints(FamilyContext context);

  /**
   * Every write operation the family's endpoints submit. A write that waited in the spool finds
   * its operation here by name when it is replayed, possibly by a process started after a crash,
   * so the {@link Writer} refuses any other at once: a write of an operation not listed here (this
   * very instance, not merely one of the same name) fails before it is stored or spooled, with a
   * 500 whose logged cause names the family and the operation.
   */
  default List<WriteOperation<?>> operations() {
    return List.of();
  }
}
