package io.callbackingress;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.spi.DeadLetterOperations;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.store.BatchCommitter;
import io.callbackingress.store.BatchWriter;
import io.callbackingress.store.DeadLetterReplays;
import io.callbackingress.store.Spooler;
import io.vertx.core.Vertx;
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

  LoopWiring(IngressConfig config, Vertx vertx, Backends backends, MetricsCollector metrics, Map<String, String> env,
             EnabledFamilies families) {
    this.config = config;
    this.backends = backends;
    this.metrics = metrics;
    this.env = Map.copyOf(env);
    this.liveChannels = families.liveChannels();
    this.deadLetters = new DeadLetterReplays(backends.reads(), committer(vertx), families.writeOperations().byName());
  }

  LoopServices on(Vertx loopVertx) {
    BatchWriter writer = new BatchWriter(loopVertx, backends.database(), backends.circuit(), committer(loopVertx),
        new Spooler(backends.spool()), config.postgres().batch().maxRows(), config.postgres().batch().maxDelayMs());
    return new LoopServices(writer,
        new LoopFamilyContext(loopVertx, writer, config, backends, metrics, env, liveChannels, deadLetters));
  }

  /** A committer whose events are published on {@code loopVertx}'s event bus. */
  BatchCommitter committer(Vertx loopVertx) {
    return new BatchCommitter(new EventOutbox(loopVertx.eventBus()), metrics, config.idempotencyTtlSeconds());
  }
}
