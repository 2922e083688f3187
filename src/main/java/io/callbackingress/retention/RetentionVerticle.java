package io.callbackingress.retention;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs the {@link Retention} maintenance at start and then every {@code retention.intervalSeconds};
 * a run still going when the next is due is left to finish instead.
 */
public final class RetentionVerticle extends VerticleBase {

  private final Retention retention;
  private final long intervalMillis;
  private long timer;
  private Future<?> running = Future.succeededFuture();

  public RetentionVerticle(Retention retention, int intervalSeconds) {
    this.retention = retention;
    this.intervalMillis = intervalSeconds * 1000L;
  }

  /**
   * Ready once the partitions ahead of the clock exist ({@link Retention#prepare}), so the ingress
   * deploys its listeners after; a failed preparation is logged and start-up goes on, the first
   * full run following at once.
   */
  @Override
  public Future<?> start() {
    running = retention.prepare();
    return running.otherwiseEmpty().onComplete(prepared -> {
      tick();
      timer = vertx.setPeriodic(intervalMillis, id -> tick());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    retention.stop();
    return running.otherwiseEmpty();
  }

  private void tick() {
    if (running.isComplete()) {
      running = retention.run();
    }
  }
}
