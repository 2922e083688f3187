package io.callbackingress.metrics;

import io.callbackingress.spi.MetricsCollector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The SPEC 10 names, in the registry that {@code /metrics} serves. */
public final class MicrometerMetricsCollector implements MetricsCollector {

  private MeterRegistry registry;
  private DistributionSummary batchRows;
  private Counter staleCallbacks;
  /** Meters by their label values: one map lookup per request instead of a registry lookup. */
  private final Map<String, Meters> requestMeters = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "micrometer";
  }

  @Override
  public void bind(MeterRegistry registry) {
    this.registry = registry;
    this.batchRows = DistributionSummary.builder("ingress.batch.rows")
        .description("Rows per group-commit batch")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
    this.staleCallbacks = Counter.builder("ingress.stale.callbacks")
        .description("Executor callbacks for a node that moved on")
        .register(registry);
  }

  @Override
  public void request(String family, String endpoint, String method, int status, long durationNanos) {
    String key = family + ' ' + endpoint + ' ' + method + ' ' + status;
    Meters meters = requestMeters.computeIfAbsent(key, k -> new Meters(
        Counter.builder("spi.requests")
            .tags("family", family, "endpoint", endpoint, "method", method, "status", Integer.toString(status))
            .register(registry),
        Timer.builder("spi.request.duration")
            .tags("family", family, "endpoint", endpoint, "method", method)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry)));
    meters.count.increment();
    meters.duration.record(Duration.ofNanos(durationNanos));
  }

  @Override
  public void batch(int rows) {
    batchRows.record(rows);
  }

  @Override
  public void staleCallback() {
    staleCallbacks.increment();
  }

  @Override
  public void rateLimited(String family) {
    Counter.builder("ingress.ratelimit.rejected").tag("family", family).register(registry).increment();
  }

  @Override
  public void webhookSignatureFailure(String source) {
    Counter.builder("ingress.webhook.signature.failures").tag("source", source).register(registry).increment();
  }

  @Override
  public void retentionRowsDeleted(String table, long rows) {
    Counter.builder("ingress.retention.rows.deleted").tag("table", table)
        .description("Rows the retention maintenance deleted")
        .register(registry).increment(rows);
  }

  @Override
  public void retentionPartitionCreated(String table) {
    retentionPartitions(table, "created");
  }

  @Override
  public void retentionPartitionDropped(String table) {
    retentionPartitions(table, "dropped");
  }

  /** One counter with a label: Prometheus reserves the {@code _created} suffix of a counter for its start time. */
  private void retentionPartitions(String table, String change) {
    Counter.builder("ingress.retention.partitions").tags("table", table, "change", change)
        .description("Time partitions the retention maintenance created or dropped")
        .register(registry).increment();
  }

  @Override
  public void gauge(String name, String tagKey, String tagValue, Supplier<Number> value) {
    Gauge.Builder<Supplier<Number>> builder = Gauge.builder(name, value);
    if (tagKey != null) {
      builder.tag(tagKey, tagValue);
    }
    builder.register(registry);
  }

  private record Meters(Counter count, Timer duration) {}
}
