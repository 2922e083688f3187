package io.callbackingress.metrics;

import io.callbackingress.spi.MetricsCollector;
import java.util.function.Supplier;

/** Reports nothing. */
public final class NoopMetricsCollector implements MetricsCollector {

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public void request(String family, String endpoint, String method, int status, long durationNanos) {
  }

  @Override
  public void batch(int rows) {
  }

  @Override
  public void staleCallback() {
  }

  @Override
  public void rateLimited(String family) {
  }

  @Override
  public void webhookSignatureFailure(String source) {
  }

  @Override
  public void gauge(String name, String tagKey, String tagValue, Supplier<Number> value) {
  }
}
