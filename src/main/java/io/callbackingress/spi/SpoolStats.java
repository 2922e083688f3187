package io.callbackingress.spi;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What {@code GET /internal/ingress/spool} reports (SPEC 3.8): records not yet acknowledged, the
 * bytes the spool occupies on disk (what {@code spool.maxBytes} bounds), and when the oldest
 * unacknowledged record was appended, or {@code null} when there is none. Once records have been
 * set aside as dead letters, a fourth field counts them ({@code dead_letters}); until then the
 * answer keeps the SPEC's exact shape.
 */
public record SpoolStats(long depth, long bytes, Instant oldest, long deadLetters) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("depth", depth)
        .put("bytes", bytes)
        .put("oldest", oldest == null ? null : oldest.toString());
    return deadLetters == 0 ? json : json.put("dead_letters", deadLetters);
  }
}
