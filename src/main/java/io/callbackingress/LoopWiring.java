package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.events.OutboxEvents;
import io.callbackingress.spi.DeadLetterOperations;
import io.callbackingress.spi.Events;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.spi.SpoolStats;
import io.callbackingress.spi.Writer;
import io.callbackingress.store.BatchCommitter;
import io.callbackingress.store.BatchWriter;
import io.callbackingress.store.DeadLetterReplays;
import io.callbackingress.store.Spooler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;

/**
 * Wires one event loop: its batch writer (group commit on a connection of that loop, the spool
 * behind it) and the {@link FamilyContext} its families are built with. Every server verticle and
 * every family verticle wires its own loop, so nothing on a request's way crosses to another loop.
 */
final class LoopWiring {

  /** What one event loop's families share. */
  record LoopServices(BatchWriter writer, FamilyContext context) {}

  private final IngressConfig config;
  private final Backends backends;
  private final MetricsCollector metrics;
  private final Map<String, String> env;
  private final List<LiveChannel> liveChannels;
  private final DeadLetterOperations deadLetters;
  private final WriteOperations writeOperations;
  private final Events events;

  LoopWiring(IngressConfig config, Vertx vertx, Backends backends, MetricsCollector metrics, Map<String, String> env,
             EnabledFamilies families) {
    this.config = config;
    this.backends = backends;
    this.metrics = metrics;
    this.env = Map.copyOf(env);
    this.liveChannels = families.liveChannels();
    this.deadLetters = new DeadLetterReplays(backends.reads(), committer(vertx), families.writeOperations().byName());
    this.writeOperations = families.writeOperations();
    this.events = new OutboxEvents(vertx.eventBus(), backends.reads());
  }

  LoopServices on(Vertx loopVertx) {
    BatchWriter writer = new BatchWriter(loopVertx, backends.database(), backends.circuit(), committer(loopVertx),
        new Spooler(backends.spool()), config.postgres().batch().maxRows(), config.postgres().batch().maxDelayMs());
    return new LoopServices(writer, new LoopFamilyContext(loopVertx, new DeclaredWrites(writer, writeOperations)));
  }

  /** A committer whose events are published on {@code loopVertx}'s event bus. */
  BatchCommitter committer(Vertx loopVertx) {
    return new BatchCommitter(new EventOutbox(loopVertx.eventBus()), metrics, config.idempotencyTtlSeconds());
  }

  /** What a family is given on one event loop: that loop's Vert.x and writer, and what the process shares. */
  private final class LoopFamilyContext implements FamilyContext {

    private final Vertx loopVertx;
    private final Writer writer;

    LoopFamilyContext(Vertx loopVertx, Writer writer) {
      this.loopVertx = loopVertx;
      this.writer = writer;
    }

    @Override
    public Vertx vertx() {
      return loopVertx;
    }

    @Override
    public String spiPath(String path) {
      return config.spiBasePath() + path;
    }

    @Override
    public int maxOutputBytes() {
      return config.limits().maxOutputBytes();
    }

    @Override
    public Writer writer() {
      return writer;
    }

    @Override
    public SqlClient reads() {
      return backends.reads();
    }

    @Override
    public MetricsCollector metrics() {
      return metrics;
    }

    @Override
    public Map<String, String> env() {
      return env;
    }

    @Override
    public SpoolStats spoolStats() {
      return backends.spool().stats();
    }

    @Override
    public DeadLetterOperations deadLetters() {
      return deadLetters;
    }

    @Override
    public Future<PgConnection> listenConnection() {
      return backends.listenDatabase().connect(loopVertx);
    }

    @Override
    public Events events() {
      return events;
    }

    @Override
    public List<LiveChannel> liveChannels() {
      return liveChannels;
    }
  }
}
