package io.callbackingress.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What an operator can do with dead letters (SPEC 16), wherever they are kept: the internal
 * family's routes call this. Failures that are answers are {@link ApiException}s (404, 409); a
 * Postgres that cannot be reached fails with the connection's own error, answered 503.
 */
public interface DeadLetterOperations {

  /**
   * {@code {"items":[...],"next":"<cursor>"}}: up to {@code limit} dead letters after the cursor
   * {@code after} (from the first when null), oldest first, of {@code family} only when it is not
   * null. {@code next} is the cursor of the last item, or {@code after} on an empty page.
   */
  Future<JsonObject> page(Long after, int limit, String family);

  /**
   * Runs the write again; succeeds once it is stored and the dead letter removed, in one
   * transaction. Fails with 409 and the reason when Postgres refuses it again, 404 for an unknown id.
   */
  Future<Void> replay(String id, String requestId);

  /** Removes the dead letter; 404 for an unknown id. */
  Future<Void> discard(String id, String requestId);
}
