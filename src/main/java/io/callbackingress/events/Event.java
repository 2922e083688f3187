package io.callbackingress.events;

import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** One state change in the SPEC 9 envelope. */
public record Event(UUID id, String type, OffsetDateTime timestamp, JsonObject data, String correlationId) {

  public static final String ADDRESS = "ingress.events";
  public static final String SOURCE = "callback-ingress";

  public static Event of(String type, JsonObject data, String correlationId) {
    // Postgres keeps microseconds: the envelope published now must equal the one read back from the outbox.
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    return new Event(TimeOrderedIds.next(), type, now, data, correlationId);
  }

  public JsonObject envelope() {
    return new JsonObject()
        .put("type", type)
        .put("id", id.toString())
        .put("timestamp", timestamp.toInstant().toString())
        .put("data", data)
        .put("metadata", new JsonObject().put("correlationId", correlationId).put("source", SOURCE));
  }
}
