package io.callbackingress.family.testruns;

import io.callbackingress.http.Call;
import io.callbackingress.http.Endpoint;
import io.callbackingress.http.Replies;
import io.callbackingress.http.Reply;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.store.InsertOperation;
import io.callbackingress.store.WriteOperation;
import io.callbackingress.validation.Uuids;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** SPEC 3.2: test runner results. */
public final class TestRunsFamily implements EndpointFamily {

  static final WriteOperation CREATE = new InsertOperation("test_run.create", TestRunStore.INSERT,
      args -> TestRunStore.row(TestRunRequests.Submission.fromArgs(args)),
      (args, context) -> context.emit("test_run.created", new JsonObject().put("id", args.getString("id"))
          .put("status", args.getString("status")).put("submission_uuid", args.getString("submission_uuid"))
          .put("track_slug", args.getString("track_slug")).put("exercise_slug", args.getString("exercise_slug"))),
      args -> created(args.getString("id")));

  static final WriteOperation UPDATE = WriteOperation.of("test_run.update",
      (sql, args, context) -> {
        TestRunRequests.Update update = TestRunRequests.Update.fromArgs(args);
        return TestRunStore.update(sql, UUID.fromString(update.id()), update).map(updated -> {
          if (updated == null) {
            return Replies.notFound();
          }
          if (updated.changed()) {
            context.emit("test_run.updated", new JsonObject().put("id", update.id()).put("status", updated.status()));
          }
          return Replies.idAndStatus("id", update.id(), updated.status());
        });
      });

  @Override
  public String name() {
    return "test_runs";
  }

  @Override
  public List<WriteOperation> operations() {
    return List.of(CREATE, UPDATE);
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.config().limits().maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/test_runs"),
            (body, violations) -> TestRunRequests.submission(body, violations, maxOutputBytes),
            (call, run) -> context.writer().write(call, CREATE, run.toArgs())),
        Endpoint.get(context.spiPath("/test_runs/:id"), call -> find(context, call)),
        Endpoint.json(HttpMethod.PATCH, context.spiPath("/test_runs/:id"),
            (call, body, violations) -> TestRunRequests.update(call.pathParam("id"), body, violations, maxOutputBytes),
            (call, update) -> Uuids.parse(update.id()) == null
                ? Future.succeededFuture(Replies.notFound())
                : context.writer().write(call, UPDATE, update.toArgs())));
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
