package io.callbackingress.store;

import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.vertx.core.json.JsonObject;

/**
 * Tells, after the fact, whether a batch whose COMMIT went unanswered did commit (SPEC 7). A live
 * batch claims a marker of its own in the idempotency ledger, inside its transaction; when its
 * outcome is unknown (the connection dropped during COMMIT, the commit timed out) its writes are
 * spooled with the marker, and their replay claims the marker first. Taken means the batch
 * committed, and its writes are not applied again; free means it did not, and the replay now holds
 * the marker for the same question next time. A batch still committing on a connection given up
 * holds the marker's row lock, so the replay waits for its outcome instead of guessing. Markers
 * expire with the other keys ({@code idempotency.ttlSeconds}).
 */
final class CommitMarker {

  private static final String SCOPE = "commit";
  /** Stored with the claim, so a marker never reads as a request still in progress. */
  static final Reply ANSWER = new Reply(200, new JsonObject());

  private CommitMarker() {}

  static IdempotencyKey next() {
    return new IdempotencyKey(SCOPE, TimeOrderedIds.next().toString(), "");
  }
}
