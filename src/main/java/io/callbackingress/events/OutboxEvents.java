package io.callbackingress.events;

import io.callbackingress.spi.Events;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The families' view of the events: the outbox {@link EventOutbox} writes and the bus it publishes on. */
public final class OutboxEvents implements Events {

  private static final String READ = "SELECT " + StoredEvents.COLUMNS
      + " FROM ingress_events WHERE id = ANY($1::uuid[]) ORDER BY seq";

  private final EventBus bus;
  private final SqlClient reads;

  /** @param reads the pool for reads that never wait behind writes */
  public OutboxEvents(EventBus bus, SqlClient reads) {
    this.bus = bus;
    this.reads = reads;
  }

  @Override
  public Future<JsonObject> page(Long after, int limit) {
    return EventFeed.page(reads, after, limit);
  }

  @Override
  public Future<List<JsonObject>> read(List<UUID> ids) {
    return reads.preparedQuery(READ).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
      List<JsonObject> envelopes = new ArrayList<>(rows.size());
      for (Row row : rows) {
        envelopes.add(StoredEvents.envelope(row));
      }
      return envelopes;
    });
  }

  @Override
  public MessageConsumer<JsonObject> committed(Handler<JsonObject> handler) {
    return bus.localConsumer(Event.ADDRESS, message -> handler.handle(message.body()));
  }
}
