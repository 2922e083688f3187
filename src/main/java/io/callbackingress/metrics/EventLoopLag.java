package io.callbackingress.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;

/**
 * {@code ingress_event_loop_lag_seconds{loop}}: how late a timer fires on each event loop. A loop
 * kept busy by a blocking handler or by more work than it can run fires its timers late by that
 * much, and every request it serves waits as long.
 *
 * <p>Deployed with one instance per event loop: Vert.x hands a deployment's instances the loops in
 * turn, so N instances land one on each of N loops. Each re-arms a one-shot timer, so a stall is
 * measured once, not replayed as a burst of catch-up ticks.
 */
public final class EventLoopLag extends VerticleBase {

  /** Ten timers a second per loop cost nothing and see any stall longer than a tenth of a second. */
  private static final long INTERVAL_MILLIS = 100;

  private final MeterRegistry registry;
  private Timer lag;
  private long expectedNanos;
  private long timerId;

  public EventLoopLag(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    // Started on its event loop: the thread's number ("vert.x-eventloop-thread-3") names the loop.
    String loop = Thread.currentThread().getName().replaceFirst(".*-", "");
    lag = Timer.builder("ingress.event.loop.lag")
        .description("How late a timer fired on the event loop")
        .tag("loop", loop)
        .register(registry);
    arm();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }

  private void arm() {
    expectedNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
    timerId = vertx.setTimer(INTERVAL_MILLIS, id -> {
      lag.record(Math.max(0, System.nanoTime() - expectedNanos), TimeUnit.NANOSECONDS);
      arm();
    });
  }
}
