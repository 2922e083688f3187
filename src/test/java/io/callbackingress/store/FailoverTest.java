package io.callbackingress.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TcpProxy;
import io.callbackingress.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7's failover paragraph at the level of what Postgres answers: a server that turned
 * read-only (25006, as a standby still in recovery answers), a commit whose answer was lost, and
 * a {@code postgres.uri} with several hosts. Acknowledged writes are stored exactly once and none
 * becomes a dead letter. The whole primary-and-standby failover of the packaged jar is
 * PostgresFailoverIT.
 */
class FailoverTest {

  private static final JsonObject FAST_RECOVERY = new JsonObject()
      .put("retry", new JsonObject().put("baseMs", 50).put("maxMs", 400));
  /** Retention commits on connections of its own: off, so the only COMMIT the proxy sees is a batch's. */
  private static final JsonObject FAST_RECOVERY_WRITES_ONLY = FAST_RECOVERY.copy()
      .put("retention", new JsonObject().put("enabled", false));
  private static final Pattern DEAD_LETTERS = Pattern.compile("ingress_spool_dead_letters ([0-9.]+)");
  private static final Pattern DEPTH = Pattern.compile("ingress_spool_depth ([0-9.]+)");

  private final List<AutoCloseable> opened = new ArrayList<>();
  private String database;
  private IngressServer server;
  private Http http;
  private Db db;

  @AfterEach
  void stop() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private void start(String postgresUri) {
    start(postgresUri, FAST_RECOVERY);
  }

  private void start(String postgresUri, JsonObject config) {
    server = IngressServer.start(postgresUri, TestServices.newRedis(), config, Map.of());
    opened.add(server);
    http = server.http();
    db = new Db(database);
  }

  private TcpProxy proxyToDatabase() {
    database = TestServices.newDatabase("failover");
    URI target = URI.create(database);
    Vertx proxyVertx = Vertx.vertx();
    opened.add(() -> proxyVertx.close().await());
    TcpProxy proxy = new TcpProxy(proxyVertx, target.getHost(), target.getPort());
    opened.add(proxy);
    return proxy;
  }

  @Test
  void writesMetByAReadOnlyServerWaitInTheSpoolAndAreAppliedOnceItTakesWritesAgain() {
    database = TestServices.newDatabase("failover");
    start(database);
    String submission = "read-only-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/test_runs", run(submission)).status());

    readOnly(true);
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Response response = http.post("/spi/test_runs", run(submission));
      assertEquals(201, response.status(), response.body());
      acknowledged.add(response.json().getString("id"));
    }
    await("readiness reports Postgres DOWN")
        .atMost(Duration.ofSeconds(10))
        .until(() -> postgresCheck().equals("DOWN"));
    // Replay keeps meeting "cannot execute INSERT in a read-only transaction": the writes wait, none is set aside.
    long rollbacks = rollbacks();
    await("replays tried and rolled back by the read-only server")
        .atMost(Duration.ofSeconds(10))
        .until(() -> rollbacks() >= rollbacks + 2);
    assertEquals(20, metric(DEPTH));
    assertEquals(0, metric(DEAD_LETTERS));

    readOnly(false);
    await("the spool drains")
        .atMost(Duration.ofSeconds(30))
        .until(() -> metric(DEPTH) == 0);
    assertEquals(0, metric(DEAD_LETTERS));
    assertEquals(21, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    for (String id : acknowledged) {
      assertEquals(1, db.count("SELECT count(*) FROM test_runs WHERE id = '" + id + "'"), id);
    }
    await("readiness reports Postgres UP")
        .atMost(Duration.ofSeconds(10))
        .until(() -> postgresCheck().equals("UP"));
  }

  @Test
  void aCommitWhoseAnswerWasLostIsRecognisedOnReplayAndNotAppliedTwice() {
    TcpProxy proxy = proxyToDatabase();
    start(proxy.route(database), FAST_RECOVERY_WRITES_ONLY);
    String submission = "lost-commit-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/test_runs", run(submission)).status());
    CapturedLogs.clear();

    proxy.cutWhenServerAnswers("COMMIT");
    Response response = http.post("/spi/test_runs", run(submission));

    assertEquals(201, response.status(), response.body());
    String id = response.json().getString("id");
    await("the spool drains")
        .atMost(Duration.ofSeconds(30))
        .until(() -> metric(DEPTH) == 0);
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains("had committed before their connection was lost")),
        "the replay found the batch committed: " + CapturedLogs.lines());
    assertEquals(1, db.count("SELECT count(*) FROM test_runs WHERE id = '" + id + "'"));
    assertEquals(2, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type = 'test_run.created' AND data LIKE '%" + id + "%'"),
        "its event is stored once too");
    assertEquals(0, metric(DEAD_LETTERS));
  }

  @Test
  void severalHostsAreTriedInOrderAndOnlyAWritableOneIsWrittenTo() {
    TcpProxy unreachable = proxyToDatabase();
    unreachable.stop();
    URI target = URI.create(database);
    String hostAndPort = target.getHost() + ":" + target.getPort();
    start(database.replace("@" + hostAndPort, "@127.0.0.1:" + unreachable.port() + "," + hostAndPort));
    String submission = "hosts-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/test_runs", run(submission)).status());
    assertEquals("UP", postgresCheck());

    // Every host read-only, as while a standby waits for its promotion: nothing writable, readiness says so.
    readOnly(true);
    await("readiness reports Postgres DOWN")
        .atMost(Duration.ofSeconds(10))
        .until(() -> postgresCheck().equals("DOWN"));
    Response queued = http.post("/spi/test_runs", run(submission));
    assertEquals(201, queued.status(), queued.body());
    assertEquals(0, metric(DEAD_LETTERS));

    readOnly(false);
    await("the spool drains")
        .atMost(Duration.ofSeconds(30))
        .until(() -> metric(DEPTH) == 0);
    assertEquals(1, db.count("SELECT count(*) FROM test_runs WHERE id = '" + queued.json().getString("id") + "'"));
    assertEquals(2, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    await("readiness reports Postgres UP")
        .atMost(Duration.ofSeconds(10))
        .until(() -> postgresCheck().equals("UP"));
  }

  /** New sessions of the test's database start read-only (or not), and the open ones are ended, as a failover would. */
  private void readOnly(boolean on) {
    String name = database.substring(database.lastIndexOf('/') + 1);
    String admin = database.substring(0, database.lastIndexOf('/') + 1) + "postgres";
    TestServices.sql(admin, "ALTER DATABASE " + name + " SET default_transaction_read_only = " + on);
    TestServices.sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
        + "'");
  }

  private long rollbacks() {
    return db.count("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()");
  }

  private String postgresCheck() {
    JsonArray checks = new JsonObject(http.get("/health/ready").body()).getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (checks.getJsonObject(i).getString("id").equals("postgres")) {
        return checks.getJsonObject(i).getString("status");
      }
    }
    throw new AssertionError("no postgres check in " + checks);
  }

  private double metric(Pattern pattern) {
    Matcher matcher = pattern.matcher(http.get("/metrics").body());
    assertTrue(matcher.find(), pattern.pattern());
    return Double.parseDouble(matcher.group(1));
  }

  private static JsonObject run(String submission) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass"));
  }
}
