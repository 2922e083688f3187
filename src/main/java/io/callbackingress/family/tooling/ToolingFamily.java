package io.callbackingress.family.tooling;

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
import java.util.Objects;

/** SPEC 3.1: jobs registered before dispatch, then patched by the worker's callback. */
public final class ToolingFamily implements EndpointFamily {

  @Override
  public String name() {
    return "tooling";
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    Handlers handlers = new Handlers(context);
    int maxOutputBytes = context.config().limits().maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/tooling_jobs"), ToolingJobRequests::registration, handlers::register),
        Endpoint.get(context.spiPath("/tooling_jobs/:id"), handlers::find),
        Endpoint.json(HttpMethod.PATCH, context.spiPath("/tooling_jobs/:id"),
            (body, violations) -> ToolingJobRequests.update(body, violations, maxOutputBytes), handlers::update));
  }

  private static final class Handlers {

    private final FamilyContext context;

    Handlers(FamilyContext context) {
      this.context = context;
    }

    Future<Reply> register(Call call, ToolingJobRequests.Registration job) {
      return context.writer().write(call, (sql, events) -> ToolingJobStore.register(sql, job).map(created -> {
        if (!created) {
          return Replies.conflict("Job already exists");
        }
        events.emit("tooling_job.created", new JsonObject().put("id", job.id()).put("kind", job.kind()).put("status", "pending"));
        return Reply.created(new JsonObject().put("id", job.id()).put("status", "pending"));
      }));
    }

    Future<Reply> find(Call call) {
      return ToolingJobStore.find(context.reads(), call.pathParam("id"))
          .map(job -> job == null ? Replies.notFound() : Reply.ok(job));
    }

    Future<Reply> update(Call call, ToolingJobRequests.Update update) {
      String id = call.pathParam("id");
      return context.writer().write(call, (sql, events) -> ToolingJobStore.update(sql, id, update)
          .map(outcome -> answer(id, update, outcome, events)));
    }

    /** SPEC 3.1 and 11a: terminal jobs are final, identical repeats are fine, and only changes make events. */
    private static Reply answer(String id, ToolingJobRequests.Update update, ToolingJobStore.Outcome outcome, EventSink events) {
      if (outcome == null) {
        return Replies.notFound();
      }
      boolean identical = isIdentical(update, outcome);
      if (!outcome.applied()) {
        return identical
            ? Replies.idAndStatus("id", id, outcome.previousStatus())
            : Replies.conflict("Job already " + outcome.previousStatus());
      }
      if (!identical) {
        String verb = ToolingJobRequests.TERMINAL.contains(update.status()) ? update.status() : "updated";
        events.emit("tooling_job." + verb, new JsonObject().put("id", id).put("status", update.status()));
      }
      return Replies.idAndStatus("id", id, update.status());
    }

    /** Every field the PATCH sends equals what was stored. */
    private static boolean isIdentical(ToolingJobRequests.Update update, ToolingJobStore.Outcome stored) {
      if (!update.status().equals(stored.previousStatus())) {
        return false;
      }
      if (update.output() != null && !update.output().equals(stored.previousOutput())) {
        return false;
      }
      if (update.metadata() != null) {
        JsonObject previous = stored.previousMetadata() == null ? new JsonObject() : stored.previousMetadata();
        for (String key : update.metadata().fieldNames()) {
          if (!previous.containsKey(key) || !Objects.equals(previous.getValue(key), update.metadata().getValue(key))) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
