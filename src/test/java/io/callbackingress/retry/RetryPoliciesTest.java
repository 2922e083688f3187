package io.callbackingress.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.Implementations;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.RetryPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC 7, 12: the built-in retry policies and their registration. */
class RetryPoliciesTest {

  private static final IngressConfig.Retry SETTINGS = new IngressConfig.Retry("exponential", 100, 2, 1000, 6);

  @Test
  void exponentialDelaysStayWithinTheGrowingCapAndGiveUpAtMaxAttempts() {
    RetryPolicy policy = new ExponentialRetryPolicy();
    long[] caps = {100, 200, 400, 800, 1000};
    for (int attempt = 1; attempt <= 5; attempt++) {
      long max = 0;
      for (int sample = 0; sample < 2000; sample++) {
        long delay = policy.delayMillis(attempt, SETTINGS);
        assertTrue(delay >= 0 && delay <= caps[attempt - 1], "attempt " + attempt + ": " + delay);
        max = Math.max(max, delay);
      }
      assertTrue(max > caps[attempt - 1] / 2, "jitter spans the range, max seen " + max);
    }
    assertEquals(-1, policy.delayMillis(6, SETTINGS));
    assertEquals(-1, policy.delayMillis(7, SETTINGS));
  }

  @Test
  void exponentialSaturatesAtTheCapForLargeAttemptCounts() {
    IngressConfig.Retry many = new IngressConfig.Retry("exponential", 100, 100, 5000, 1000);
    long delay = new ExponentialRetryPolicy().delayMillis(999, many);
    assertTrue(delay >= 0 && delay <= 5000, String.valueOf(delay));
  }

  @Test
  void fixedWaitsBaseMsUntilMaxAttempts() {
    RetryPolicy policy = new FixedRetryPolicy();
    for (int attempt = 1; attempt < 6; attempt++) {
      assertEquals(100, policy.delayMillis(attempt, SETTINGS));
    }
    assertEquals(-1, policy.delayMillis(6, SETTINGS));
  }

  @Test
  void noneNeverRetries() {
    assertEquals(-1, new NoRetryPolicy().delayMillis(1, SETTINGS));
  }

  @Test
  void theBuiltInsAreFoundByName() {
    assertEquals(List.of("exponential", "fixed", "none"),
        Implementations.all(RetryPolicy.class).stream().map(RetryPolicy::name).toList());
    assertTrue(Implementations.named(RetryPolicy.class, RetryPolicy::name, "fixed", "retry.policy") instanceof FixedRetryPolicy);
  }
}
