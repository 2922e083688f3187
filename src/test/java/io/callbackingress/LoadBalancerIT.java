package io.callbackingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.HaProxy;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.JarReplica;
import io.callbackingress.support.LiveSubscription;
import io.callbackingress.support.RawHttp;
import io.callbackingress.support.RedisCommand;
import io.callbackingress.support.SteadyLoad;
import io.callbackingress.support.TestServices;
import io.callbackingress.support.W1Bodies;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
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
 * SPEC 13 with the real parts: three replicas of the shipped jar on one Postgres database and one
 * Redis, behind HAProxy speaking PROXY protocol v2 and checking {@code /health/ready}, configured
 * as the README's "Deploying behind a load balancer" says. Rate limits, idempotency and live
 * fan-out hold across the replicas, and a rolling restart under a steady stream of writes fails
 * no request. Skipped, saying why, where HAProxy is not installed.
 */
@EnabledIf(value = "io.callbackingress.support.HaProxy#installed",
    disabledReason = "haproxy is not installed (scripts/test-tools.sh installs the Debian package where it can)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerIT {

  private static final int REPLICAS = 3;
  /** Two health-check intervals and a margin: HAProxy (fall 2) takes a draining replica out before its listener stops. */
  private static final int READINESS_DELAY_SECONDS = 2;
  private static final int GRACE_SECONDS = 10;
  private static final int ANALYTICS_CAPACITY = 6;
  /** The caller of the rate limit test: a loopback address of its own, which HAProxy puts in the PROXY header. */
  private static final String CALLER = "127.0.0.23";
  /** Writes per second through the balancer during the rolling restart: steady, and gentle on two shared cores. */
  private static final int STEADY_RATE = 80;

  @TempDir
  static Path workDir;
  private String database;
  private String redis;
  private final List<JarReplica> replicas = new ArrayList<>();
  private HaProxy haProxy;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void startReplicasBehindHaProxy() throws IOException {
    database = TestServices.newDatabase("load_balancer");
    redis = TestServices.newRedis();
    List<Integer> ports = new ArrayList<>();
    for (int n = 1; n <= REPLICAS; n++) {
      int port = IngressServer.freePort();
      ports.add(port);
      Path dir = workDir.resolve("r" + n);
      replicas.add(JarReplica.start("r" + n, dir, port, config(port, dir)));
    }
    haProxy = HaProxy.start(workDir, ports);
    for (JarReplica replica : replicas) {
      replica.awaitReady();
      haProxy.awaitState(replica.name(), "UP");
    }
  }

  /** What each replica runs with: PROXY protocol from the balancer, the readiness delay, one database and Redis. */
  private String config(int port, Path dir) {
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("proxyProtocol", true))
        .put("postgres", new JsonObject().put("uri", database))
        .put("redis", new JsonObject().put("uri", redis))
        .put("rateLimit", new JsonObject().put("families", new JsonObject()
            .put("analytics", new JsonObject().put("capacity", ANALYTICS_CAPACITY).put("refillPerSecond", 0.001))))
        .put("shutdown", new JsonObject().put("graceSeconds", GRACE_SECONDS).put("readinessDelaySeconds", READINESS_DELAY_SECONDS))
        .put("spool", new JsonObject().put("dir", dir.resolve("spool").toString()))
        .encode();
  }

  @AfterAll
  void stop() {
    if (haProxy != null) {
      haProxy.close();
    }
    replicas.forEach(JarReplica::close);
  }

  @Test
  @Order(1)
  void aCallersRateLimitIsOneBucketAcrossTheReplicas() throws IOException {
    Set<String> servedBy = new HashSet<>();
    for (int request = 0; request < ANALYTICS_CAPACITY + 3; request++) {
      // A new connection each time, so round robin spreads the caller over the replicas; the
      // X-Forwarded-For is the caller's own invention and, from an untrusted peer, ignored.
      Answer answer = Answer.parse(fromCaller("GET /spi/analytics/track_metrics/cobol HTTP/1.1\r\nHost: ingress\r\n"
          + "X-Forwarded-For: 203.0.113." + (request + 1) + "\r\nConnection: close\r\n\r\n"));
      servedBy.add(answer.header(HaProxy.SERVED_BY));
      if (request < ANALYTICS_CAPACITY) {
        assertEquals(200, answer.status(), "request " + (request + 1));
        assertEquals("cobol", answer.json().getString("track_slug"));
        assertEquals(Integer.toString(ANALYTICS_CAPACITY - 1 - request), answer.header("RateLimit-Remaining"));
      } else {
        assertEquals(429, answer.status(), "request " + (request + 1));
        assertEquals(new JsonObject().put("error", "Rate limit exceeded"), answer.json());
      }
    }
    assertEquals(Set.of("r1", "r2", "r3"), servedBy, "the caller was spread over every replica");
    assertEquals(":1", RedisCommand.send(redis, "EXISTS", "rl:analytics:" + CALLER), "the caller's one bucket is in Redis");
    assertEquals(":0", RedisCommand.send(redis, "EXISTS", "rl:analytics:203.0.113.1"), "no bucket for a forged address");
  }

  @Test
  @Order(2)
  void anIdempotencyKeyRetriedOnAnotherReplicaIsReplayed() throws Exception {
    String submission = UUID.randomUUID().toString();
    String key = "lb-" + submission;
    HttpResponse<String> first = post("/spi/test_runs", testRun(submission), Map.of("Idempotency-Key", key, HaProxy.REPLICA, "r1"));
    HttpResponse<String> retried = post("/spi/test_runs", testRun(submission), Map.of("Idempotency-Key", key, HaProxy.REPLICA, "r2"));

    assertEquals(201, first.statusCode(), first.body());
    assertEquals("r1", first.headers().firstValue(HaProxy.SERVED_BY).orElseThrow());
    assertEquals(201, retried.statusCode(), retried.body());
    assertEquals("r2", retried.headers().firstValue(HaProxy.SERVED_BY).orElseThrow());
    assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElseThrow());
    assertEquals(new JsonObject(first.body()), new JsonObject(retried.body()));
    assertEquals(List.of(new JsonObject(first.body()).getString("id")),
        new Db(database).column("SELECT id FROM test_runs WHERE submission_uuid = '" + submission + "'"), "stored once");
  }

  @Test
  @Order(3)
  void aSubscriberOnOneReplicaGetsTheEventsWrittenThroughAnother() throws Exception {
    try (LiveSubscription live = LiveSubscription.open(client, haProxy.port(), "events", Map.of(HaProxy.REPLICA, "r1"))) {

      HttpResponse<String> created = post("/spi/test_runs", testRun(UUID.randomUUID().toString()), Map.of(HaProxy.REPLICA, "r3"));
      assertEquals(201, created.statusCode(), created.body());
      assertEquals("r3", created.headers().firstValue(HaProxy.SERVED_BY).orElseThrow());
      String id = new JsonObject(created.body()).getString("id");

      live.nextStoredEventAbout(id, "test_run.created", new Db(database));
    }
  }

  @Test
  @Order(4)
  void aRollingRestartUnderASteadyStreamOfWritesFailsNoRequest() throws Exception {
    SteadyLoad.Result result;
    try (SteadyLoad load = SteadyLoad.start(STEADY_RATE, this::postSteadyRun)) {
      for (JarReplica replica : replicas) {
        int exit = replica.terminate(Duration.ofSeconds(READINESS_DELAY_SECONDS + GRACE_SECONDS + 5));
        assertEquals(0, exit, replica.name() + " exit code after SIGTERM");
        replica.restart();
        replica.awaitReady();
        haProxy.awaitState(replica.name(), "UP");
      }
      // Some steady traffic on the whole restarted set, too.
      TimeUnit.SECONDS.sleep(1);
      result = load.stop();
    }
    List<String> stored = new Db(database).column("SELECT submission_uuid FROM test_runs WHERE submission_uuid LIKE 'rolling-%'");
    Map<String, Long> copies = stored.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    long storedOnce = result.succeeded().stream().filter(submission -> copies.getOrDefault(submission, 0L) == 1).count();
    System.out.printf("rolling restart of %d replicas: %d requests sent, %d 2xx, %d failed, %d stored%n",
        REPLICAS, result.sent(), result.succeeded().size(), result.failures().size(), stored.size());

    assertEquals(List.of(), result.failures().subList(0, Math.min(10, result.failures().size())), "failed requests (first 10)");
    assertEquals(result.sent(), result.succeeded().size());
    assertEquals(result.succeeded().size(), storedOnce, "every 2xx stored exactly once");
    assertEquals(result.succeeded().size(), stored.size(), "nothing stored that was not acknowledged");
    assertEquals(List.of(), haProxy.retriedRequests(), "no replica refused or dropped a request the balancer sent it");
    for (JarReplica replica : replicas) {
      // Connections the balancer closes (idle ones, health checks, a draining replica's) are routine.
      assertEquals(List.of(), replica.errors(), replica.name() + " logged no error");
    }
    assertTrue(result.sent() > STEADY_RATE * 10L, "a steady stream throughout: " + result.sent() + " requests");
  }

  /** One W1 write of the steady stream: its submission id on a 2xx, else what went wrong. */
  private SteadyLoad.Outcome postSteadyRun(long sequence) {
    String submission = "rolling-" + sequence;
    return SteadyLoad.Outcome.of(submission, () -> {
      HttpResponse<String> response = post("/spi/test_runs", testRun(submission), Map.of());
      return response.statusCode() / 100 == 2
          ? SteadyLoad.Outcome.success(submission)
          : SteadyLoad.Outcome.failure(submission + ": " + response.statusCode() + " " + response.body()
              + " from " + response.headers().firstValue(HaProxy.SERVED_BY).orElse("HAProxy itself"));
    });
  }

  private static JsonObject testRun(String submission) {
    return W1Bodies.testRun(submission, "lb");
  }

  private HttpResponse<String> post(String path, JsonObject body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haProxy.port() + path))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code request} to the balancer from {@link #CALLER} and returns the raw answer. */
  private String fromCaller(String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(CALLER, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", haProxy.port()), 2_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return RawHttp.readAnswer(socket);
    }
  }



  /** A raw HTTP/1.1 answer: status, headers, body. */
  private record Answer(int status, Map<String, String> headers, String body) {
    static Answer parse(String raw) {
      int end = raw.indexOf("\r\n\r\n");
      Map<String, String> headers = new HashMap<>();
      for (String line : raw.substring(0, end).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      return new Answer(RawHttp.status(raw), headers, raw.substring(end + 4));
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
