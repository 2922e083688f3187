package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 6 and 7: idempotency, group commit, bursts, and per-item outcomes inside a batch. */
class WritePathTest {

  private static IngressServer server;
  private static Http http;
  private static Db db;

  @BeforeAll
  static void start() {
    // Bursts from one client: limits that never refuse, so every answer is the write path's own.
    server = IngressServer.start("writepath", new JsonObject().put("rateLimit", new JsonObject()
        .put("default", new JsonObject().put("capacity", 1_000_000).put("refillPerSecond", 1_000_000))), Map.of());
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

  private static long runsOf(String submission) {
    return db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'");
  }

  @Test
  void aRepeatedKeyReplaysTheFirstAnswerAndWritesNothing() {
    String submission = UUID.randomUUID().toString();
    Map<String, String> key = Map.of("Idempotency-Key", "key-" + submission);
    Response first = http.post("/spi/test_runs", run(submission), key);
    Response again = http.post("/spi/test_runs", run(submission), key);
    assertEquals(201, first.status());
    assertNull(first.header("Idempotent-Replayed"));
    assertEquals(201, again.status());
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertEquals(first.json(), again.json());
    assertEquals(1, runsOf(submission));
  }

  @Test
  void theSameKeyWithAnotherBodyIsA422() {
    String submission = UUID.randomUUID().toString();
    Map<String, String> key = Map.of("Idempotency-Key", "key-" + submission);
    http.post("/spi/test_runs", run(submission), key);
    Response reused = http.post("/spi/test_runs", run(submission + "-other"), key);
    assertEquals(422, reused.status());
    assertEquals(new JsonObject().put("error", "Idempotency-Key reused with a different payload"), reused.json());
    assertEquals(0, runsOf(submission + "-other"));
  }

  @Test
  void anInvalidKeyIsA400() {
    String submission = UUID.randomUUID().toString();
    Response response = http.post("/spi/test_runs", run(submission), Map.of("Idempotency-Key", "x".repeat(256)));
    assertEquals(400, response.status());
    assertEquals(new JsonObject().put("error", "Invalid Idempotency-Key"), response.json());
    assertEquals(0, runsOf(submission));
  }

  @Test
  void twoConcurrentRequestsWithOneKeyWriteOnce() {
    String submission = UUID.randomUUID().toString();
    Map<String, String> headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "race-" + submission);
    Buffer body = run(submission).toBuffer();
    List<Future<Response>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(http.request(HttpMethod.POST, "/spi/test_runs", headers, body));
    }
    Future.all(racing).await();
    Set<String> ids = new HashSet<>();
    for (Future<Response> response : racing) {
      int status = response.result().status();
      assertTrue(status == 201 || status == 409, "status " + status);
      if (status == 201) {
        ids.add(response.result().json().getString("id"));
      } else {
        assertEquals("A request with this Idempotency-Key is in progress", response.result().json().getString("error"));
      }
    }
    assertEquals(1, ids.size(), "every 201 carries the one id");
    assertEquals(1, runsOf(submission));
  }

  @Test
  void aBurstOf2000With64InFlightIsStoredExactlyOnceInGroupedBatches() {
    String submission = "burst-" + UUID.randomUUID();
    int total = 2000;
    int inFlight = 64;
    Map<String, String> json = Http.json();
    List<String> ids = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    for (int sent = 0; sent < total; sent += inFlight) {
      List<Future<Response>> wave = new ArrayList<>();
      for (int i = sent; i < Math.min(total, sent + inFlight); i++) {
        wave.add(http.request(HttpMethod.POST, "/spi/test_runs", json, run(submission).toBuffer()));
      }
      Future.all(wave).await();
      wave.forEach(f -> {
        statuses.add(f.result().status());
        ids.add(f.result().json().getString("id"));
      });
    }
    assertEquals(total, statuses.stream().filter(s -> s == 201).count());
    assertEquals(total, new HashSet<>(ids).size());
    assertEquals(total, runsOf(submission));
    // created_at defaults to now(), the start of the row's transaction: one value per commit.
    long commits = db.count("SELECT count(DISTINCT created_at) FROM test_runs WHERE submission_uuid = '" + submission + "'");
    assertTrue(commits < total, "concurrent writes must share commits: " + total + " rows in " + commits + " commits");
  }

  @Test
  void aPatchToAnUnknownJobFailsAloneAmongValidOnes() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = "batch-" + UUID.randomUUID();
      jobs.add(id);
      http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job", new JsonObject().put("id", id).put("kind", "lint")));
    }
    String unknown = "missing-" + UUID.randomUUID();
    Map<String, Future<Response>> patches = new HashMap<>();
    Buffer running = new JsonObject().put("tooling_job", new JsonObject().put("status", "running")).toBuffer();
    for (String id : jobs) {
      patches.put(id, http.request(HttpMethod.PATCH, "/spi/tooling_jobs/" + id, Http.json(), running));
    }
    patches.put(unknown, http.request(HttpMethod.PATCH, "/spi/tooling_jobs/" + unknown, Http.json(), running));
    Future.all(new ArrayList<>(patches.values())).await();

    assertEquals(404, patches.get(unknown).result().status());
    for (String id : jobs) {
      assertEquals(200, patches.get(id).result().status());
    }
    assertEquals(20, db.count("SELECT count(*) FROM tooling_jobs WHERE status = 'running' AND id LIKE 'batch-%'"));
  }
}
