package io.callbackingress.family.video;

import io.callbackingress.family.video.VideoRequests.Callback;
import io.callbackingress.family.video.VideoRequests.Registration;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.toolkit.Replies;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.RetainedTable;
import io.callbackingress.spi.WriteContext;
import io.callbackingress.spi.WriteOperation;
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

  static final WriteOperation<Registration> REGISTER = WriteOperation.of("video_node.register", Registration.class,
      (sql, node, context) -> VideoNodeStore.register(sql, node).map(inserted -> {
        context.emit("video_node.registered", new JsonObject().put("node_uuid", node.nodeUuid())
            .put("executor_type", node.executorType()).put("process_uuid", node.processUuid()));
        return new Reply(inserted ? 201 : 200, new JsonObject().put("node_uuid", node.nodeUuid()).put("status", "in_progress"));
      }));

  static final WriteOperation<Callback> COMPLETE = WriteOperation.of("video_node.complete", Callback.class,
      (sql, callback, context) -> VideoNodeStore.complete(sql, callback).map(completion -> answer(callback, completion, context)));

  @Override
  public String name() {
    return "video_production";
  }

  @Override
  public List<String> migrations() {
    return List.of("classpath:db/video_production");
  }

  @Override
  public List<RetainedTable> retainedTables() {
    return List.of(new RetainedTable("video_nodes", "created_at", false));
  }

  /** callback.stale is about a video node too: its subscribers want to know a callback was refused. */
  @Override
  public List<LiveChannel> liveChannels() {
    return List.of(LiveChannel.of("video_node", "node_uuid"), new LiveChannel("callback", "video_node.", "node_uuid"));
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(REGISTER, COMPLETE);
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/video_production/nodes"), VideoRequests::registration,
            (call, node) -> context.writer().write(call, REGISTER, node)),
        Endpoint.get(context.spiPath("/video_production/nodes/:node_uuid"), call -> find(context, call)),
        Endpoint.json(HttpMethod.POST, context.spiPath("/video_production/executor_callback"),
            (body, violations) -> VideoRequests.callback(body, violations, maxOutputBytes),
            (call, callback) -> context.writer().write(call, COMPLETE, callback)));
  }

  private static Future<Reply> find(FamilyContext context, Call call) {
    return VideoNodeStore.find(context.reads(), call.pathParam("node_uuid"))
        .map(node -> node == null ? Replies.notFound() : Reply.ok(node));
  }

  private static Reply answer(VideoRequests.Callback callback, VideoNodeStore.Completion completion, WriteContext context) {
    if (completion == null) {
      return Replies.notFound();
    }
    if (!completion.applied()) {
      context.afterCommit(() -> {
        log.warn("stale callback for node {} (node is {} with process {}, callback names process {}), request {}",
            callback.nodeUuid(), completion.previousStatus(), completion.currentProcess(), callback.processUuid(),
            context.requestId());
        context.metrics().staleCallback();
      });
      context.emit("callback.stale", new JsonObject().put("node_uuid", callback.nodeUuid())
          .put("process_uuid", callback.processUuid()).put("node_status", completion.previousStatus()));
      return Reply.ok(STALE);
    }
    JsonObject data = new JsonObject().put("node_uuid", callback.nodeUuid()).put("executor_type", callback.executorType());
    if (callback.succeeded()) {
      context.emit("video_node.completed", data);
    } else {
      context.emit("video_node.failed", data.put("error_type", callback.errorType()));
    }
    return Reply.ok(OK);
  }
}
