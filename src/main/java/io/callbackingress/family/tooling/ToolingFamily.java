package io.callbackingress.family.tooling;

import io.callbackingress.family.tooling.ToolingJobRequests.Registration;
import io.callbackingress.family.tooling.ToolingJobRequests.Update;
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
import java.util.Objects;

/** SPEC 3.1: jobs registered before dispatch, then patched by the worker's callback. */
public final class ToolingFamily implements EndpointFamily {

  static final WriteOperation<Registration> REGISTER = WriteOperation.of("tooling_job.register", Registration.class,
      (sql, job, context) -> ToolingJobStore.register(sql, job).map(created -> {
        if (!created) {
          return Replies.conflict("Job already exists");
        }
        context.emit("tooling_job.created", new JsonObject().put("id", job.id()).put("kind", job.kind()).put("status", "pending"));
        return registered(job.id());
      }),
      job -> registered(job.id()));

  static final WriteOperation<Update> UPDATE = WriteOperation.of("tooling_job.update", Update.class,
      (sql, update, context) -> ToolingJobStore.update(sql, update).map(outcome -> answer(update, outcome, context)));

  @Override
  public String name() {
    return "tooling";
  }

  @Override
  public List<String> migrations() {
    return List.of("classpath:db/tooling");
  }

  @Override
  public List<RetainedTable> retainedTables() {
    return List.of(new RetainedTable("tooling_jobs", "created_at", false));
  }

  @Override
  public List<LiveChannel> liveChannels() {
    return List.of(LiveChannel.of("tooling_job", "id"));
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(REGISTER, UPDATE);
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/tooling_jobs"), ToolingJobRequests::registration,
            (call, job) -> context.writer().write(call, REGISTER, job)),
        Endpoint.get(context.spiPath("/tooling_jobs/:id"), call -> find(context, call)),
        Endpoint.json(HttpMethod.PATCH, context.spiPath("/tooling_jobs/:id"),
            (call, body, violations) -> ToolingJobRequests.update(call.pathParam("id"), body, violations, maxOutputBytes),
            (call, update) -> context.writer().write(call, UPDATE, update)));
  }

  private static Future<Reply> find(FamilyContext context, Call call) {
    return ToolingJobStore.find(context.reads(), call.pathParam("id"))
        .map(job -> job == null ? Replies.notFound() : Reply.ok(job));
  }

  private static Reply registered(String id) {
    return Reply.created(new JsonObject().put("id", id).put("status", "pending"));
  }

  /** SPEC 3.1 and 11a: terminal jobs are final, identical repeats are fine, and only changes make events. */
  private static Reply answer(ToolingJobRequests.Update update, ToolingJobStore.Outcome outcome, WriteContext context) {
    if (outcome == null) {
      return Replies.notFound();
    }
    boolean identical = isIdentical(update, outcome);
    if (!outcome.applied()) {
      return identical
          ? Replies.idAndStatus("id", update.id(), outcome.previousStatus())
          : Replies.conflict("Job already " + outcome.previousStatus());
    }
    if (!identical) {
      String verb = ToolingJobRequests.TERMINAL.contains(update.status()) ? update.status() : "updated";
      context.emit("tooling_job." + verb, new JsonObject().put("id", update.id()).put("status", update.status()));
    }
    return Replies.idAndStatus("id", update.id(), update.status());
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
