package io.callbackingress.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code limits.maxInFlightWrites} across every event loop of the process (SPEC 7): writes past it
 * are refused at once instead of queueing without bound.
 */
public final class WriteBudget {

  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  public WriteBudget(int max) {
    this.max = max;
  }

  public boolean tryAcquire() {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }
}
