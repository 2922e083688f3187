package io.callbackingress.family.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.6: the views answer from what was posted through the API. */
class AnalyticsFamilyTest {

  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("analytics", new JsonObject(), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void solutionImageDataShowsTheLatestRunAndHowManyThereAre() {
    postRun("python", "two-fer", "alice", "fail", 100L);
    String latest = postRun("python", "two-fer", "alice", "pass", 300L);
    postRun("python", "two-fer", "bob", "pass", 50L);

    Response response = http.get("/spi/solution_image_data/python/two-fer/alice");

    assertEquals(200, response.status());
    JsonObject body = response.json();
    assertEquals("python", body.getString("track_slug"));
    assertEquals("two-fer", body.getString("exercise_slug"));
    assertEquals("alice", body.getString("user_handle"));
    assertEquals(2L, body.getLong("test_runs_count"));
    JsonObject run = body.getJsonObject("latest_test_run");
    assertEquals(latest, run.getString("id"));
    assertEquals("pass", run.getString("status"));
    assertEquals(300L, run.getLong("duration_ms"));
    assertEquals(http.get("/spi/test_runs/" + latest).json(), run);
  }

  @Test
  void solutionImageDataIsA404WithoutARun() {
    Response response = http.get("/spi/solution_image_data/python/two-fer/nobody");
    assertEquals(404, response.status());
    assertEquals(new JsonObject().put("error", "Not found"), response.json());
  }

  @Test
  void trackMetricsCountRunsByStatusAverageTheDurationsAndCountAnalyses() {
    postRun("rust", "clock", "carol", "pass", 100L);
    postRun("rust", "clock", "dave", "pass", 300L);
    postRun("rust", "anagram", "carol", "fail", null);
    postRun("go", "clock", "carol", "fail", 5000L);
    postAnalysis("rust", "clock", "uses-loop");
    postAnalysis("go", "clock", "uses-loop");

    Response response = http.get("/spi/analytics/track_metrics/rust");

    assertEquals(200, response.status());
    assertEquals(new JsonObject()
        .put("track_slug", "rust")
        .put("test_runs", new JsonObject()
            .put("total", 3)
            .put("by_status", new JsonObject().put("pass", 2).put("fail", 1))
            .put("avg_duration_ms", 200.0))
        .put("ai_analyses", 1), response.json());
  }

  @Test
  void trackMetricsOfAnUnknownTrackAreZerosWithANullAverage() {
    Response response = http.get("/spi/analytics/track_metrics/cobol");
    assertEquals(200, response.status());
    JsonObject runs = response.json().getJsonObject("test_runs");
    assertEquals(0L, runs.getLong("total"));
    assertEquals(new JsonObject(), runs.getJsonObject("by_status"));
    assertNull(runs.getValue("avg_duration_ms"));
    assertEquals(true, runs.containsKey("avg_duration_ms"));
    assertEquals(0L, response.json().getLong("ai_analyses"));
  }

  @Test
  void trackMetricsAverageIsNullWhenNoRunReportedADuration() {
    postRun("elixir", "bob", "erin", "error", null);
    JsonObject runs = http.get("/spi/analytics/track_metrics/elixir").json().getJsonObject("test_runs");
    assertEquals(1L, runs.getLong("total"));
    assertNull(runs.getValue("avg_duration_ms"));
  }

  @Test
  void exercisePatternsAreCountedMostFrequentFirst() {
    postAnalysis("java", "leap", "uses-if", "uses-modulo");
    postAnalysis("java", "leap", "uses-modulo");
    postAnalysis("kotlin", "leap", "uses-modulo", "uses-when");
    postAnalysis("java", "bob", "uses-if");

    Response response = http.get("/spi/analytics/exercise_patterns/leap");

    assertEquals(200, response.status());
    assertEquals(new JsonObject().put("exercise_slug", "leap").put("patterns", new JsonArray()
        .add(new JsonObject().put("pattern", "uses-modulo").put("count", 3))
        .add(new JsonObject().put("pattern", "uses-if").put("count", 1))
        .add(new JsonObject().put("pattern", "uses-when").put("count", 1))), response.json());
  }

  @Test
  void exercisePatternsOfAnUnknownExerciseAreEmpty() {
    Response response = http.get("/spi/analytics/exercise_patterns/no-such-exercise");
    assertEquals(200, response.status());
    assertEquals(new JsonObject().put("exercise_slug", "no-such-exercise").put("patterns", new JsonArray()),
        response.json());
  }

  private static String postRun(String track, String exercise, String user, String status, Long durationMs) {
    JsonObject run = new JsonObject().put("submission_uuid", java.util.UUID.randomUUID().toString())
        .put("track_slug", track).put("exercise_slug", exercise).put("user_handle", user).put("status", status);
    if (durationMs != null) {
      run.put("duration_ms", durationMs);
    }
    Response response = http.post("/spi/test_runs", new JsonObject().put("test_run", run));
    assertEquals(201, response.status(), response.body());
    return response.json().getString("id");
  }

  private static void postAnalysis(String track, String exercise, String... patterns) {
    Response response = http.post("/spi/ai_analysis", new JsonObject().put("ai_analysis", new JsonObject()
        .put("submission_uuid", java.util.UUID.randomUUID().toString())
        .put("track_slug", track).put("exercise_slug", exercise).put("patterns", new JsonArray(java.util.List.of(patterns)))));
    assertEquals(201, response.status(), response.body());
  }
}
