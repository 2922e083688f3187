package io.callbackingress.spool;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What {@code GET /internal/ingress/spool} reports (SPEC 3.8): how much acknowledged work waits
 * on local disk for Postgres. The spool implements this; until it is wired in, {@link #EMPTY}
 * answers for a process that spools nothing.
 */
@FunctionalInterface
public interface SpoolStatus {

  /** A process without a spool: nothing waits. */
  SpoolStatus EMPTY = () -> Future.succeededFuture(new Snapshot(0, 0, null));

  Future<Snapshot> snapshot();

  /** @param oldest when the oldest spooled write was acknowledged, or null when the spool is empty */
  record Snapshot(long depth, long bytes, Instant oldest) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("depth", depth)
          .put("bytes", bytes)
          .put("oldest", oldest == null ? null : oldest.toString());
    }
  }
}
