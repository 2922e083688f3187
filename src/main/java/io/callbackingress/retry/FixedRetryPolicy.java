package io.callbackingress.retry;

import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spi.RetrySettings;

/** The same {@code baseMs} before every retry, up to {@code maxAttempts} attempts in all. */
public final class FixedRetryPolicy implements RetryPolicy {

  @Override
  public String name() {
    return "fixed";
  }

  @Override
  public long delayMillis(int attempt, RetrySettings settings) {
    return attempt >= settings.maxAttempts() ? -1 : settings.baseMs();
  }
}
