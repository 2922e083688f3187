package io.callbackingress.family.live;

import io.callbackingress.events.Event;
import io.callbackingress.events.EventAudience;
import io.callbackingress.events.EventOutbox.Announcement;
import io.callbackingress.events.StoredEvents;
import io.callbackingress.spi.FamilyContext;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one stream of events that live subscribers see, each event exactly once, wherever it was
 * produced (SPEC 3.7). This process's events come from {@link Event#ADDRESS}, where the writer
 * publishes them after commit; other replicas' events come through {@code LISTEN ingress_events}
 * on one dedicated connection: each notification announces a batch of another process, read back
 * from the outbox. Both are republished, locally only, on {@link #ADDRESS}, which every loop's
 * {@link LiveHub} consumes.
 *
 * <p>Implementation notes: a notification reaches every replica, the producing one included; the
 * announcement's origin tells this process's own batches apart, and those are skipped, since they
 * came on the event bus already. Announcements that arrive while a read is in flight are read
 * together in the next one. All of this runs on the event loop that started it.
 *
 * <p>While nobody in the process listens ({@link EventAudience}), announcements are not read back:
 * there is nobody to deliver to, and a subscriber sees the events that follow its subscription.
 *
 * <p>Live delivery is best effort: while the listening connection is down (it reconnects every
 * second) other replicas' events are not seen here. A consumer that must see every event pages
 * {@code /internal/ingress/events}.
 */
final class LiveStream {

  static final String ADDRESS = "ingress.events.live";

  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
  private static final String CHANNEL = "ingress_events";
  private static final String READ = "SELECT " + StoredEvents.COLUMNS + " FROM ingress_events AS e"
      + " JOIN unnest($1::int8[], $2::int8[], $3::int8[]) AS batch(tx, first_seq, last_seq)"
      + " ON e.seq BETWEEN batch.first_seq AND batch.last_seq AND e.tx = batch.tx ORDER BY e.seq";
  /** Between attempts to (re)connect the listening connection. */
  private static final long RECONNECT_MS = 1_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final EventBus bus;
  private final SqlClient reads;
  private final EventAudience audience;
  private List<Announcement> announced = new ArrayList<>();
  private boolean reading;

  private LiveStream(Vertx vertx, SqlClient reads, EventAudience audience) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.reads = reads;
    this.audience = audience;
  }

  /** Starts the stream; called once per process, on an event loop. */
  static void start(FamilyContext context) {
    LiveStream stream = new LiveStream(context.vertx(), context.reads(), context.events());
    stream.bus.<JsonObject>localConsumer(Event.ADDRESS, message -> stream.passOn(message.body()));
    PgSubscriber subscriber = PgSubscriber.subscriber(context.vertx(), context.database().connectOptions())
        .reconnectPolicy(attempt -> RECONNECT_MS);
    subscriber.channel(CHANNEL).handler(stream::announced);
    stream.connect(subscriber);
  }

  private void connect(PgSubscriber subscriber) {
    subscriber.connect().onFailure(failure -> {
      log.warn("cannot LISTEN {} for other replicas' events, retrying: {}", CHANNEL, failure.getMessage());
      vertx.setTimer(RECONNECT_MS, id -> connect(subscriber));
    });
  }

  private void passOn(JsonObject envelope) {
    bus.publish(ADDRESS, envelope, LOCAL);
  }

  private void announced(String payload) {
    if (audience.isEmpty()) {
      return;
    }
    Announcement batch = Announcement.parse(payload);
    if (batch == null || batch.origin().equals(audience.origin())) {
      return;
    }
    announced.add(batch);
    readAnnounced();
  }

  private void readAnnounced() {
    if (reading || announced.isEmpty()) {
      return;
    }
    reading = true;
    List<Announcement> batches = announced;
    announced = new ArrayList<>();
    Tuple ranges = Tuple.of(batches.stream().map(Announcement::tx).toArray(Long[]::new),
        batches.stream().map(Announcement::firstSeq).toArray(Long[]::new),
        batches.stream().map(Announcement::lastSeq).toArray(Long[]::new));
    reads.preparedQuery(READ).execute(ranges)
        .onSuccess(rows -> {
          for (Row row : rows) {
            passOn(StoredEvents.envelope(row));
          }
        })
        .onFailure(failure -> log.warn("cannot read {} announced batches for live subscribers: {}", batches.size(),
            failure.getMessage()))
        .onComplete(done -> {
          reading = false;
          readAnnounced();
        });
  }
}
