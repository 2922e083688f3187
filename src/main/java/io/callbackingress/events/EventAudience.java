package io.callbackingress.events;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This process's side of the live fan-out (SPEC 3.7): whether anyone here is listening, and the
 * name its outbox notifications carry. While nobody listens, committed events are stored and
 * announced to other replicas but not published here; a listener sees the events that follow
 * its subscription. Notifications that carry this process's own origin are ignored by its
 * listener: its own events reach it on the event bus, after commit, already.
 */
public final class EventAudience {

  private final String origin = UUID.randomUUID().toString();
  private final AtomicInteger listeners = new AtomicInteger();

  /** Unique to this process (to one {@code Ingress}, so replicas started in one JVM stay apart). */
  public String origin() {
    return origin;
  }

  public boolean isEmpty() {
    return listeners.get() == 0;
  }

  public void join() {
    listeners.incrementAndGet();
  }

  public void leave() {
    listeners.decrementAndGet();
  }
}
