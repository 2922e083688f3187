package io.callbackingress.family.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RawHttp;
import io.callbackingress.support.TcpProxy;
import io.callbackingress.support.TestServices;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.7: live metrics, WebSocket subscriptions, and fan-out within and across replicas. */
class LiveFamilyTest {

  private static IngressServer server;
  private static Http http;
  private static WebSocketClient sockets;

  @BeforeAll
  static void start() {
    server = IngressServer.start("live", new JsonObject(), Map.of());
    http = server.http();
    sockets = server.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theUpgradeAnswerCarriesTheRequestIdAndTheRateLimitHeaders() throws java.io.IOException {
    String answer = RawHttp.exchange(server.port, "GET /spi/live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "X-Request-Id: upgrade-1\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 101"), answer);
    assertTrue(answer.contains("X-Request-Id: upgrade-1\r\n"), answer);
    assertTrue(answer.contains("RateLimit-Policy: \"live\";q="), "an upgrade takes a token of the live bucket: " + answer);
  }

  @Test
  void subscriptionsAreConfirmedAndMalformedMessagesAnswered() throws InterruptedException {
    Subscriber subscriber = Subscriber.connect(server.port);
    assertEquals(new JsonObject().put("subscribed", "metrics_1"), subscriber.send(new JsonObject().put("subscribe", "metrics_1")));
    assertEquals(new JsonObject().put("unsubscribed", "metrics_1"), subscriber.send(new JsonObject().put("unsubscribe", "metrics_1")));
    for (String bad : new String[] {"not json", "[]", "{}", "{\"subscribe\":42}", "{\"subscribe\":\"nowhere\"}",
        "{\"subscribe\":\"events\",\"unsubscribe\":\"events\"}"}) {
      subscriber.socket.writeTextMessage(bad);
      JsonObject answer = subscriber.next();
      assertTrue(answer.getString("error").length() > 0, bad + " → " + answer);
    }
    subscriber.close();
  }

  @Test
  void postedMetricsAreStoredAndReachTheTrackSubscribers() throws Exception {
    Subscriber subscriber = Subscriber.connect(server.port);
    subscriber.send(new JsonObject().put("subscribe", "metrics_42"));
    JsonObject metrics = new JsonObject().put("active_students", 17).put("submissions", new JsonArray().add(1));

    Response response = http.post("/spi/live_data/42/metrics", new JsonObject().put("metrics", metrics),
        Map.of("X-Request-Id", "live-42"));

    assertEquals(200, response.status());
    assertEquals(new JsonObject().put("status", "ok"), response.json());
    JsonObject message = subscriber.next();
    assertEquals("metrics_42", message.getString("channel"));
    assertEquals("live_metrics.updated", message.getString("type"));
    assertEquals(new JsonObject().put("track_id", "42").put("metrics", metrics), message.getJsonObject("data"));
    assertEquals(new JsonObject().put("correlationId", "live-42").put("source", "callback-ingress"),
        message.getJsonObject("metadata"));
    assertEquals(1, count("SELECT count(*) FROM ingress_events WHERE type = 'live_metrics.updated' AND id = '"
        + message.getString("id") + "'"));
    subscriber.close();
  }

  @Test
  void metricsMustBeAnObject() {
    for (JsonObject body : new JsonObject[] {new JsonObject(), new JsonObject().put("metrics", 3)}) {
      Response response = http.post("/spi/live_data/42/metrics", body);
      assertEquals(422, response.status(), body.encode());
      assertTrue(response.json().getJsonObject("errors").containsKey("metrics"), response.body());
    }
  }

  @Test
  void anUnsubscribedChannelIsNoLongerSent() throws InterruptedException {
    Subscriber subscriber = Subscriber.connect(server.port);
    subscriber.send(new JsonObject().put("subscribe", "metrics_7"));
    subscriber.send(new JsonObject().put("subscribe", "metrics_8"));
    subscriber.send(new JsonObject().put("unsubscribe", "metrics_7"));
    assertEquals(200, http.post("/spi/live_data/7/metrics", new JsonObject().put("metrics", new JsonObject())).status());
    assertEquals(200, http.post("/spi/live_data/8/metrics", new JsonObject().put("metrics", new JsonObject())).status());
    assertEquals("metrics_8", subscriber.next().getString("channel"));
    assertNull(subscriber.poll(300));
    subscriber.close();
  }

  @Test
  void aTestRunChannelReceivesItsUpdates() throws InterruptedException {
    Response created = http.post("/spi/test_runs", new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", UUID.randomUUID().toString()).put("track_slug", "ruby").put("exercise_slug", "bob")
        .put("status", "queued")));
    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    Subscriber subscriber = Subscriber.connect(server.port);
    subscriber.send(new JsonObject().put("subscribe", "test_run." + id));

    assertEquals(200, http.patch("/spi/test_runs/" + id,
        new JsonObject().put("test_run", new JsonObject().put("status", "pass"))).status());

    JsonObject message = subscriber.next();
    assertEquals("test_run." + id, message.getString("channel"));
    assertEquals("test_run.updated", message.getString("type"));
    assertEquals(id, message.getJsonObject("data").getString("id"));
    assertEquals("pass", message.getJsonObject("data").getString("status"));
    subscriber.close();
  }

  @Test
  void theEventsChannelReceivesEverything() throws InterruptedException {
    Subscriber subscriber = Subscriber.connect(server.port);
    subscriber.send(new JsonObject().put("subscribe", "events"));
    String job = "live-job-" + System.nanoTime();

    http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job", new JsonObject().put("id", job).put("kind", "analyzer")));
    http.post("/spi/live_data/9/metrics", new JsonObject().put("metrics", new JsonObject()));

    JsonObject first = subscriber.next();
    assertEquals("events", first.getString("channel"));
    assertEquals("tooling_job.created", first.getString("type"));
    assertEquals(job, first.getJsonObject("data").getString("id"));
    JsonObject second = subscriber.next();
    assertEquals("events", second.getString("channel"));
    assertEquals("live_metrics.updated", second.getString("type"), second.encode() + " first " + first.encode());
    subscriber.close();
  }

  @Test
  void aPlainGetOfTheLiveEndpointIsRefused() {
    Response response = http.get("/spi/live");
    assertEquals(400, response.status());
    assertEquals(new JsonObject().put("error", "Expected a WebSocket upgrade"), response.json());
  }

  @Test
  void anEventOnOneReplicaReachesSubscribersOfAnotherExactlyOnce() throws InterruptedException {
    try (IngressServer other = IngressServer.start(server.databaseUri, server.redisUri, new JsonObject(), Map.of())) {
      // Live delivery across replicas is best effort until a replica's LISTEN connection is up.
      await("both replicas LISTEN ingress_events")
          .atMost(Duration.ofSeconds(10))
          .until(() -> uncheckedCount(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%ingress_events%'") >= 2);
      Subscriber there = Subscriber.connect(other.port);
      Subscriber here = Subscriber.connect(server.port);
      String job = "replica-job-" + System.nanoTime();
      there.send(new JsonObject().put("subscribe", "tooling_job." + job));
      here.send(new JsonObject().put("subscribe", "tooling_job." + job));

      Response created = http.post("/spi/tooling_jobs",
          new JsonObject().put("tooling_job", new JsonObject().put("id", job).put("kind", "analyzer")));
      assertEquals(201, created.status());

      JsonObject remote = there.next();
      JsonObject local = here.next();
      assertEquals("tooling_job.created", remote.getString("type"));
      assertEquals("tooling_job." + job, remote.getString("channel"));
      assertEquals(local, remote);
      assertNull(here.poll(500), "the producing replica delivers its own event once");
      assertNull(there.poll(100));
      there.close();
      here.close();
    }
  }

  /**
   * A replica whose LISTEN connection is cut (postgres.listenUri through a proxy) says so once,
   * keeps trying while connections are refused, says once that it resumed, and then delivers
   * other replicas' events again.
   */
  @Test
  void theListenerResumesAfterItsConnectionIsCutAndSaysSoOnce() throws Exception {
    URI direct = URI.create(server.databaseUri);
    try (TcpProxy link = new TcpProxy(server.vertx, direct.getHost(), direct.getPort());
         IngressServer other = IngressServer.start(server.databaseUri, server.redisUri,
             new JsonObject().put("postgres", new JsonObject().put("listenUri", link.route(server.databaseUri))), Map.of())) {
      await("the other replica LISTENs")
          .atMost(Duration.ofSeconds(10))
          .until(() -> listening(other) == 1);
      CapturedLogs.clear();

      link.stop();
      await("the gauge says it stopped listening")
          .atMost(Duration.ofSeconds(10))
          .until(() -> listening(other) == 0);
      TimeUnit.MILLISECONDS.sleep(3 * ChannelListener.RETRY_MS);
      link.start();
      await("the gauge says it listens again")
          .atMost(Duration.ofSeconds(10))
          .until(() -> listening(other) == 1);

      assertEquals(1, listenerLines("not listening on ingress_events"), "one line when it was lost: " + CapturedLogs.lines());
      assertEquals(1, listenerLines("LISTEN ingress_events resumed after"), "one line when it resumed");
      Subscriber there = Subscriber.connect(other.port);
      String job = "resumed-job-" + System.nanoTime();
      there.send(new JsonObject().put("subscribe", "tooling_job." + job));
      Response created = http.post("/spi/tooling_jobs",
          new JsonObject().put("tooling_job", new JsonObject().put("id", job).put("kind", "analyzer")));
      assertEquals(201, created.status(), created.body());
      JsonObject event = there.next();
      assertEquals("tooling_job.created", event.getString("type"));
      assertEquals(job, event.getJsonObject("data").getString("id"));
      there.close();
    }
  }

  private static double listening(IngressServer replica) {
    return replica.registry.get("ingress.live.listening").gauge().value();
  }

  private static long listenerLines(String text) {
    return CapturedLogs.lines().stream()
        .filter(line -> line.startsWith(ChannelListener.class.getName()) && line.contains(text)).count();
  }

  private static long uncheckedCount(String query) {
    try {
      return count(query);
    } catch (SQLException e) {
      throw new IllegalStateException(query, e);
    }
  }

  private static long count(String query) throws SQLException {
    try (Connection connection = TestServices.jdbc(server.databaseUri);
         ResultSet rows = connection.createStatement().executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** A WebSocket client whose messages the test thread takes in order. */
  private static final class Subscriber {

    final WebSocket socket;
    final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();

    private Subscriber(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
    }

    static Subscriber connect(int port) {
      return new Subscriber(sockets.connect(port, "127.0.0.1", "/spi/live").await());
    }

    /** Sends a message and returns the answer to it. */
    JsonObject send(JsonObject message) throws InterruptedException {
      socket.writeTextMessage(message.encode()).await();
      return next();
    }

    JsonObject next() throws InterruptedException {
      JsonObject message = poll(10_000);
      assertNotNull(message, "no message within 10 s");
      return message;
    }

    JsonObject poll(long millis) throws InterruptedException {
      return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    void close() {
      socket.close().await();
    }
  }
}
