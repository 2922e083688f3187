package io.callbackingress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.IngressConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The in-process buckets {@code onRedisFailure: local} falls back to: bounded however many clients
 * come, and exact for the ones that keep coming. Called directly, as a flood of a hundred thousand
 * clients through HTTP would take minutes.
 */
class LocalRateLimiterTest {

  /** Two tokens, and no refill worth speaking of while the test runs: a spent bucket stays spent. */
  private static final IngressConfig.RateLimit SLOW = new IngressConfig.RateLimit(true, "local",
      new IngressConfig.Limit(2, 0.001), Map.of());

  @Test
  void aFloodOfNewClientsIsBoundedAndAClientThatKeepsComingStaysLimited() {
    LocalRateLimiter limiter = new LocalRateLimiter(SLOW);
    assertTrue(take(limiter, "known").allowed());
    assertTrue(take(limiter, "known").allowed());

    int flood = LocalRateLimiter.MAX_BUCKETS + 1_000;
    for (int i = 0; i < flood; i++) {
      take(limiter, "flood-" + i);
      if (i % 10_000 == 0) {
        assertFalse(take(limiter, "known").allowed(), "the known client's bucket is still spent");
      }
    }

    assertEquals(LocalRateLimiter.MAX_BUCKETS, limiter.size());
    RateDecision known = take(limiter, "known");
    assertFalse(known.allowed());
    assertEquals(0, known.remaining());
    RateDecision latest = take(limiter, "flood-" + (flood - 1));
    assertEquals(0, latest.remaining(), "a recent client keeps its bucket");
    RateDecision first = take(limiter, "flood-0");
    assertEquals(1, first.remaining(), "the longest-idle client starts again from a full bucket");
  }

  @Test
  void eventLoopsTakingFromOneBucketAtOnceGetExactlyItsTokens() throws Exception {
    int capacity = 5_000;
    LocalRateLimiter limiter = new LocalRateLimiter(new IngressConfig.RateLimit(true, "local",
        new IngressConfig.Limit(capacity, 0.001), Map.of()));
    Callable<Integer> loop = () -> {
      int allowed = 0;
      for (int i = 0; i < capacity; i++) {
        allowed += take(limiter, "shared").allowed() ? 1 : 0;
        take(limiter, Thread.currentThread().getName() + "-" + i);
      }
      return allowed;
    };
    ExecutorService loops = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> one = loops.submit(loop);
      Future<Integer> two = loops.submit(loop);
      assertEquals(capacity, one.get() + two.get());
    } finally {
      loops.shutdownNow();
    }
  }

  private static RateDecision take(LocalRateLimiter limiter, String client) {
    return limiter.acquire("probe", client).result();
  }
}
