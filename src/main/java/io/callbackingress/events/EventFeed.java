package io.callbackingress.events;

import io.callbackingress.spi.ApiException;
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
 *
 * <p>Retention (SPEC 14) removes old events, and records in {@code ingress_events_horizon} the
 * highest {@code seq} it ever removed, in the transaction that removes it. A cursor below that
 * horizon has missed events that are gone: {@code 410 Cursor expired}. The page and the horizon
 * are read by one statement, so they come from one snapshot: a page can never have lost rows to a
 * removal that its horizon does not show. Gaps in {@code seq} (rolled-back inserts, dropped
 * partitions behind the cursor) are otherwise invisible to consumers.
 */
final class EventFeed {

  private static final String PAGE = "SELECT horizon.expired_through, page.*"
      + " FROM ingress_events_horizon AS horizon LEFT JOIN LATERAL ("
      + "SELECT " + StoredEvents.COLUMNS + " FROM ingress_events"
      + " WHERE seq > $1 AND tx < txid_snapshot_xmin(txid_current_snapshot())"
      + " ORDER BY seq LIMIT $2) AS page ON true"
      + " ORDER BY page.seq";

  private EventFeed() {}

  /**
   * Up to {@code limit} events after the cursor {@code after} — from the oldest kept when it is
   * null — with the cursor to continue from; fails with {@code 410} for a cursor that has expired.
   */
  static Future<JsonObject> page(SqlClient sql, Long after, int limit) {
    long from = after == null ? 0 : after;
    return sql.preparedQuery(PAGE).execute(Tuple.of(from, limit)).compose(rows -> {
      JsonArray items = new JsonArray();
      long next = from;
      for (Row row : rows) {
        if (after != null && after < row.getLong("expired_through")) {
          return Future.failedFuture(ApiException.of(410, "Cursor expired"));
        }
        if (row.getLong("seq") != null) {
          items.add(StoredEvents.envelope(row));
          next = row.getLong("seq");
        }
      }
      return Future.succeededFuture(new JsonObject().put("items", items).put("next", Long.toString(next)));
    });
  }
}
