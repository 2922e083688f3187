package io.callbackingress.metrics;

import io.callbackingress.spi.MetricsCollector;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports to the log at debug level: for running without a metrics backend. */
public final class LoggingMetricsCollector implements MetricsCollector {

  private static final Logger log = LoggerFactory.getLogger("metrics");

  @Override
  public String name() {
    return "logging";
  }

  @Override
  public void request(String family, String endpoint, String method, int status, long durationNanos) {
    log.debug("request family={} endpoint={} method={} status={} micros={}", family, endpoint, method, status, durationNanos / 1000);
  }

  @Override
  public void batch(int rows) {
    log.debug("batch rows={}", rows);
  }

  @Override
  public void staleCallback() {
    log.debug("stale callback");
  }

  @Override
  public void rateLimited(String family) {
    log.debug("rate limited family={}", family);
  }

  @Override
  public void webhookSignatureFailure(String source) {
    log.debug("webhook signature failure source={}", source);
  }

  @Override
  public void retentionRowsDeleted(String table, long rows) {
    log.debug("retention deleted table={} rows={}", table, rows);
  }

  @Override
  public void retentionPartitionCreated(String table) {
    log.debug("retention partition created table={}", table);
  }

  @Override
  public void retentionPartitionDropped(String table) {
    log.debug("retention partition dropped table={}", table);
  }

  @Override
  public void gauge(String name, String tagKey, String tagValue, Supplier<Number> value) {
  }
}
