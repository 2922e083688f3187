package io.callbackingress.idempotency;

import io.callbackingress.spi.IdempotencyKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The idempotency keys whose first request is still being written in this process, so a
 * concurrent repeat answers 409 at once (SPEC 6). Shared by all event loops of the process; a
 * repeat that reaches another replica meets the key in Postgres instead.
 */
public final class InFlightKeys {

  private final Set<IdempotencyKey> keys = ConcurrentHashMap.newKeySet();

  /** False when the same key is already in flight. */
  public boolean enter(IdempotencyKey key) {
    return keys.add(new IdempotencyKey(key.scope(), key.key(), ""));
  }

  public void leave(IdempotencyKey key) {
    keys.remove(new IdempotencyKey(key.scope(), key.key(), ""));
  }
}
