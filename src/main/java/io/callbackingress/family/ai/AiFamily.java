package io.callbackingress.family.ai;

import io.callbackingress.family.ai.AiRequests.Analysis;
import io.callbackingress.family.ai.AiRequests.Response;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.RetainedTable;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SPEC 3.3: responses and analyses from AI services, stored as they come. */
public final class AiFamily implements EndpointFamily {

  private static final String INSERT_RESPONSE = """
      INSERT INTO chatgpt_responses (id, submission_uuid, model, content, request_id, usage)
      VALUES ($1, $2, $3, $4, $5, $6)""";
  private static final String INSERT_ANALYSIS = """
      INSERT INTO ai_analyses (id, submission_uuid, track_slug, exercise_slug, patterns, confidence, summary)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)""";

  static final WriteOperation<Response> STORE_RESPONSE = WriteOperation.of("chatgpt_response.create", Response.class,
      (sql, response, context) -> sql.preparedQuery(INSERT_RESPONSE)
          .execute(Tuple.from(new Object[] {UUID.fromString(response.id()), response.submissionUuid(), response.model(),
              response.content(), response.requestId(), response.usage() == null ? null : response.usage().encode()}))
          .map(v -> {
            context.emit("chatgpt_response.created", new JsonObject().put("id", response.id())
                .put("submission_uuid", response.submissionUuid()).put("model", response.model()));
            return created(response.id());
          }),
      response -> created(response.id()));

  static final WriteOperation<Analysis> STORE_ANALYSIS = WriteOperation.of("ai_analysis.create", Analysis.class,
      (sql, analysis, context) -> sql.preparedQuery(INSERT_ANALYSIS)
          .execute(Tuple.from(new Object[] {UUID.fromString(analysis.id()), analysis.submissionUuid(),
              // The array itself: a String bound to a jsonb parameter would be stored as one JSON string.
              analysis.trackSlug(), analysis.exerciseSlug(), analysis.patterns(), analysis.confidence(),
              analysis.summary()}))
          .map(v -> {
            context.emit("ai_analysis.created", new JsonObject().put("id", analysis.id())
                .put("submission_uuid", analysis.submissionUuid()).put("track_slug", analysis.trackSlug())
                .put("exercise_slug", analysis.exerciseSlug()));
            return created(analysis.id());
          }),
      analysis -> created(analysis.id()));

  @Override
  public String name() {
    return "ai";
  }

  @Override
  public List<String> migrations() {
    return List.of("classpath:db/ai");
  }

  @Override
  public List<RetainedTable> retainedTables() {
    return List.of(new RetainedTable("chatgpt_responses", "created_at", true),
        new RetainedTable("ai_analyses", "created_at", true));
  }

  @Override
  public List<WriteOperation<?>> operations() {
    return List.of(STORE_RESPONSE, STORE_ANALYSIS);
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/chatgpt_responses"),
            (body, violations) -> AiRequests.response(body, violations, maxOutputBytes),
            (call, response) -> context.writer().write(call, STORE_RESPONSE, response)),
        Endpoint.json(HttpMethod.POST, context.spiPath("/ai_analysis"),
            (body, violations) -> AiRequests.analysis(body, violations, maxOutputBytes),
            (call, analysis) -> context.writer().write(call, STORE_ANALYSIS, analysis)));
  }

  private static Reply created(String id) {
    return Reply.created(new JsonObject().put("id", id));
  }
}
