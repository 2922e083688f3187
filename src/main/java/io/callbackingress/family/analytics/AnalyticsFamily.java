package io.callbackingress.family.analytics;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.callbackingress.spi.toolkit.Replies;
import io.callbackingress.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** SPEC 3.6: read-only views over what arrived, answered from the read pool so they never wait behind writes. */
public final class AnalyticsFamily implements EndpointFamily {

  @Override
  public String name() {
    return "analytics";
  }

  @Override
  public List<Endpoint> endpoints(FamilyContext context) {
    return List.of(
        Endpoint.get(context.spiPath("/solution_image_data/:track_slug/:exercise_slug/:user_handle"),
            call -> solution(context, call)),
        Endpoint.get(context.spiPath("/analytics/track_metrics/:track_slug"), call -> trackMetrics(context, call)),
        Endpoint.get(context.spiPath("/analytics/exercise_patterns/:exercise_slug"),
            call -> exercisePatterns(context, call)));
  }

  private static Future<Reply> solution(FamilyContext context, Call call) {
    return AnalyticsStore.latestRun(context.reads(), call.pathParam("track_slug"), call.pathParam("exercise_slug"),
            call.pathParam("user_handle"))
        .map(solution -> solution == null ? Replies.notFound() : Reply.ok(solution));
  }

  private static Future<Reply> trackMetrics(FamilyContext context, Call call) {
    String track = call.pathParam("track_slug");
    Future<JsonObject> runs = AnalyticsStore.runsOfTrack(context.reads(), track);
    Future<Long> analyses = AnalyticsStore.analysesOfTrack(context.reads(), track);
    return Future.all(runs, analyses).map(both -> Reply.ok(new JsonObject()
        .put("track_slug", track)
        .put("test_runs", runs.result())
        .put("ai_analyses", analyses.result())));
  }

  private static Future<Reply> exercisePatterns(FamilyContext context, Call call) {
    String exercise = call.pathParam("exercise_slug");
    return AnalyticsStore.patternsOfExercise(context.reads(), exercise)
        .map(patterns -> Reply.ok(new JsonObject().put("exercise_slug", exercise).put("patterns", patterns)));
  }
}
