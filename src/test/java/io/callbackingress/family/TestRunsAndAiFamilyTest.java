package io.callbackingress.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.2 and 3.3 through real HTTP, checking what Postgres holds afterwards. */
class TestRunsAndAiFamilyTest {

  private static IngressServer server;
  private static Http http;
  private static Db db;

  @BeforeAll
  static void start() {
    server = IngressServer.start("testruns", new JsonObject(), Map.of());
    http = server.http();
    db = new Db(server.databaseUri);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject testRun(String submission) {
    return new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", submission).put("track_slug", "ruby").put("exercise_slug", "two-fer")
        .put("user_handle", "ann").put("status", "pass").put("duration_ms", 42)
        .put("tests", new JsonArray().add(new JsonObject().put("name", "t1").put("status", "pass")))
        .put("output", "token: abc123"));
  }

  @Test
  void aTestRunIsCreatedReadAndPatched() {
    String submission = UUID.randomUUID().toString();
    Response created = http.post("/spi/test_runs", testRun(submission));
    assertEquals(201, created.status());
    String id = created.json().getString("id");
    assertEquals(new JsonObject().put("id", id), created.json());

    JsonObject run = http.get("/spi/test_runs/" + id).json();
    assertEquals(submission, run.getString("submission_uuid"));
    assertEquals("token: ***", run.getString("output"));
    assertEquals(42L, run.getLong("duration_ms"));
    assertEquals("t1", run.getJsonArray("tests").getJsonObject(0).getString("name"));

    Response patched = http.patch("/spi/test_runs/" + id, new JsonObject().put("test_run", new JsonObject().put("status", "fail")));
    assertEquals(200, patched.status());
    assertEquals(new JsonObject().put("id", id).put("status", "fail"), patched.json());
    assertEquals("fail", db.scalar("SELECT status FROM test_runs WHERE id = '" + id + "'"));
    assertEquals(42L, db.scalar("SELECT duration_ms FROM test_runs WHERE id = '" + id + "'"));
    String updatedEvents = "SELECT count(*) FROM ingress_events WHERE type = 'test_run.updated' AND data LIKE '%" + id + "%'";
    assertEquals(1, db.count(updatedEvents));

    // SPEC 11a: a PATCH that changes nothing answers as usual and writes no event.
    Response identical = http.patch("/spi/test_runs/" + id, new JsonObject().put("test_run",
        new JsonObject().put("status", "fail").put("duration_ms", 42)));
    assertEquals(200, identical.status());
    assertEquals(new JsonObject().put("id", id).put("status", "fail"), identical.json());
    assertEquals(1, db.count(updatedEvents));
  }

  @Test
  void unknownOrMalformedRunIdsAre404() {
    assertEquals(404, http.get("/spi/test_runs/" + UUID.randomUUID()).status());
    assertEquals(404, http.get("/spi/test_runs/not-a-uuid").status());
    Response patched = http.patch("/spi/test_runs/" + UUID.randomUUID(), new JsonObject().put("test_run", new JsonObject().put("status", "fail")));
    assertEquals(404, patched.status());
    assertEquals(new JsonObject().put("error", "Not found"), patched.json());
  }

  @Test
  void everyInvalidFieldIsListedWithArrayIndexesAndNothingIsStored() {
    long before = db.count("SELECT count(*) FROM test_runs");
    Response response = http.post("/spi/test_runs", new JsonObject().put("test_run", new JsonObject()
        .put("track_slug", "Bad Slug").put("exercise_slug", "x".repeat(101)).put("status", "done").put("duration_ms", -5)
        .put("tests", new JsonArray().add(new JsonObject().put("name", "a").put("status", "pass"))
            .add(new JsonObject().put("name", "b").put("status", "skipped")))));
    assertEquals(422, response.status());
    assertEquals(java.util.Set.of("test_run.submission_uuid", "test_run.track_slug", "test_run.exercise_slug",
        "test_run.status", "test_run.duration_ms", "test_run.tests.1.status"), response.json().getJsonObject("errors").fieldNames());
    assertEquals(new JsonArray().add("must be 1 to 100 characters of a-z, 0-9 and -"),
        response.json().getJsonObject("errors").getJsonArray("test_run.track_slug"));
    assertEquals(new JsonArray().add("must be 1 to 100 characters"),
        response.json().getJsonObject("errors").getJsonArray("test_run.exercise_slug"));
    assertEquals(before, db.count("SELECT count(*) FROM test_runs"));
  }

  @Test
  void chatgptResponsesAreStoredSanitized() {
    Response created = http.post("/spi/chatgpt_responses", new JsonObject().put("chatgpt_response", new JsonObject()
        .put("submission_uuid", "s-1").put("model", "gpt-4o").put("content", "use secret=abc")
        .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5))));
    assertEquals(201, created.status());
    String id = created.json().getString("id");
    assertEquals("use secret=***", db.scalar("SELECT content FROM chatgpt_responses WHERE id = '" + id + "'"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type = 'chatgpt_response.created' AND data LIKE '%" + id + "%'"));
  }

  @Test
  void aiAnalysesValidateConfidenceAndPatterns() {
    Response bad = http.post("/spi/ai_analysis", new JsonObject().put("ai_analysis", new JsonObject()
        .put("submission_uuid", "s-1").put("track_slug", "ruby").put("exercise_slug", "two-fer")
        .put("patterns", new JsonArray().add("ok").add(3)).put("confidence", 1.5)));
    assertEquals(422, bad.status());
    assertEquals(java.util.Set.of("ai_analysis.patterns.1", "ai_analysis.confidence"), bad.json().getJsonObject("errors").fieldNames());

    Response created = http.post("/spi/ai_analysis", new JsonObject().put("ai_analysis", new JsonObject()
        .put("submission_uuid", "s-1").put("track_slug", "ruby").put("exercise_slug", "two-fer")
        .put("patterns", new JsonArray().add("guard-clause")).put("confidence", 0.9).put("summary", "fine")));
    assertEquals(201, created.status());
    assertTrue(db.scalar("SELECT patterns::text FROM ai_analyses WHERE id = '" + created.json().getString("id") + "'")
        .toString().contains("guard-clause"));
  }
}
