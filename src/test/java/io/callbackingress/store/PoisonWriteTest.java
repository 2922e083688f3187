package io.callbackingress.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.CuttableDatabase;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.ProbeFamily;
import io.callbackingress.support.SpoolReads;
import io.callbackingress.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7: a write that fails for a reason of its own fails alone — never its batch, never the
 * writes after it, never the spool — and a spooled write Postgres refuses is set aside as a dead
 * letter instead of being replayed forever, across a restart too.
 */
class PoisonWriteTest {

  private static final JsonObject CONFIG = new JsonObject()
      .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true)))
      .put("retry", new JsonObject().put("baseMs", 50).put("maxMs", 400))
      .put("rateLimit", new JsonObject().put("default", new JsonObject().put("capacity", 1_000_000).put("refillPerSecond", 1_000_000)));

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private Http http;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable = open.pollLast(); closeable != null; closeable = open.pollLast()) {
      closeable.close();
    }
  }

  private IngressServer start(String databaseUri, String spoolDir) {
    IngressServer started = IngressServer.start(databaseUri, TestServices.newRedis(),
        CONFIG.copy().put("spool", new JsonObject().put("dir", spoolDir)), Map.of());
    open.add(started);
    http = started.http();
    return started;
  }

  private static JsonObject run(String submission, String output) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass").put("output", output));
  }

  @Test
  void aNulInOneWriteOfABurstIsA422AndEveryOtherWriteIsStored() {
    String database = TestServices.newDatabase("poison");
    start(database, tempDir());
    Db db = new Db(database);
    String submission = "burst-" + UUID.randomUUID();
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      burst.add(post("/spi/test_runs", run(submission, "line " + i)));
      if (i == 40) {
        burst.add(post("/spi/test_runs", run(submission, "before\u0000after")));
      }
    }
    Future.join(burst).await();
    List<Response> answers = burst.stream().map(Future::result).toList();
    Response poison = answers.get(41);
    assertEquals(422, poison.status(), poison.body());
    assertEquals(new JsonObject().put("errors", new JsonObject().put("test_run.output",
        new JsonArray().add("must not contain U+0000"))), poison.json());
    List<Response> rest = new ArrayList<>(answers);
    rest.remove(41);
    rest.forEach(answer -> assertEquals(201, answer.status(), answer.body()));
    assertEquals(80, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    assertEquals(0, db.count("SELECT count(*) FROM test_runs WHERE output LIKE 'before%'"));

    Response later = http.post("/spi/test_runs", run(submission, "later"));
    assertEquals(201, later.status());
    assertEquals(200, http.get("/spi/test_runs/" + later.json().getString("id")).status(), "the write is in Postgres, not the spool");
    assertEquals(0, spool().getLong("depth"));
  }

  @Test
  void aNulOrAnUnpairedSurrogateInsideAJsonbFieldIsA422() {
    start(TestServices.newDatabase("poison"), tempDir());
    Response nul = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job", new JsonObject()
        .put("id", "job-" + UUID.randomUUID()).put("kind", "lint").put("metadata", new JsonObject().put("k", List.of("a\u0000")))));
    assertEquals(422, nul.status(), nul.body());
    assertEquals(new JsonObject().put("errors", new JsonObject().put("tooling_job.metadata",
        new JsonArray().add("must not contain U+0000"))), nul.json());
    Response surrogate = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job", new JsonObject()
        .put("id", "job-" + UUID.randomUUID()).put("kind", "lint").put("metadata", new JsonObject().put("k\uD800", 1))));
    assertEquals(422, surrogate.status(), surrogate.body());
    assertEquals(new JsonObject().put("errors", new JsonObject().put("tooling_job.metadata",
        new JsonArray().add("must not contain an unpaired UTF-16 surrogate"))), surrogate.json());
  }

  @Test
  void aWriteThatPostgresRefusesFailsAloneAndTheRestOfItsBatchCommits() {
    String database = TestServices.newDatabase("poison");
    start(database, tempDir());
    Db db = new Db(database);
    CapturedLogs.clear();
    String submission = "refused-" + UUID.randomUUID();
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      burst.add(post("/spi/test_runs", run(submission, "line " + i)));
      if (i == 30) {
        burst.add(post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.REFUSED))));
      }
    }
    Future.join(burst).await();
    List<Response> answers = burst.stream().map(Future::result).toList();
    Response refused = answers.get(31);
    assertEquals(500, refused.status(), refused.body());
    assertEquals(new JsonObject().put("error", "Internal server error"), refused.json());
    List<Response> rest = new ArrayList<>(answers);
    rest.remove(31);
    rest.forEach(answer -> assertEquals(201, answer.status(), answer.body()));
    assertEquals(60, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains("Postgres refused a batch of")),
        "the refused write shared a batch with others");

    Response later = http.post("/spi/test_runs", run(submission, "later"));
    assertEquals(201, later.status());
    assertEquals(200, http.get("/spi/test_runs/" + later.json().getString("id")).status(), "the circuit stayed closed");
    assertEquals(0, spool().getLong("depth"));
    assertEquals(200, http.get("/health/ready").status());
  }

  @Test
  void aWriteOperationThatThrowsFailsItsRequestAloneAndLeavesTheConnectionUsable() {
    String database = TestServices.newDatabase("poison");
    start(database, tempDir());
    String submission = "throws-" + UUID.randomUUID();
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      burst.add(post("/spi/test_runs", run(submission, "line " + i)));
    }
    burst.add(post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.THROWS))));
    Future.join(burst).await();
    Response thrown = burst.get(40).result();
    assertEquals(500, thrown.status(), thrown.body());
    assertEquals(new JsonObject().put("error", "Internal server error"), thrown.json());
    burst.subList(0, 40).forEach(answer -> assertEquals(201, answer.result().status(), answer.result().body()));
    assertEquals(40, new Db(database).count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    for (int i = 0; i < 5; i++) {
      Response later = http.post("/spi/test_runs", run(submission, "later"));
      assertEquals(201, later.status());
      assertEquals(200, http.get("/spi/test_runs/" + later.json().getString("id")).status(), "written to Postgres, not spooled");
    }
    assertEquals(0, spool().getLong("depth"));
  }

  @Test
  void anActionThatThrowsDoesNotHoldItsIdempotencyKey() {
    start(TestServices.newDatabase("poison"), tempDir());
    Map<String, String> key = Map.of("Content-Type", "application/json", "Idempotency-Key", "boom-" + UUID.randomUUID());
    JsonObject boom = new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.BOOM));
    for (int attempt = 0; attempt < 3; attempt++) {
      Response answer = http.post("/spi/probes", boom, key);
      assertEquals(500, answer.status(), "attempt " + attempt + ": " + answer.body());
      assertEquals(new JsonObject().put("error", "Internal server error"), answer.json());
    }
  }

  @Test
  void aSpooledWriteOfAFamilyDisabledAfterARestartIsKeptAsADeadLetter() {
    CuttableDatabase database = cuttable();
    String spoolDir = tempDir();
    IngressServer first = start(database.uri(), spoolDir);
    database.cut();
    assertEquals(201, http.post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", "kept"))).status());
    first.close();
    open.remove(first);

    database.restore();
    IngressServer second = IngressServer.start(database.uri(), TestServices.newRedis(),
        CONFIG.copy().put("families", new JsonObject().put("probe", new JsonObject().put("enabled", false)))
            .put("spool", new JsonObject().put("dir", spoolDir)), Map.of());
    open.add(second);
    http = second.http();
    JsonObject drained = SpoolReads.awaitDrained(http);
    assertEquals(null, drained.getValue("dead_letters"), "kept in Postgres, not in the spool: " + drained.encode());
    JsonArray items = http.get("/internal/ingress/dead-letters", SpoolReads.INTERNAL).json().getJsonArray("items");
    assertEquals(1, items.size(), items.encode());
    JsonObject deadLetter = items.getJsonObject(0);
    assertEquals("no enabled family has the operation probe.touch", deadLetter.getString("reason"));
    assertEquals("probe.touch", deadLetter.getString("operation"));
    assertEquals(null, deadLetter.getValue("family"), "no enabled family has it");
    assertEquals(new JsonObject().put("name", "kept"), deadLetter.getJsonObject("write"));
    assertEquals(1, database.db().count("SELECT count(*) FROM ingress_dead_letters"));
  }

  @Test
  void staleCallbacksInABatchThatIsRetriedWriteByWriteAreCountedOnce() {
    start(TestServices.newDatabase("poison"), tempDir());
    String node = "node-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/video_production/nodes", new JsonObject().put("node_uuid", node)
        .put("executor_type", "render").put("process_uuid", "p-current")).status());
    double before = staleCount();
    CapturedLogs.clear();
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      burst.add(post("/spi/video_production/executor_callback", new JsonObject().put("node_uuid", node)
          .put("executor_type", "render").put("process_uuid", "p-old-" + i).put("result", new JsonObject().put("url", "s3://x"))));
    }
    // Last, on both loops, so stale callbacks ahead of it in its batch have run when it fails.
    burst.add(post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.REFUSED))));
    burst.add(post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.REFUSED))));
    Future.join(burst).await();
    long stale = burst.stream().map(Future::result).filter(r -> r.status() == 200).count();
    assertEquals(30, stale, "every old process's callback is answered stale");
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains("Postgres refused a batch of")),
        "the refused write shared a batch with stale callbacks");
    assertEquals(30.0, staleCount() - before, "each stale callback counted once");
  }

  private double staleCount() {
    java.util.regex.Matcher counter = java.util.regex.Pattern.compile("(?m)^ingress_stale_callbacks_total ([0-9.]+)")
        .matcher(http.get("/metrics").body());
    return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
  }

  @Test
  void aSpooledWriteThatPostgresRefusesBecomesADeadLetterAndTheRestReplayAcrossARestart() throws Exception {
    CuttableDatabase database = cuttable();
    String spoolDir = tempDir();
    IngressServer first = start(database.uri(), spoolDir);
    String submission = "spooled-" + UUID.randomUUID();
    database.cut();
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      Response answer = i == 10
          ? http.post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.REFUSED)))
          : http.post("/spi/test_runs", run(submission, "line " + i));
      assertEquals(201, answer.status(), answer.body());
      if (i != 10) {
        acknowledged.add(answer.json().getString("id"));
      }
    }
    assertEquals(21, spool().getLong("depth"));
    first.close();
    open.remove(first);

    database.restore();
    start(database.uri(), spoolDir);
    JsonObject drained = SpoolReads.awaitDrained(http);
    assertEquals(null, drained.getValue("dead_letters"), "kept in Postgres, not in the spool: " + drained.encode());
    Db db = database.db();
    assertEquals(20, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    for (String id : acknowledged) {
      assertEquals(200, http.get("/spi/test_runs/" + id).status());
    }
    JsonArray items = http.get("/internal/ingress/dead-letters", SpoolReads.INTERNAL).json().getJsonArray("items");
    assertEquals(1, items.size(), items.encode());
    assertEquals("refused by Postgres: ERROR: division by zero (22012)", items.getJsonObject(0).getString("reason"));
    assertEquals("probe.touch", items.getJsonObject(0).getString("operation"));
    assertFalse(Files.exists(Path.of(spoolDir, "dead-letters.jsonl")), "nothing waits on this replica's disk");
    await("the dead letter is counted")
        .atMost(Duration.ofSeconds(15))
        .until(() -> http.get("/metrics").body().contains("ingress_dead_letters{family=\"probe\"} 1.0"));

    Response later = http.post("/spi/test_runs", run(submission, "later"));
    assertEquals(201, later.status());
    assertEquals(200, http.get("/spi/test_runs/" + later.json().getString("id")).status(), "writes reach Postgres again");
  }

  private CuttableDatabase cuttable() {
    CuttableDatabase database = new CuttableDatabase("poison");
    open.add(database);
    return database;
  }

  private Future<Response> post(String path, JsonObject body) {
    return http.request(HttpMethod.POST, path, Http.json(), body.toBuffer());
  }

  private JsonObject spool() {
    return SpoolReads.stats(http);
  }

  private static String tempDir() {
    try {
      return Files.createTempDirectory("spool").toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
