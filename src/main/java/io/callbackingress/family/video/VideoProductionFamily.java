package io.callbackingress.family.video;

import io.callbackingress.http.Call;
import io.callbackingress.http.Endpoint;
import io.callbackingress.http.Replies;
import io.callbackingress.http.Reply;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.store.EventSink;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC 3.4: nodes registered by the dispatcher, completed by executor callbacks. A callback for a
 * node that moved on — finished already, or re-registered with another process — is stale: it
 * changes nothing, and is answered, logged, counted and recorded as such.
 */
public final class VideoProductionFamily implements EndpointFamily {

  private static final Logger log = LoggerFactory.getLogger(VideoProductionFamily.class);
  private static final JsonObject OK = new JsonObject().put("status", "ok");
  private static final JsonObject STALE = new JsonObject().put("status", "stale");

  @Override
  public String name() {
    return "video_production";
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.config().limits().maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/video_production/nodes"), VideoRequests::registration,
            (call, node) -> register(context, call, node)),
        Endpoint.get(context.spiPath("/video_production/nodes/:node_uuid"), call -> find(context, call)),
        Endpoint.json(HttpMethod.POST, context.spiPath("/video_production/executor_callback"),
            (body, violations) -> VideoRequests.callback(body, violations, maxOutputBytes),
            (call, callback) -> complete(context, call, callback)));
  }

  private static Future<Reply> register(FamilyContext context, Call call, VideoRequests.Registration node) {
    return context.writer().write(call, (sql, events) -> VideoNodeStore.register(sql, node).map(inserted -> {
      events.emit("video_node.registered", new JsonObject().put("node_uuid", node.nodeUuid())
          .put("executor_type", node.executorType()).put("process_uuid", node.processUuid()));
      JsonObject body = new JsonObject().put("node_uuid", node.nodeUuid()).put("status", "in_progress");
      return new Reply(inserted ? 201 : 200, body);
    }));
  }

  private static Future<Reply> find(FamilyContext context, Call call) {
    return VideoNodeStore.find(context.reads(), call.pathParam("node_uuid"))
        .map(node -> node == null ? Replies.notFound() : Reply.ok(node));
  }

  private static Future<Reply> complete(FamilyContext context, Call call, VideoRequests.Callback callback) {
    return context.writer().write(call, (sql, events) -> VideoNodeStore.complete(sql, callback)
        .map(completion -> answer(context, call, callback, completion, events)));
  }

  private static Reply answer(FamilyContext context, Call call, VideoRequests.Callback callback,
                              VideoNodeStore.Completion completion, EventSink events) {
    if (completion == null) {
      return Replies.notFound();
    }
    if (!completion.applied()) {
      log.warn("stale callback for node {} (node is {} with process {}, callback names process {}), request {}",
          callback.nodeUuid(), completion.previousStatus(), completion.currentProcess(), callback.processUuid(),
          call.requestId());
      context.metrics().staleCallback();
      events.emit("callback.stale", new JsonObject().put("node_uuid", callback.nodeUuid())
          .put("process_uuid", callback.processUuid()).put("node_status", completion.previousStatus()));
      return Reply.ok(STALE);
    }
    JsonObject data = new JsonObject().put("node_uuid", callback.nodeUuid()).put("executor_type", callback.executorType());
    if (callback.succeeded()) {
      events.emit("video_node.completed", data);
    } else {
      events.emit("video_node.failed", data.put("error_type", callback.errorType()));
    }
    return Reply.ok(OK);
  }
}
