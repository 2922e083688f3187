package io.callbackingress.family.testruns;

import io.callbackingress.http.Call;
import io.callbackingress.http.Endpoint;
import io.callbackingress.http.Replies;
import io.callbackingress.http.Reply;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.vertx.core.Future;
import io.callbackingress.validation.Uuids;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** SPEC 3.2: test runner results. */
public final class TestRunsFamily implements EndpointFamily {

  @Override
  public String name() {
    return "test_runs";
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.config().limits().maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/test_runs"),
            (body, violations) -> TestRunRequests.submission(body, violations, maxOutputBytes),
            (call, run) -> create(context, call, run)),
        Endpoint.get(context.spiPath("/test_runs/:id"), call -> find(context, call)),
        Endpoint.json(HttpMethod.PATCH, context.spiPath("/test_runs/:id"),
            (body, violations) -> TestRunRequests.update(body, violations, maxOutputBytes),
            (call, update) -> update(context, call, update)));
  }

  private static Future<Reply> create(FamilyContext context, Call call, TestRunRequests.Submission run) {
    UUID id = UUID.randomUUID();
    return context.writer().write(call, (sql, events) -> TestRunStore.insert(sql, id, run).map(v -> {
      events.emit("test_run.created", new JsonObject().put("id", id.toString()).put("status", run.status())
          .put("submission_uuid", run.submissionUuid()).put("track_slug", run.trackSlug())
          .put("exercise_slug", run.exerciseSlug()));
      return Reply.created(new JsonObject().put("id", id.toString()));
    }));
  }

  private static Future<Reply> find(FamilyContext context, Call call) {
    UUID id = Uuids.parse(call.pathParam("id"));
    if (id == null) {
      return Future.succeededFuture(Replies.notFound());
    }
    return TestRunStore.find(context.reads(), id).map(run -> run == null ? Replies.notFound() : Reply.ok(run));
  }

  private static Future<Reply> update(FamilyContext context, Call call, TestRunRequests.Update update) {
    UUID id = Uuids.parse(call.pathParam("id"));
    if (id == null) {
      return Future.succeededFuture(Replies.notFound());
    }
    return context.writer().write(call, (sql, events) -> TestRunStore.update(sql, id, update).map(status -> {
      if (status == null) {
        return Replies.notFound();
      }
      if (!update.isEmpty()) {
        events.emit("test_run.updated", new JsonObject().put("id", id.toString()).put("status", status));
      }
      return Replies.idAndStatus("id", id.toString(), status);
    }));
  }
}
