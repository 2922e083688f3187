package io.callbackingress.retry;

import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spi.RetrySettings;

/** The first failure is final, whatever {@code maxAttempts} says. */
public final class NoRetryPolicy implements RetryPolicy {

  @Override
  public String name() {
    return "none";
  }

  @Override
  public long delayMillis(int attempt, RetrySettings settings) {
    return -1;
  }
}
