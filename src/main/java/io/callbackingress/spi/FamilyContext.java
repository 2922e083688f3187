package io.callbackingress.spi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;

/**
 * What a family is given on one event loop: that loop's writer and clients, and the settings its
 * endpoints need. Implemented by the ingress, one per loop (and one for the loop of the family's
 * own verticle, in {@link EndpointFamily#start}); use it only from its loop.
 */
public interface FamilyContext {

  /** The process's Vert.x, for timers and the rare {@code executeBlocking}. */
  Vertx vertx();

  /** {@code spi.basePath} + path: {@code spiPath("/tooling_jobs")} → {@code /spi/tooling_jobs}. */
  String spiPath(String path);

  /** {@code limits.maxOutputBytes}: the cap on free text a family stores (SPEC 3.1). */
  int maxOutputBytes();

  /**
   * This loop's durable writer: group commit, idempotency and events come with every write. It
   * runs only the operations of the calling family's {@link EndpointFamily#operations()}.
   */
  Writer writer();

  /**
   * A pooled client for reads, apart from the writer's connection so reads never wait behind a
   * batch. It reads what has been committed: a write still in the spool is not there yet.
   */
  SqlClient reads();

  /** The chosen {@link MetricsCollector} ({@code plugins.metrics}). */
  MetricsCollector metrics();

  /**
   * The environment the ingress was started with: where the secrets named by {@code *Env} keys
   * live (SPEC 11). Families read it when they build their endpoints, never per request.
   */
  Map<String, String> env();

  /** How much acknowledged work waits in the local spool for Postgres (SPEC 3.8). */
  SpoolStats spoolStats();

  /** The dead letters of every replica, for the operator's routes (SPEC 16). */
  DeadLetterOperations deadLetters();

  /**
   * A new connection of the family's own for {@code LISTEN}: to {@code postgres.listenUri} (a direct
   * or session-pooled address; a transaction pooler cannot LISTEN), chosen as the writers' are
   * where that URI names several hosts. The family closes it.
   */
  Future<PgConnection> listenConnection();

  /** The events of every replica, stored and as this process commits them (SPEC 9). */
  Events events();

  /** The live channels of every enabled family (SPEC 3.7). */
  List<LiveChannel> liveChannels();
}
