package io.callbackingress.spi;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * Where the ingress reports what it does (SPEC 10, 12), chosen by {@code plugins.metrics}.
 * Built-ins: {@code micrometer} (the Prometheus names of SPEC 10), {@code logging}, {@code noop}.
 * Called from every event loop at once: implementations must be thread-safe and must not block.
 */
public interface MetricsCollector {

  /** What {@code plugins.metrics} names. */
  String name();

  /** Called once at start with the registry that {@code /metrics} serves. */
  default void bind(MeterRegistry registry) {}

  /** One answered request; {@code endpoint} is the route template ({@link Call#route()}). */
  void request(String family, String endpoint, String method, int status, long durationNanos);

  /** One committed write batch of {@code rows} writes. */
  void batch(int rows);

  /** A callback refused as stale, older than the state it would overwrite (SPEC 3.4). */
  void staleCallback();

  /** A request of {@code family} answered 429. */
  void rateLimited(String family);

  /** A webhook delivery of {@code source} whose signature did not verify. */
  void webhookSignatureFailure(String source);

  /** Rows the retention maintenance deleted from {@code table} (SPEC 14). */
  default void retentionRowsDeleted(String table, long rows) {}

  /** A time partition of {@code table} the retention maintenance created ahead of need. */
  default void retentionPartitionCreated(String table) {}

  /** A time partition of {@code table} dropped because all of it was past retention. */
  default void retentionPartitionDropped(String table) {}

  /** A gauge read when scraped: spool depth, circuit states. */
  void gauge(String name, String tagKey, String tagValue, Supplier<Number> value);
}
