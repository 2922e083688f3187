package io.callbackingress.retry;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.RetryPolicy;

/** The same {@code baseMs} before every retry, up to {@code maxAttempts} attempts in all. */
public final class FixedRetryPolicy implements RetryPolicy {

  @Override
  public String name() {
    return "fixed";
  }

  @Override
  public long delayMillis(int attempt, IngressConfig.Retry settings) {
    return attempt >= settings.maxAttempts() ? -1 : settings.baseMs();
  }
}
