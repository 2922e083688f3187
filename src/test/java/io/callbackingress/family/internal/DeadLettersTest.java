package io.callbackingress.family.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spool.Spool;
import io.callbackingress.support.CuttableDatabase;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.ProbeFamily;
import io.callbackingress.support.SpoolReads;
import io.callbackingress.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 16: a spooled write that a writable Postgres refuses for its content is a dead letter an
 * operator can act on — kept in Postgres whichever replica set it aside, listed by family and
 * cursor, replayed once its cause is gone (exactly once), or discarded.
 */
class DeadLettersTest {

  private static final JsonObject CONFIG = new JsonObject()
      .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true)))
      .put("retry", new JsonObject().put("baseMs", 50).put("maxMs", 400))
      .put("rateLimit", new JsonObject().put("default", new JsonObject().put("capacity", 1_000_000).put("refillPerSecond", 1_000_000)));
  /** What the test adds while Postgres is away: a write acknowledged from the spool meets it on replay. */
  private static final String NO_POISON =
      "ALTER TABLE test_runs ADD CONSTRAINT no_poison CHECK (output IS DISTINCT FROM 'poison')";
  private static final String DEAD_LETTERS = "/internal/ingress/dead-letters";

  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable = open.pollLast(); closeable != null; closeable = open.pollLast()) {
      closeable.close();
    }
  }

  @Test
  void aSpooledWriteRefusedForItsContentIsSeenFromASecondReplicaAndReplayedOnceItsCauseIsGone() {
    CuttableDatabase database = cuttable();
    Http spooling = start(database.uri()).http();
    Http other = start(database.directUri()).http();
    String submission = "dead-" + UUID.randomUUID();
    database.cut();
    Response poison = spooling.post("/spi/test_runs", run(submission, "poison"), requestId("poison-request"));
    assertEquals(201, poison.status(), poison.body());
    String id = poison.json().getString("id");
    assertEquals(201, spooling.post("/spi/test_runs", run(submission, "fine")).status());
    TestServices.sql(database.directUri(), NO_POISON);
    database.restore();
    SpoolReads.awaitDrained(spooling);
    Db db = database.db();
    assertEquals(1, db.count(runs(submission)), "the write behind the dead letter is stored");

    JsonObject deadLetter = onlyItem(other.get(DEAD_LETTERS, SpoolReads.INTERNAL));
    assertEquals("test_runs", deadLetter.getString("family"));
    assertEquals("test_run.create", deadLetter.getString("operation"));
    assertEquals("poison-request", deadLetter.getString("request_id"));
    assertTrue(deadLetter.getString("reason").contains("no_poison"), deadLetter.encode());
    assertEquals(id, deadLetter.getJsonObject("write").getString("id"));
    assertEquals("poison", deadLetter.getJsonObject("write").getString("output"));
    assertTrue(!Instant.parse(deadLetter.getString("received_at")).isAfter(Instant.parse(deadLetter.getString("dead_lettered_at"))));
    await("the second replica counts it")
        .atMost(Duration.ofSeconds(15))
        .until(() -> other.get("/metrics").body().contains("ingress_dead_letters{family=\"test_runs\"} 1.0"));

    String replay = DEAD_LETTERS + "/" + deadLetter.getString("id") + "/replay";
    Response refused = other.send(HttpMethod.POST, replay, SpoolReads.INTERNAL, null);
    assertEquals(409, refused.status(), refused.body());
    assertTrue(refused.json().getString("error").contains("no_poison"), refused.body());
    assertEquals(deadLetter, onlyItem(other.get(DEAD_LETTERS, SpoolReads.INTERNAL)), "it stays as it was");
    assertEquals(1, db.count(runs(submission)));

    TestServices.sql(database.directUri(), "ALTER TABLE test_runs DROP CONSTRAINT no_poison");
    Response applied = other.send(HttpMethod.POST, replay, SpoolReads.INTERNAL, null);
    assertEquals(200, applied.status(), applied.body());
    assertEquals(new JsonObject().put("status", "applied"), applied.json());
    assertEquals(2, db.count(runs(submission)));
    assertEquals(1, db.count("SELECT count(*) FROM test_runs WHERE id = '" + id + "' AND output = 'poison'"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type = 'test_run.created' AND data LIKE '%" + id + "%'"));
    assertEquals(0, db.count("SELECT count(*) FROM ingress_dead_letters"));
    Response stored = spooling.get("/spi/test_runs/" + id);
    assertEquals(200, stored.status(), stored.body());
    assertEquals("poison", stored.json().getString("output"));
    assertEquals(new JsonArray(), other.get(DEAD_LETTERS, SpoolReads.INTERNAL).json().getJsonArray("items"));

    Response again = other.send(HttpMethod.POST, replay, SpoolReads.INTERNAL, null);
    assertEquals(404, again.status(), again.body());
    assertEquals(new JsonObject().put("error", "Not found"), again.json());
    assertEquals(2, db.count(runs(submission)), "applied once");
  }

  @Test
  void deadLettersAreListedInOrderByFamilyAndCursorAndDiscarded() {
    CuttableDatabase database = cuttable();
    Http http = start(database.uri()).http();
    database.cut();
    assertEquals(201, http.post("/spi/probes", refusedProbe(), requestId("probe-1")).status());
    assertEquals(201, http.post("/spi/test_runs", run("listed-" + UUID.randomUUID(), "poison"), requestId("run-1")).status());
    assertEquals(201, http.post("/spi/probes", refusedProbe(), requestId("probe-2")).status());
    TestServices.sql(database.directUri(), NO_POISON);
    database.restore();
    SpoolReads.awaitDrained(http);

    JsonObject all = page(http, "");
    assertEquals(List.of("probe-1", "run-1", "probe-2"), requestIds(all));
    assertEquals(List.of("probe-1", "probe-2"), requestIds(page(http, "?family=probe")));
    assertEquals(List.of("run-1"), requestIds(page(http, "?family=test_runs")));
    JsonObject none = page(http, "?family=tooling");
    assertEquals(List.of(), requestIds(none));
    assertEquals("0", none.getString("next"));
    assertEquals(List.of(), requestIds(page(http, "?family=probe%00")), "no family's name holds U+0000");

    JsonObject first = page(http, "?limit=1");
    assertEquals(List.of("probe-1"), requestIds(first));
    JsonObject second = page(http, "?limit=1&after=" + first.getString("next"));
    assertEquals(List.of("run-1"), requestIds(second));
    JsonObject third = page(http, "?limit=2&after=" + second.getString("next"));
    assertEquals(List.of("probe-2"), requestIds(third));
    JsonObject end = page(http, "?after=" + third.getString("next"));
    assertEquals(List.of(), requestIds(end));
    assertEquals(third.getString("next"), end.getString("next"));
    assertEquals(all.getString("next"), third.getString("next"));
    assertBadRequest(http, "?after=abc", "Invalid cursor");
    assertBadRequest(http, "?after=-1", "Invalid cursor");
    assertBadRequest(http, "?limit=0", "limit must be an integer from 1 to 1000");
    assertBadRequest(http, "?limit=1001", "limit must be an integer from 1 to 1000");
    assertBadRequest(http, "?family=", "Invalid family");
    Response unauthorized = http.get(DEAD_LETTERS);
    assertEquals(401, unauthorized.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), unauthorized.json());

    String refused = all.getJsonArray("items").getJsonObject(0).getString("id");
    Response stillRefused = http.send(HttpMethod.POST, DEAD_LETTERS + "/" + refused + "/replay", SpoolReads.INTERNAL, null);
    assertEquals(409, stillRefused.status(), stillRefused.body());
    assertEquals(new JsonObject().put("error", "ERROR: division by zero (22012)"), stillRefused.json());

    String discarded = all.getJsonArray("items").getJsonObject(2).getString("id");
    Response gone = http.send(HttpMethod.DELETE, DEAD_LETTERS + "/" + discarded, SpoolReads.INTERNAL, null);
    assertEquals(204, gone.status(), gone.body());
    assertEquals("", gone.body());
    assertEquals(null, gone.header("Content-Type"), "a 204 has no body to describe");
    assertEquals(null, gone.header("Content-Length"), "RFC 9110 8.6: never on a 204");
    assertEquals(List.of("probe-1", "run-1"), requestIds(page(http, "")));
    assertEquals(0, database.db().count("SELECT count(*) FROM ingress_dead_letters WHERE id = '" + discarded + "'"));
    for (String unknown : List.of(discarded, UUID.randomUUID().toString(), "not-an-id")) {
      Response notFound = http.send(HttpMethod.DELETE, DEAD_LETTERS + "/" + unknown, SpoolReads.INTERNAL, null);
      assertEquals(404, notFound.status(), unknown + ": " + notFound.body());
      assertEquals(new JsonObject().put("error", "Not found"), notFound.json());
      Response notReplayed = http.send(HttpMethod.POST, DEAD_LETTERS + "/" + unknown + "/replay", SpoolReads.INTERNAL, null);
      assertEquals(404, notReplayed.status(), unknown + ": " + notReplayed.body());
      assertEquals(new JsonObject().put("error", "Not found"), notReplayed.json());
    }
    assertEquals(2, database.db().count("SELECT count(*) FROM ingress_dead_letters"));
  }

  @Test
  void whilePostgresIsAwayTheRoutesAnswer503AndNothingChanges() {
    CuttableDatabase database = cuttable();
    Http http = start(database.uri()).http();
    database.cut();
    assertEquals(201, http.post("/spi/probes", refusedProbe()).status());
    database.restore();
    SpoolReads.awaitDrained(http);
    String id = page(http, "").getJsonArray("items").getJsonObject(0).getString("id");
    database.cut();
    for (Response unavailable : List.of(http.get(DEAD_LETTERS, SpoolReads.INTERNAL),
        http.send(HttpMethod.POST, DEAD_LETTERS + "/" + id + "/replay", SpoolReads.INTERNAL, null),
        http.send(HttpMethod.DELETE, DEAD_LETTERS + "/" + id, SpoolReads.INTERNAL, null))) {
      assertEquals(503, unavailable.status(), unavailable.body());
      assertEquals(new JsonObject().put("error", "Service unavailable"), unavailable.json());
    }
    assertEquals(1, database.db().count("SELECT count(*) FROM ingress_dead_letters WHERE id = '" + id + "'"));
  }

  @Test
  void aDeadLetterWhoseTextNoColumnCanHoldIsKeptByteForByteAndListedSafely() {
    byte[] unknownOperation = ("{\"op\":\"nosuch.op\",\"args\":{\"text\":\"a\\u0000b\",\"k\\ud800\":\"x\\udc00y\","
        + "\"note\":\"password=hunter2\"},\"requestId\":\"req-nul\",\"key\":{\"scope\":\"spool\",\"key\":\"k1\","
        + "\"fingerprint\":\"\"}}").getBytes(StandardCharsets.UTF_8);
    byte[] notJson = {'n', 'o', 't', ' ', 0, ' ', (byte) 0xC3, 'j', 's', 'o', 'n'};
    String spoolDir = spoolHolding(List.of(unknownOperation, notJson));
    String uri = TestServices.newDatabase("dead_letters");
    Http http = start(uri, spoolDir).http();
    SpoolReads.awaitDrained(http);

    JsonArray items = page(http, "").getJsonArray("items");
    assertEquals(2, items.size(), items.encode());
    JsonObject unknown = items.getJsonObject(0);
    assertEquals("no enabled family has the operation nosuch.op", unknown.getString("reason"));
    assertEquals("nosuch.op", unknown.getString("operation"));
    assertEquals("req-nul", unknown.getString("request_id"));
    assertEquals(null, unknown.getValue("family"));
    assertEquals(new JsonObject().put("text", "a\uFFFDb").put("k\uFFFD", "x\uFFFDy").put("note", "password=***"),
        unknown.getJsonObject("write"));
    JsonObject unreadable = items.getJsonObject(1);
    assertTrue(unreadable.getString("reason").startsWith("undecodable: "), unreadable.encode());
    assertEquals(null, unreadable.getValue("operation"));
    assertEquals(new JsonObject().put("unreadable", "not \uFFFD \uFFFDjson"), unreadable.getJsonObject("write"));

    Db db = new Db(uri);
    assertArrayEquals(unknownOperation, (byte[]) db.scalar("SELECT write FROM ingress_dead_letters WHERE request_id = 'req-nul'"));
    assertArrayEquals(notJson, (byte[]) db.scalar("SELECT write FROM ingress_dead_letters WHERE operation IS NULL"));
    Response replay = http.send(HttpMethod.POST, DEAD_LETTERS + "/" + unknown.getString("id") + "/replay", SpoolReads.INTERNAL, null);
    assertEquals(409, replay.status(), replay.body());
    assertEquals(new JsonObject().put("error", "no enabled family has the operation nosuch.op"), replay.json());
    assertEquals(2, db.count("SELECT count(*) FROM ingress_dead_letters"));
  }

  private IngressServer start(String databaseUri) {
    return start(databaseUri, tempDir());
  }

  private IngressServer start(String databaseUri, String spoolDir) {
    IngressServer server = IngressServer.start(databaseUri, TestServices.newRedis(),
        CONFIG.copy().put("spool", new JsonObject().put("dir", spoolDir)), Map.of());
    open.add(server);
    return server;
  }

  private CuttableDatabase cuttable() {
    CuttableDatabase database = new CuttableDatabase("dead_letters");
    open.add(database);
    return database;
  }

  /** A spool directory holding {@code payloads} as records, as a replica left it: what cannot come in over HTTP. */
  private static String spoolHolding(List<byte[]> payloads) {
    String dir = tempDir();
    Vertx vertx = Vertx.vertx();
    try {
      Spool spool = Spool.open(vertx, new IngressConfig.Spool(dir, 1L << 20)).await();
      payloads.forEach(payload -> spool.append(Buffer.buffer(payload)).await());
      spool.close().await();
    } finally {
      vertx.close().await();
    }
    return dir;
  }

  private static JsonObject page(Http http, String query) {
    Response response = http.get(DEAD_LETTERS + query, SpoolReads.INTERNAL);
    assertEquals(200, response.status(), response.body());
    return response.json();
  }

  private static JsonObject onlyItem(Response response) {
    assertEquals(200, response.status(), response.body());
    JsonArray items = response.json().getJsonArray("items");
    assertEquals(1, items.size(), items.encode());
    return items.getJsonObject(0);
  }

  private static List<String> requestIds(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("request_id")).toList();
  }

  private static void assertBadRequest(Http http, String query, String error) {
    Response response = http.get(DEAD_LETTERS + query, SpoolReads.INTERNAL);
    assertEquals(400, response.status(), query + ": " + response.body());
    assertEquals(new JsonObject().put("error", error), response.json());
  }

  private static Map<String, String> requestId(String id) {
    Map<String, String> headers = new HashMap<>(Http.json());
    headers.put("X-Request-Id", id);
    return headers;
  }

  private static JsonObject refusedProbe() {
    return new JsonObject().put("probe", new JsonObject().put("name", ProbeFamily.REFUSED));
  }

  private static JsonObject run(String submission, String output) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass").put("output", output));
  }

  private static String runs(String submission) {
    return "SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'";
  }

  private static String tempDir() {
    try {
      return Files.createTempDirectory("spool").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
