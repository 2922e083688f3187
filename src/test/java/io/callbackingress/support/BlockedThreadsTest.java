package io.callbackingress.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tripwire itself: a sleep on an event loop must fail the test that caused it. */
class BlockedThreadsTest {

  @Test
  void aSleepOnAnEventLoopIsCaught() throws Exception {
    BlockedThreads.drain();
    Vertx vertx = TestVertx.create(TestVertx.registry());
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        Thread.sleep(3 * TestVertx.MAX_EVENT_LOOP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.complete();
    });
    done.future().await();
    vertx.close().await();
    List<String> slips = BlockedThreads.drain();
    assertFalse(slips.isEmpty(), "the checker reported nothing");
    assertTrue(slips.stream().allMatch(s -> s.contains("blocked") && s.contains("Thread.sleep")), slips.toString());
  }
}
