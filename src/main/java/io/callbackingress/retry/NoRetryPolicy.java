package io.callbackingress.retry;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.RetryPolicy;

/** The first failure is final, whatever {@code maxAttempts} says. */
public final class NoRetryPolicy implements RetryPolicy {

  @Override
  public String name() {
    return "none";
  }

  @Override
  public long delayMillis(int attempt, IngressConfig.Retry settings) {
    return -1;
  }
}
