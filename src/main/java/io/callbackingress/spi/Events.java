package io.callbackingress.spi;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * The events of SPEC 9 as a family reads them: those stored, through a cursor or by id, and those
 * this process commits, as they commit. A family gets them from {@link FamilyContext#events()}.
 *
 * <p>An event reaches a family as its SPEC 9 envelope —
 * {@code {"type","id","timestamp","data","metadata":{"correlationId","source"}}}, {@code id} a
 * UUID in text — the very JSON every other consumer is sent, whichever way it came: a family
 * passes it on as it is, never rebuilds it.
 *
 * <p>Every replica announces each event in the transaction that stores it, with
 * {@code NOTIFY} on {@link #ANNOUNCEMENTS} and the event's id as payload, so the notification
 * arrives once the event can be {@linkplain #read read}. A family that follows other replicas'
 * events {@code LISTEN}s there on a {@link FamilyContext#listenConnection()}; this process's own
 * events are announced there too.
 */
public interface Events {

  /** The Postgres channel every replica announces its events on: the payload is the event's id. */
  String ANNOUNCEMENTS = "ingress_events";

  /**
   * The feed of stored events (SPEC 3.8, 11a): {@code {"items":[<envelope>...],"next":"<cursor>"}},
   * up to {@code limit} events after the cursor {@code after} — from the oldest kept when it is
   * null — in the order they were stored. {@code next} is the cursor of the last item, or
   * {@code after} (0 when null) on an empty page. The feed only ever grows at its end: an event
   * appears once no transaction older than the one that stored it is still running. A cursor
   * whose events retention removed fails with {@link ApiException} 410 {@code Cursor expired}.
   */
  Future<JsonObject> page(Long after, int limit);

  /**
   * The envelopes of the stored events among {@code ids}, in the order they were stored; an id
   * that names no stored event (not yet, or not any more) is left out.
   */
  Future<List<JsonObject>> read(List<UUID> ids);

  /**
   * Calls {@code handler} with the envelope of each event this process commits, once its
   * transaction has committed — never one that was rolled back — on the event loop this is called
   * on. Other replicas' events do not come here. Unregistering the consumer stops the calls.
   */
  MessageConsumer<JsonObject> committed(Handler<JsonObject> handler);
}
