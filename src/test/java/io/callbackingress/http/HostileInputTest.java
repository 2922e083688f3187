package io.callbackingress.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 2.6 and 6 against inputs chosen to break things: each is a clear 4xx, and nothing is stored twice. */
class HostileInputTest {

  private static IngressServer server;
  private static Http http;
  private static Db db;

  @BeforeAll
  static void start() {
    server = IngressServer.start("hostile", new JsonObject(), Map.of());
    http = server.http();
    db = new Db(server.databaseUri);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject run(String submission) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass"));
  }

  @Test
  void aPathIdOverTwoHundredFiftyFiveBytesOrHoldingNulIsA404() {
    for (String id : new String[] {"j".repeat(256), "%C3%A9".repeat(128), "job%00x"}) {
      Response get = http.get("/spi/tooling_jobs/" + id);
      assertEquals(404, get.status(), id);
      assertEquals(new JsonObject().put("error", "Not found"), get.json());
      Response patch = http.patch("/spi/tooling_jobs/" + id, new JsonObject().put("tooling_job", new JsonObject().put("status", "running")));
      assertEquals(404, patch.status(), id);
    }
    assertEquals(404, http.get("/spi/video_production/nodes/" + "n".repeat(300)).status());
  }

  @Test
  void integersOutsideSixtyFourBitsAreA422NotWrapped() {
    for (String duration : new String[] {"-9223372036854775809", "9223372036854775808", "9223372036854775807.9", "1e19"}) {
      String submission = "range-" + UUID.randomUUID();
      String body = run(submission).encode().replace("\"status\":\"pass\"", "\"status\":\"pass\",\"duration_ms\":" + duration);
      Response response = http.send(HttpMethod.POST, "/spi/test_runs", Http.json(), io.vertx.core.buffer.Buffer.buffer(body));
      assertEquals(422, response.status(), duration + ": " + response.body());
      assertEquals(new JsonObject().put("errors", new JsonObject().put("test_run.duration_ms",
          new JsonArray().add("must be between -9223372036854775808 and 9223372036854775807"))), response.json(), duration);
      assertEquals(0, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    }
    String submission = "range-" + UUID.randomUUID();
    String body = run(submission).encode().replace("\"status\":\"pass\"", "\"status\":\"pass\",\"duration_ms\":9223372036854775807");
    assertEquals(201, http.send(HttpMethod.POST, "/spi/test_runs", Http.json(), io.vertx.core.buffer.Buffer.buffer(body)).status());
    assertEquals(Long.MAX_VALUE, db.scalar("SELECT duration_ms FROM test_runs WHERE submission_uuid = '" + submission + "'"));
  }

  @Test
  void anIdempotencyKeyIsScopedByRouteNotByHowThePathWasSpelled() {
    String submission = "scope-" + UUID.randomUUID();
    Map<String, String> key = Map.of("Content-Type", "application/json", "Idempotency-Key", "key-" + submission);
    Response first = http.post("/spi/test_runs", run(submission), key);
    assertEquals(201, first.status());
    int replayed = 0;
    for (String spelling : new String[] {"/spi/test_runs/", "//spi/test_runs", "/spi/./test_runs", "/spi/%74est_runs"}) {
      Response again = http.post(spelling, run(submission), key);
      if (again.status() != 404) {
        assertEquals(201, again.status(), spelling);
        assertEquals("true", again.header("Idempotent-Replayed"), spelling);
        assertEquals(first.json(), again.json(), spelling);
        replayed++;
      }
    }
    assertEquals(4, replayed, "every spelling reaches the route and replays");
    assertEquals(1, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
  }

  @Test
  void oneKeyOnTwoIdsOfOneRouteIsTwoWrites() {
    String a = "scope-a-" + UUID.randomUUID();
    String b = "scope-b-" + UUID.randomUUID();
    for (String job : new String[] {a, b}) {
      assertEquals(201, http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
          new JsonObject().put("id", job).put("kind", "lint"))).status());
    }
    Map<String, String> key = Map.of("Content-Type", "application/json", "Idempotency-Key", "patch-" + a);
    JsonObject update = new JsonObject().put("tooling_job", new JsonObject().put("status", "running"));
    assertEquals(200, http.patch("/spi/tooling_jobs/" + a, update, key).status());
    Response other = http.patch("/spi/tooling_jobs/" + b, update, key);
    assertEquals(200, other.status());
    assertEquals(null, other.header("Idempotent-Replayed"));
    assertEquals("running", db.scalar("SELECT status FROM tooling_jobs WHERE id = '" + b + "'"));
  }
}
