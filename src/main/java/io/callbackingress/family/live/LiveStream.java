package io.callbackingress.family.live;

import io.callbackingress.spi.Events;
import io.callbackingress.spi.FamilyContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one stream of events that live subscribers see, each event exactly once, wherever it was
 * produced (SPEC 3.7). This process's events come as they commit ({@link Events#committed});
 * other replicas' events come through {@code LISTEN} on {@link Events#ANNOUNCEMENTS} on one
 * dedicated connection ({@link ChannelListener}, to {@code postgres.listenUri}), read back by the
 * announced id ({@link Events#read}). Both are republished, locally only, on {@link #ADDRESS},
 * which every loop's {@link LiveHub} consumes.
 *
 * <p>Implementation notes: the notification reaches every replica, the producing one included,
 * and may arrive before or after the local publication of the same event — both follow the same
 * commit. So the ids already passed on are remembered (a bounded set) and whichever path brings
 * an event first passes it on; the other is dropped, before the read and again after it.
 * Notifications that arrive while a read is in flight are read together in the next one. All of
 * this runs on the event loop that started it, so the set needs no locking.
 *
 * <p>While no WebSocket is open anywhere in the process, nothing is republished and no
 * notification is read back: there is nobody to deliver to, and a subscriber sees the events that
 * follow its subscription only. This process's own events are still remembered, so a
 * notification of one of them that arrives after a subscriber came is not taken for news.
 *
 * <p>Live delivery is best effort: while the listening connection is down (it reconnects every
 * second, until it listens on a writable primary; {@code ingress_live_listening} is 0 meanwhile)
 * other replicas' events are not seen here. A consumer that must see every event pages
 * {@code /internal/ingress/events}.
 */
final class LiveStream {

  static final String ADDRESS = "ingress.events.live";

  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
  /**
   * Ids to recognise when the other path brings the same event: far more than are published
   * during one notification round trip even at tens of thousands of events a second.
   */
  private static final int REMEMBERED = 65_536;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus bus;
  private final Events events;
  private final AtomicInteger connections;
  private final Set<String> passedOn = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  });
  private List<UUID> announced = new ArrayList<>();
  private boolean reading;
  private MessageConsumer<JsonObject> local;
  private ChannelListener listener;

  private LiveStream(Vertx vertx, Events events, AtomicInteger connections) {
    this.bus = vertx.eventBus();
    this.events = events;
    this.connections = connections;
  }

  /**
   * Starts the stream; called once per process, on an event loop. It does not wait for the
   * listening connection: live delivery is best effort, and the writes must not wait for it.
   */
  static LiveStream start(FamilyContext context, AtomicInteger connections) {
    LiveStream stream = new LiveStream(context.vertx(), context.events(), connections);
    stream.local = stream.events.committed(stream::passOn);
    stream.listener = new ChannelListener(context.vertx(), context::listenConnection, Events.ANNOUNCEMENTS,
        stream::announced);
    context.metrics().gauge("ingress.live.listening", null, null, () -> stream.listener.listening() ? 1 : 0);
    stream.listener.start();
    return stream;
  }

  /** Stops passing events on and closes the listening connection. */
  Future<Void> stop() {
    return Future.join(local.unregister(), listener.stop()).mapEmpty();
  }

  /** Remembered even with no socket open, so its late notification is not read back for a subscriber who came after it. */
  private void passOn(JsonObject envelope) {
    if (passedOn.add(envelope.getString("id")) && connections.get() > 0) {
      bus.publish(ADDRESS, envelope, LOCAL);
    }
  }

  private void announced(String id) {
    if (connections.get() == 0 || passedOn.contains(id)) {
      return;
    }
    try {
      announced.add(UUID.fromString(id));
    } catch (IllegalArgumentException notOurs) {
      return;
    }
    readAnnounced();
  }

  private void readAnnounced() {
    if (reading || announced.isEmpty()) {
      return;
    }
    reading = true;
    List<UUID> ids = announced;
    announced = new ArrayList<>();
    events.read(ids)
        .onSuccess(envelopes -> envelopes.forEach(this::passOn))
        .onFailure(failure -> log.warn("cannot read {} announced events for live subscribers: {}", ids.size(),
            failure.getMessage()))
        .onComplete(done -> {
          reading = false;
          readAnnounced();
        });
  }
}
