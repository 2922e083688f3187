package io.callbackingress.spi;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * Where the ingress reports what it does (SPEC 10, 12), chosen by {@code plugins.metrics}.
 * Built-ins: {@code micrometer} (the Prometheus names of SPEC 10), {@code logging}, {@code noop}.
 * Called on event loops: implementations must not block.
 */
public interface MetricsCollector {

  String name();

  /** Called once at start with the registry that {@code /metrics} serves. */
  default void bind(MeterRegistry registry) {}

  void request(String family, String endpoint, String method, int status, long durationNanos);

  void batch(int rows);

  void staleCallback();

  void rateLimited(String family);

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
