package io.callbackingress.events;

import io.callbackingress.spi.Events;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * SPEC 9: a batch's events go into {@code ingress_events} and are announced with {@code NOTIFY}
 * on {@link Events#ANNOUNCEMENTS} in the batch's own transaction — one statement for all of them —
 * and are published on the event bus once the transaction has committed.
 */
public final class EventOutbox {

  private static final String INSERT = """
      WITH stored AS (
        INSERT INTO ingress_events (id, type, occurred_at, data, correlation_id)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
        RETURNING id)
      SELECT count(pg_notify('%s', id::text)) FROM stored""".formatted(Events.ANNOUNCEMENTS);

  private final EventBus bus;

  public EventOutbox(EventBus bus) {
    this.bus = bus;
  }

  public Future<Void> store(SqlConnection connection, List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection.preparedQuery(INSERT).execute(rows(events)).mapEmpty();
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
    for (Event event : events) {
      bus.publish(Event.ADDRESS, event.envelope());
    }
  }
}
