package io.callbackingress.family.ai;

import io.callbackingress.http.Call;
import io.callbackingress.http.Endpoint;
import io.callbackingress.http.Reply;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.vertx.core.Future;
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
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  @Override
  public String name() {
    return "ai";
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    int maxOutputBytes = context.config().limits().maxOutputBytes();
    return List.of(
        Endpoint.json(HttpMethod.POST, context.spiPath("/chatgpt_responses"),
            (body, violations) -> AiRequests.response(body, violations, maxOutputBytes),
            (call, response) -> storeResponse(context, call, response)),
        Endpoint.json(HttpMethod.POST, context.spiPath("/ai_analysis"),
            (body, violations) -> AiRequests.analysis(body, violations, maxOutputBytes),
            (call, analysis) -> storeAnalysis(context, call, analysis)));
  }

  private static Future<Reply> storeResponse(FamilyContext context, Call call, AiRequests.Response response) {
    UUID id = UUID.randomUUID();
    Tuple row = Tuple.from(new Object[] {id, response.submissionUuid(), response.model(), response.content(),
        response.requestId(), response.usage() == null ? null : response.usage().encode()});
    return insert(context, call, INSERT_RESPONSE, row, "chatgpt_response.created", id,
        new JsonObject().put("submission_uuid", response.submissionUuid()).put("model", response.model()));
  }

  private static Future<Reply> storeAnalysis(FamilyContext context, Call call, AiRequests.Analysis analysis) {
    UUID id = UUID.randomUUID();
    Tuple row = Tuple.from(new Object[] {id, analysis.submissionUuid(), analysis.trackSlug(), analysis.exerciseSlug(),
        analysis.patterns(), analysis.confidence(), analysis.summary()});
    return insert(context, call, INSERT_ANALYSIS, row, "ai_analysis.created", id,
        new JsonObject().put("submission_uuid", analysis.submissionUuid()).put("track_slug", analysis.trackSlug())
            .put("exercise_slug", analysis.exerciseSlug()));
  }

  private static Future<Reply> insert(FamilyContext context, Call call, String sql, Tuple row, String eventType,
                                      UUID id, JsonObject eventData) {
    return context.writer().write(call, (connection, events) -> connection.preparedQuery(sql).execute(row).map(v -> {
      events.emit(eventType, eventData.put("id", id.toString()));
      return Reply.created(new JsonObject().put("id", id.toString()));
    }));
  }
}
