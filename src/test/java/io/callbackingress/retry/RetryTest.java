package io.callbackingress.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.support.BlockedThreads;
import io.callbackingress.support.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retry.withRetry: retries on timers as the policy says, and gives up when it says so. */
class RetryTest {

  private static final IngressConfig.Retry SETTINGS = new IngressConfig.Retry("exponential", 5, 2, 20, 4);

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = TestVertx.create(TestVertx.registry());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    assertEquals(List.of(), BlockedThreads.drain());
  }

  @Test
  void anActionThatFailsTransientlySucceedsOnALaterAttempt() {
    AtomicInteger calls = new AtomicInteger();
    String result = Retry.withRetry(vertx, new ExponentialRetryPolicy(), SETTINGS,
        failingTimes(2, calls)).await();
    assertEquals("ok", result);
    assertEquals(3, calls.get());
  }

  @Test
  void retriesStopAfterMaxAttemptsWithTheLastFailure() {
    AtomicInteger calls = new AtomicInteger();
    Throwable failure = assertThrows(Throwable.class,
        () -> Retry.withRetry(vertx, new FixedRetryPolicy(), SETTINGS, failingTimes(100, calls)).await());
    assertEquals("failure 4", failure.getMessage());
    assertEquals(4, calls.get());
  }

  @Test
  void noneTriesOnceAndAnActionThatThrowsCountsAsAFailure() {
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException thrown = new IllegalStateException("thrown");
    Throwable failure = assertThrows(Throwable.class, () -> Retry.withRetry(vertx, new NoRetryPolicy(), SETTINGS,
        () -> {
          calls.incrementAndGet();
          throw thrown;
        }).await());
    assertSame(thrown, failure);
    assertEquals(1, calls.get());
  }

  @Test
  void aZeroDelayRetriesWithoutATimer() {
    AtomicInteger calls = new AtomicInteger();
    IngressConfig.Retry immediate = new IngressConfig.Retry("fixed", 0, 1, 0, 3);
    assertEquals("ok", Retry.withRetry(vertx, new FixedRetryPolicy(), immediate, failingTimes(2, calls)).await());
  }

  private static Supplier<Future<String>> failingTimes(int failures, AtomicInteger calls) {
    return () -> {
      int call = calls.incrementAndGet();
      return call <= failures
          ? Future.failedFuture(new RuntimeException("failure " + call))
          : Future.succeededFuture("ok");
    };
  }
}
