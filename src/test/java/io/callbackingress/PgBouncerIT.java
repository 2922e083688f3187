package io.callbackingress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.JarReplica;
import io.callbackingress.support.LiveSubscription;
import io.callbackingress.support.PgBouncer;
import io.callbackingress.support.SteadyLoad;
import io.callbackingress.support.TestServices;
import io.callbackingress.support.W1Bodies;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 7 behind a transaction pooler, with the real parts: two replicas of the shipped jar whose
 * {@code postgres.uri} is a real PgBouncer in {@code pool_mode = transaction} (the README's
 * "Behind PgBouncer / RDS Proxy" settings) and whose {@code postgres.listenUri} is Postgres
 * itself. Migrations at start-up, a W1 burst, the retention runs and live fan-out across the
 * replicas all work through it. Skipped, saying why, where PgBouncer is not installed.
 */
@EnabledIf(value = "io.callbackingress.support.PgBouncer#installed",
    disabledReason = "pgbouncer is not installed (scripts/test-tools.sh installs the Debian package where it can)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBouncerIT {

  /** Issue 19's W1 burst: 32 concurrent callers, spread over both replicas. */
  private static final int CALLERS = 32;
  private static final Duration BURST = Duration.ofSeconds(4);

  @TempDir
  static Path workDir;
  private String database;
  private PgBouncer pgBouncer;
  private final List<JarReplica> replicas = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void startTwoReplicasBehindPgBouncer() throws IOException {
    database = TestServices.newDatabase("pgbouncer");
    pgBouncer = PgBouncer.start(workDir.resolve("pgbouncer"), database);
    String redis = TestServices.newRedis();
    for (int n = 1; n <= 2; n++) {
      int port = IngressServer.freePort();
      Path dir = workDir.resolve("r" + n);
      ports.add(port);
      replicas.add(JarReplica.start("r" + n, dir, port, config(port, dir, redis)));
    }
    replicas.forEach(JarReplica::awaitReady);
  }

  /**
   * Writes through PgBouncer, LISTEN directly; retention every second on one-minute partitions, so
   * that runs make partitions (DDL under the lock) while the test is on.
   */
  private String config(int port, Path dir, String redis) {
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("postgres", new JsonObject()
            .put("uri", pgBouncer.route(database)).put("pooler", "transaction").put("listenUri", database))
        .put("redis", new JsonObject().put("uri", redis))
        .put("rateLimit", new JsonObject().put("enabled", false))
        .put("retention", new JsonObject().put("intervalSeconds", 1).put("partitionSeconds", 60)
            .put("familySeconds", new JsonObject().put("test_runs", 60)))
        .put("spool", new JsonObject().put("dir", dir.resolve("spool").toString()))
        .encode();
  }

  @AfterAll
  void stop() {
    replicas.forEach(JarReplica::close);
    if (pgBouncer != null) {
      pgBouncer.close();
    }
  }

  @Test
  @Order(1)
  void aSubscriberOnOneReplicaGetsAnEventWrittenThroughTheOther() throws Exception {
    for (int port : ports) {
      await("replica on " + port + " LISTENing")
          .atMost(Duration.ofSeconds(20))
          .until(() -> metric(port, "ingress_live_listening") == 1);
    }
    try (LiveSubscription live = LiveSubscription.open(client, ports.get(1), "events", Map.of())) {

      HttpResponse<String> created = post(ports.get(0), testRun("live-" + System.nanoTime()));
      assertEquals(201, created.statusCode(), created.body());
      String id = new JsonObject(created.body()).getString("id");

      live.nextStoredEventAbout(id, "test_run.created", new Db(database));
    }
  }

  @Test
  @Order(2)
  void aW1BurstIsStoredExactlyOnceWithNothingLeftInTheSpool() throws Exception {
    SteadyLoad.Result result;
    try (SteadyLoad load = SteadyLoad.start(100_000, CALLERS, this::postBurstRun)) {
      TimeUnit.MILLISECONDS.sleep(BURST.toMillis());
      result = load.stop();
    }
    List<String> stored = new Db(database).column("SELECT id || ' ' || submission_uuid FROM test_runs WHERE submission_uuid LIKE 'burst-%'");
    System.out.printf("W1 burst through PgBouncer (transaction mode), %d callers for %d s over 2 replicas:"
        + " %d sent, %d acknowledged, %d failed, %d stored%n",
        CALLERS, BURST.toSeconds(), result.sent(), result.succeeded().size(), result.failures().size(), stored.size());

    assertEquals(List.of(), result.failures().subList(0, Math.min(10, result.failures().size())), "failed requests (first 10)");
    assertTrue(result.sent() > CALLERS, "a burst: " + result.sent() + " requests");
    // Each acknowledgement is "<id> <submission>", the id from the 201's body: stored once, with that id.
    assertEquals(result.succeeded().size(), new HashSet<>(result.succeeded()).size());
    assertEquals(new HashSet<>(result.succeeded()), new HashSet<>(stored), "every acknowledged write stored, with its id");
    assertEquals(result.succeeded().size(), stored.size(), "each exactly once, and nothing that was not acknowledged");
    for (int n = 0; n < replicas.size(); n++) {
      int port = ports.get(n);
      JarReplica replica = replicas.get(n);
      assertEquals(0, metric(port, "ingress_spool_depth"), replica.name() + ": nothing waits in the spool");
      assertEquals(0, metric(port, "ingress_spool_dead_letters"), replica.name() + ": no dead letter");
      assertEquals(0, metric(port, "ingress_circuit_state{name=\"postgres\"}"), replica.name() + ": the Postgres circuit is closed");
      assertFalse(Files.exists(workDir.resolve(replica.name()).resolve("spool").resolve("dead-letters.jsonl")),
          replica.name() + ": no dead-letter file");
      assertEquals(List.of(), replica.errors(), replica.name() + " logged no error");
    }
  }

  @Test
  @Order(3)
  void retentionRunsThroughPgBouncerWithOneReplicaAtATime() {
    await("a retention run that made or checked partitions after the burst")
        .atMost(Duration.ofSeconds(10))
        .until(() -> retentionLines().stream().anyMatch(line -> line.contains("retention run: deleted")));
    List<String> lines = retentionLines();
    assertEquals(List.of(), lines.stream().filter(line -> line.contains("failed")).toList(), "retention runs that failed");
    assertTrue(Long.parseLong(new Db(database).column("SELECT count(*) FROM pg_inherits WHERE inhparent = 'test_runs'::regclass").get(0)) > 2,
        "partitions ahead of the clock were made: " + lines);
  }

  private List<String> retentionLines() {
    List<String> lines = new ArrayList<>();
    for (JarReplica replica : replicas) {
      replica.stdout().stream().filter(line -> line.contains("retention run")).forEach(lines::add);
    }
    return lines;
  }

  /** One write of the burst, to either replica by turns: its stored id and submission on a 201, else what went wrong. */
  private SteadyLoad.Outcome postBurstRun(long sequence) {
    String submission = "burst-" + sequence;
    return SteadyLoad.Outcome.of(submission, () -> {
      HttpResponse<String> response = post(ports.get((int) (sequence % 2)), testRun(submission));
      if (response.statusCode() != 201) {
        return SteadyLoad.Outcome.failure(submission + ": " + response.statusCode() + " " + response.body());
      }
      return SteadyLoad.Outcome.success(new JsonObject(response.body()).getString("id") + " " + submission);
    });
  }

  private static JsonObject testRun(String submission) {
    return W1Bodies.testRun(submission, "pgbouncer");
  }

  private HttpResponse<String> post(int port, JsonObject body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/spi/test_runs"))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A sample's value on the replica's /metrics, by its name and labels as Prometheus prints them. */
  private double metric(int port, String sample) {
    try {
      String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return text.lines().filter(line -> line.startsWith(sample + " "))
          .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + sample + " on :" + port));
    } catch (IOException e) {
      throw new AssertionError("metrics of :" + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }


}
