package io.callbackingress.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TcpProxy;
import io.callbackingress.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7 with the real connection cut: a TCP proxy between the ingress and Postgres that the test
 * stops and starts. Nothing acknowledged may be lost or stored twice.
 */
class OutageTest {

  private static final JsonObject FAST_RECOVERY = new JsonObject()
      .put("retry", new JsonObject().put("baseMs", 50).put("maxMs", 400));

  private Vertx proxyVertx;
  /** The test's own database, reached directly rather than through the proxy. */
  private String database;
  private TcpProxy proxy;
  private IngressServer server;
  private Http http;
  private Db db;

  private void start(JsonObject config) {
    database = TestServices.newDatabase("outage");
    URI target = URI.create(database);
    proxyVertx = Vertx.vertx();
    proxy = new TcpProxy(proxyVertx, target.getHost(), target.getPort());
    server = IngressServer.start(proxy.route(database), TestServices.newRedis(), config, Map.of());
    http = server.http();
    db = new Db(database);
  }

  @AfterEach
  void stop() {
    server.close();
    proxy.close();
    proxyVertx.close().await();
  }

  private static JsonObject run(String submission) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass"));
  }

  @Test
  void aPostgresCutMidBurstLosesNothingAcknowledgedAndStoresNothingTwice() throws InterruptedException {
    start(FAST_RECOVERY);
    String submission = "outage-" + UUID.randomUUID();
    int total = 1000;
    int inFlight = 32;
    List<String> acknowledged = new ArrayList<>();
    for (int sent = 0; sent < total; sent += inFlight) {
      if (sent == 320) {
        proxy.stop();
      }
      if (sent == 704) {
        proxy.start();
      }
      List<Future<Response>> wave = new ArrayList<>();
      for (int i = sent; i < Math.min(total, sent + inFlight); i++) {
        wave.add(http.request(HttpMethod.POST, "/spi/test_runs", Http.json(), run(submission).toBuffer()));
      }
      Future.join(wave).await();
      for (Future<Response> response : wave) {
        assertEquals(201, response.result().status(), response.result().body());
        acknowledged.add(response.result().json().getString("id"));
      }
    }
    awaitEmptySpool();
    assertEquals(total, new HashSet<>(acknowledged).size());
    assertEquals(total, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    assertEquals(total, db.count("SELECT count(DISTINCT id) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    Set<String> stored = new HashSet<>();
    try (var c = TestServices.jdbc(database);
         var s = c.createStatement();
         var rs = s.executeQuery("SELECT id FROM test_runs WHERE submission_uuid = '" + submission + "'")) {
      while (rs.next()) {
        stored.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    assertEquals(new HashSet<>(acknowledged), stored);
  }

  @Test
  void aStateDependentWriteIsQueuedDuringTheOutageAndAppliedAfter() throws InterruptedException {
    start(FAST_RECOVERY);
    String job = "queued-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
        new JsonObject().put("id", job).put("kind", "lint"))).status());
    proxy.stop();
    Response queued = http.patch("/spi/tooling_jobs/" + job, new JsonObject().put("tooling_job",
        new JsonObject().put("status", "completed").put("output", "done")));
    assertEquals(202, queued.status());
    assertEquals(new JsonObject().put("status", "queued"), queued.json());
    Response unknown = http.patch("/spi/tooling_jobs/missing-" + job, new JsonObject().put("tooling_job",
        new JsonObject().put("status", "running")));
    assertEquals(202, unknown.status());
    proxy.start();
    awaitEmptySpool();
    assertEquals("completed", db.scalar("SELECT status FROM tooling_jobs WHERE id = '" + job + "'"));
    assertEquals(1, db.count("SELECT count(*) FROM ingress_events WHERE type = 'callback.stale' AND data LIKE '%missing-" + job + "%'"),
        "the queued PATCH of an unknown job becomes an event");
  }

  @Test
  void aFullSpoolAnswers503WithRetryAfter() {
    start(FAST_RECOVERY.copy().put("spool", new JsonObject().put("dir", tempDir()).put("maxBytes", 4096)));
    proxy.stop();
    List<Integer> statuses = new ArrayList<>();
    Response refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      Response response = http.post("/spi/test_runs", run("full-" + i));
      statuses.add(response.status());
      if (response.status() == 503) {
        refused = response;
      }
    }
    assertTrue(statuses.contains(201), statuses.toString());
    assertTrue(refused != null, "the spool never filled: " + statuses);
    assertEquals(new JsonObject().put("error", "Overloaded"), refused.json());
    assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
    proxy.start();
  }

  @Test
  void pastMaxInFlightWritesTheIngressSheds503AndRecovers() throws InterruptedException {
    start(new JsonObject().put("limits", new JsonObject().put("maxInFlightWrites", 2)));
    List<Future<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      burst.add(http.request(HttpMethod.POST, "/spi/test_runs", Http.json(), run("shed").toBuffer()));
    }
    Future.join(burst).await();
    long shed = burst.stream().filter(f -> f.result().status() == 503).count();
    long stored = burst.stream().filter(f -> f.result().status() == 201).count();
    assertTrue(shed > 0, "nothing was shed");
    assertEquals(64, shed + stored);
    Response overloaded = burst.stream().map(Future::result).filter(r -> r.status() == 503).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("error", "Overloaded"), overloaded.json());
    assertEquals("1", overloaded.header("Retry-After"));
    // A 201 is durable in Postgres or in the spool: a write connection still opening sends the first batch to the spool.
    awaitEmptySpool();
    assertEquals(stored, db.count("SELECT count(*) FROM test_runs WHERE submission_uuid = 'shed'"));
    assertEquals(201, http.post("/spi/test_runs", run("after-shed")).status());
  }

  private void awaitEmptySpool() {
    Pattern depth = Pattern.compile("ingress_spool_depth ([0-9.]+)");
    await("the spool drains")
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          Matcher matcher = depth.matcher(http.get("/metrics").body());
          return matcher.find() && Double.parseDouble(matcher.group(1)) == 0;
        });
  }

  private static String tempDir() {
    try {
      return java.nio.file.Files.createTempDirectory("spool").toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
