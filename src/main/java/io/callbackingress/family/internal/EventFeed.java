package io.callbackingress.family.internal;

import io.callbackingress.events.StoredEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The events outbox as a feed that consumers page through by cursor (SPEC 3.8, 11a). The cursor is
 * the row's {@code seq}, as a string so that it stays opaque to callers.
 *
 * <p>Implementation note: {@code seq} is taken from a sequence when a row is inserted, not when
 * its transaction commits. Two batches can therefore commit out of order — the one holding seq 41
 * after the one holding seq 42 — and a consumer that had already read 42 and asks for
 * {@code after=42} would never see 41. The feed therefore only shows rows whose transaction is
 * older than every transaction still running ({@code tx < xmin} of the current snapshot): below
 * that line nothing can commit any more, so the feed, read in {@code seq} order, only ever grows
 * at its end. The price is that a long-running transaction anywhere in the cluster holds the feed
 * back until it ends; the writer's transactions last milliseconds.
 */
final class EventFeed {

  private static final String PAGE = "SELECT " + StoredEvents.COLUMNS + " FROM ingress_events"
      + " WHERE seq > $1 AND tx < txid_snapshot_xmin(txid_current_snapshot())"
      + " ORDER BY seq LIMIT $2";

  private EventFeed() {}

  /** Up to {@code limit} events after {@code after}, with the cursor to continue from. */
  static Future<JsonObject> page(SqlClient sql, long after, int limit) {
    return sql.preparedQuery(PAGE).execute(Tuple.of(after, limit)).map(rows -> {
      JsonArray items = new JsonArray();
      long next = after;
      for (Row row : rows) {
        items.add(StoredEvents.envelope(row));
        next = row.getLong("seq");
      }
      return new JsonObject().put("items", items).put("next", Long.toString(next));
    });
  }
}
