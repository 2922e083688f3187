package io.callbackingress.retry;

import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spi.RetrySettings;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code baseMs · factor^(attempt-1)}, capped at {@code maxMs}, with full jitter: the delay is drawn
 * uniformly from {@code [0, capped]}. Full jitter spreads the retries of many callers that failed
 * together (a database restart) instead of sending them back in synchronized waves.
 */
public final class ExponentialRetryPolicy implements RetryPolicy {

  @Override
  public String name() {
    return "exponential";
  }

  @Override
  public long delayMillis(int attempt, RetrySettings settings) {
    if (attempt >= settings.maxAttempts()) {
      return -1;
    }
    // Computed in double so a large attempt count saturates at the cap instead of overflowing.
    double grown = settings.baseMs() * Math.pow(settings.factor(), attempt - 1);
    long capped = (long) Math.min(grown, settings.maxMs());
    return ThreadLocalRandom.current().nextLong(capped + 1);
  }
}
