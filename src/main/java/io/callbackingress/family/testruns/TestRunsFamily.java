package io.callbackingress.family.testruns;

import io.callbackingress.family.testruns.TestRunRequests.Submission;
import io.callbackingress.family.testruns.TestRunRequests.Update;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.toolkit.InsertOperation;
import io.callbackingress.spi.LiveChannel;
import io.callbackingress.spi.toolkit.Replies;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.RetainedTable;
import io.callbackingress.spi.toolkit.Uuids;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** SPEC 3.2: test runner results. */
public final class TestRunsFamily implements EndpointFamily {

  static final WriteOperation<Submission> CREATE = new InsertOperation<>("test_run.create", Submission.class,
      TestRunStore.INSERT, TestRunStore::row,
      (run, context) -> context.emit("test_run.created", new JsonObject().put("id", run.id()).put("status", run.status())
          .put("submission_uuid", run.submissionUuid()).put("track_slug", run.trackSlug())
          .put("exercise_slug", run.exerciseSlug())),
      run -> created(run.id()));

  static final WriteOperation<Update> UPDATE = WriteOperation.of("test_run.update", Update.class,
      (sql, update, context) -> TestRunStore.update(sql, UUID.fromString(update.id()), update).map(updated -> {
        if (updated == null) {
          return Replies.notFound();
        }
        if (updated.changed()) {
          context.emit("test_run.updated", new JsonObject().put("id", update.id()).put("status", updated.status()));
        }
        return Replies.idAndStatus("id", update.id(), updated.status());
      }));

  @Override
  public String name() {
    return "test_runs";
  }

  @Override
  public List<String> migrations() {
    return List.of("classpath:db/test_runs");
  }

  @Override
  public List<RetainedTable> retainedTables() {
    return List.of(new RetainedTable("test_runs", "created_at", true));
  }

  @Override
  public List<LiveChannel> liveChannels() {
    return List.of(LiveChannel.of("test_run", "id"));
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(CREATE, UPDATE);
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/test_runs"),
            (body, violations) -> TestRunRequests.submission(body, violations, maxOutputBytes),
            (call, run) -> context.writer().write(call, CREATE, run)),
        Endpoint.get(context.spiPath("/test_runs/:id"), call -> find(context, call)),
        Endpoint.json(HttpMethod.PATCH, context.spiPath("/test_runs/:id"),
            (call, body, violations) -> TestRunRequests.update(call.pathParam("id"), body, violations, maxOutputBytes),
            (call, update) -> Uuids.parse(update.id()) == null
                ? Future.succeededFuture(Replies.notFound())
                : context.writer().write(call, UPDATE, update)));
  }

  private static Reply created(String id) {
    return Reply.created(new JsonObject().put("id", id));
  }

  private static Future<Reply> find(FamilyContext context, Call call) {
    UUID id = Uuids.parse(call.pathParam("id"));
    if (id == null) {
      return Future.succeededFuture(Replies.notFound());
    }
    return TestRunStore.find(context.reads(), id).map(run -> run == null ? Replies.notFound() : Reply.ok(run));
  }
}
