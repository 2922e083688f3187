package io.callbackingress.family.live;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.Violations;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SPEC 3.7: live metrics and the WebSocket fan-out of every event.
 *
 * <p>Each event loop gets a {@link LiveHub} for the sockets it accepted, fed by a consumer of
 * {@link LiveStream#ADDRESS} registered on that loop: every event of every replica, once. One
 * {@link LiveStream} per process is enough: the family's own verticle starts it, and stops it.
 */
public final class LiveFamily implements EndpointFamily {

  private static final JsonObject OK = new JsonObject().put("status", "ok");

  /** Metrics of a track, as posted. */
  record TrackMetrics(String trackId, JsonObject metrics) {}

  /** An event like any other: stored in the outbox, then broadcast on {@code metrics_<track_id>} by the hubs. */
  static final WriteOperation<TrackMetrics> PUBLISH_METRICS = WriteOperation.of("live_metrics.publish", TrackMetrics.class,
      (sql, posted, context) -> {
        context.emit("live_metrics.updated", new JsonObject().put("track_id", posted.trackId()).put("metrics", posted.metrics()));
        return Future.succeededFuture(Reply.ok(OK));
      },
      posted -> Reply.ok(OK));

  /** WebSocket connections open on all loops: without any, the stream does no work at all. */
  private final AtomicInteger connections = new AtomicInteger();
  private LiveStream stream;

  @Override
  public String name() {
    return "live";
  }

  @Override
  public List<LiveChannel> liveChannels() {
    return List.of(new LiveChannel("live_metrics", "metrics_", "track_id"));
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(PUBLISH_METRICS);
  }

  @Override
  public Future<Void> start(FamilyContext context) {
    stream = LiveStream.start(context, connections);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return stream.stop();
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    LiveHub hub = new LiveHub(new Channels(context.liveChannels()), connections);
    context.vertx().eventBus().<JsonObject>localConsumer(LiveStream.ADDRESS, message -> hub.deliver(message.body()));
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/live_data/:track_id/metrics"), LiveFamily::metrics,
            (call, metrics) -> publishMetrics(context, call, metrics)),
        Endpoint.webSocket(context.spiPath("/live"), call -> upgrade(hub, call)));
  }

  private static JsonObject metrics(JsonObject body, Violations violations) {
    JsonObject metrics = JsonInput.top(body, violations).requiredObject("metrics");
    return violations.isEmpty() ? metrics : null;
  }

  private static Future<Reply> publishMetrics(FamilyContext context, Call call, JsonObject metrics) {
    return context.writer().write(call, PUBLISH_METRICS, new TrackMetrics(call.pathParam("track_id"), metrics));
  }

  /** The pipeline has already identified, authenticated and rate-limited the upgrade (SPEC 11a). */
  private static Future<Reply> upgrade(LiveHub hub, Call call) {
    if (!"websocket".equalsIgnoreCase(call.header("Upgrade"))) {
      return Future.failedFuture(ApiException.badRequest("Expected a WebSocket upgrade"));
    }
    return call.request().toWebSocket().map(socket -> {
      hub.attach(socket);
      return Reply.written(101);
    });
  }
}
