package io.callbackingress.events;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * Reads back what {@link EventOutbox} stored: the columns to select and the SPEC 9 envelope of a
 * row, so every reader of the outbox (the events feed, the reads by id) sends exactly the
 * envelope that the producing process published.
 */
final class StoredEvents {

  static final String COLUMNS = "seq, id, type, occurred_at, data, correlation_id";

  private StoredEvents() {}

  static JsonObject envelope(Row row) {
    return new Event(row.getUUID("id"), row.getString("type"), row.getOffsetDateTime("occurred_at"),
        new JsonObject(row.getString("data")), row.getString("correlation_id")).envelope();
  }
}
