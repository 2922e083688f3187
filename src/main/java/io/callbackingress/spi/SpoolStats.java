package io.callbackingress.spi;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What {@code GET /internal/ingress/spool} reports (SPEC 3.8): records not yet acknowledged, the
 * bytes the spool occupies on disk (what {@code spool.maxBytes} bounds), and when the oldest
 * unacknowledged record was appended, or {@code null} when there is none. While dead letters wait
 * in this spool for Postgres (SPEC 16: set aside while it was away), a fourth field counts them
 * ({@code dead_letters}); otherwise the answer keeps the SPEC's exact shape. Those kept in Postgres
 * are listed by {@code GET /internal/ingress/dead-letters}.
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
