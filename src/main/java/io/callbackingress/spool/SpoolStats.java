package io.callbackingress.spool;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What {@code GET /internal/ingress/spool} reports (SPEC 3.8): records not yet acknowledged, the
 * bytes the spool occupies on disk (what {@code spool.maxBytes} bounds), and when the oldest
 * unacknowledged record was appended, or {@code null} when there is none.
 */
public record SpoolStats(long depth, long bytes, Instant oldest) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("depth", depth)
        .put("bytes", bytes)
        .put("oldest", oldest == null ? null : oldest.toString());
  }
}
