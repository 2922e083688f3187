package io.callbackingress.events;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * SPEC 9: a batch's events go into {@code ingress_events} in the batch's own transaction — one
 * statement for all of them, with one {@code NOTIFY ingress_events} that names the batch
 * ({@link Announcement}) — and are published on the event bus once the transaction has committed.
 */
public final class EventOutbox {

  private static final String INSERT = """
      WITH stored AS (
        INSERT INTO ingress_events (id, type, occurred_at, data, correlation_id)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
        RETURNING seq)
      SELECT pg_notify('ingress_events', concat_ws(':', $6::text, txid_current(), min(seq), max(seq))) FROM stored""";

  private final EventBus bus;
  private final EventAudience audience;

  public EventOutbox(EventBus bus, EventAudience audience) {
    this.bus = bus;
    this.audience = audience;
  }

  public Future<Void> store(SqlConnection connection, List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection.preparedQuery(INSERT).execute(rows(events).addString(audience.origin())).mapEmpty();
  }

  /** The events as the insert's column arrays: one statement whatever the batch size. */
  public static Tuple rows(List<Event> events) {
    int n = events.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] data = new String[n];
    String[] correlations = new String[n];
    for (int i = 0; i < n; i++) {
      Event event = events.get(i);
      ids[i] = event.id();
      types[i] = event.type();
      times[i] = event.timestamp();
      data[i] = event.data().encode();
      correlations[i] = event.correlationId();
    }
    return Tuple.of(ids, types, times, data, correlations);
  }

  /** After commit only: subscribers must never see a change that was rolled back. */
  public void publish(List<Event> events) {
    if (audience.isEmpty()) {
      return;
    }
    for (Event event : events) {
      bus.publish(Event.ADDRESS, event.envelope());
    }
  }

  /**
   * What one batch's notification says: which process stored it, in which transaction, and the
   * range of {@code seq} its events took — other transactions' events may lie in that range too,
   * so readers select by the transaction as well.
   */
  public record Announcement(String origin, long tx, long firstSeq, long lastSeq) {

    /** The announcement in a notification's payload, or null if the payload is not one. */
    public static Announcement parse(String payload) {
      String[] parts = payload.split(":", -1);
      if (parts.length != 4) {
        return null;
      }
      try {
        return new Announcement(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
      } catch (NumberFormatException notOurs) {
        return null;
      }
    }
  }
}
