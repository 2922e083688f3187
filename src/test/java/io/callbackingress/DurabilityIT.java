package io.callbackingress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.OpenApiContract;
import io.callbackingress.support.TcpProxy;
import io.callbackingress.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 7 against the shipped jar: a 2xx means durable, whatever happens to the process next —
 * SIGTERM in the middle of a burst, or kill -9 while Postgres is away and writes live in the spool.
 */
class DurabilityIT {

  private static final String TOKEN = "durability-token-" + "x".repeat(32);
  private static final int GRACE_SECONDS = 10;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

  @TempDir
  Path workDir;

  private Vertx proxyVertx;
  private TcpProxy proxy;
  private String database;
  private int port;

  @BeforeEach
  void prepare() throws IOException {
    database = TestServices.newDatabase("durability");
    URI target = URI.create(database);
    proxyVertx = Vertx.vertx();
    proxy = new TcpProxy(proxyVertx, target.getHost(), target.getPort());
    port = IngressServer.freePort();
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("postgres", new JsonObject().put("uri", proxy.route(database)))
        .put("redis", new JsonObject().put("uri", TestServices.newRedis()))
        .put("spool", new JsonObject().put("dir", workDir.resolve("spool").toString()))
        .put("retry", new JsonObject().put("baseMs", 50).put("maxMs", 400))
        .put("shutdown", new JsonObject().put("graceSeconds", GRACE_SECONDS));
    Files.writeString(workDir.resolve("config.json"), config.encodePrettily());
  }

  @AfterEach
  void cleanUp() {
    proxy.close();
    proxyVertx.close().await();
  }

  @Test
  void sigtermDuringABurstStoresEveryAcknowledgedWriteAndExitsZero() throws Exception {
    Process ingress = start("sigterm");
    try {
      String submission = "sigterm-" + UUID.randomUUID();
      CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> burst(submission, 600));
      awaitAcknowledged(150);
      long signalled = System.nanoTime();
      ingress.destroy();
      assertTrue(ingress.waitFor(GRACE_SECONDS + 5, TimeUnit.SECONDS), "still running after the grace period");
      assertEquals(0, ingress.exitValue());
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled) <= GRACE_SECONDS);
      burst.join();
      assertTrue(acknowledged.size() >= 150);
      assertEquals(Set.of(), missing(acknowledged, storedIds(submission)), "acknowledged but not stored");
    } finally {
      ingress.destroyForcibly();
    }
  }

  @Test
  void killNineWhileWritesLiveInTheSpoolLosesNoneEvenWithATornTail() throws Exception {
    Process first = start("first");
    String submission = "kill9-" + UUID.randomUUID();
    try {
      proxy.stop();
      CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> burst(submission, 400));
      awaitAcknowledged(120);
      first.destroyForcibly();
      first.waitFor(10, TimeUnit.SECONDS);
      burst.join();
    } finally {
      first.destroyForcibly();
    }
    Set<String> beforeRestart = Set.copyOf(acknowledged);
    tearTheLastSegment();
    proxy.start();
    Process second = start("second");
    try {
      awaitEmptySpool();
      for (String id : beforeRestart) {
        HttpResponse<String> read = OpenApiContract.shipped()
            .requireConforming(client.send(get("/spi/test_runs/" + id), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, read.statusCode(), "acknowledged run " + id + " is readable");
      }
      assertEquals(Set.of(), missing(beforeRestart, storedIds(submission)), "acknowledged but not stored");
      assertTrue(Files.readString(workDir.resolve("second.log")).contains("torn"), "the torn tail was noticed");
    } finally {
      second.destroy();
      second.waitFor(GRACE_SECONDS + 5, TimeUnit.SECONDS);
    }
  }

  private Process start(String name) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", System.getProperty("ingress.jar"), "-conf", "config.json")
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve(name + ".log").toFile());
    builder.environment().put("INGRESS_INTERNAL_AUTH_TOKENS", TOKEN);
    Process process = builder.start();
    await(name + " ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(IOException.class)
        .failFast(name + " exited", () -> assertTrue(process.isAlive(), () -> log(name)))
        .until(() -> client.send(get("/health/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return process;
  }

  private String log(String name) {
    try {
      return Files.readString(workDir.resolve(name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** POSTs {@code total} runs, 32 in flight; remembers the id of every 201, ignores refused connections. */
  private void burst(String submission, int total) {
    String body = new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass")).encode();
    for (int sent = 0; sent < total; sent += 32) {
      List<CompletableFuture<Void>> wave = new ArrayList<>();
      for (int i = sent; i < Math.min(total, sent + 32); i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/spi/test_runs"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        wave.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .thenAccept(response -> {
              if (response.statusCode() == 201) {
                acknowledged.add(new JsonObject(response.body()).getString("id"));
              }
            })
            .exceptionally(refused -> null));
      }
      CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).join();
    }
  }

  private void awaitAcknowledged(int count) {
    await(count + " writes acknowledged")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(acknowledged::size, acknowledgedSoFar -> acknowledgedSoFar >= count);
  }

  /** What kill -9 in the middle of a write leaves: the start of a record with no end. */
  private void tearTheLastSegment() throws IOException {
    try (Stream<Path> segments = Files.list(workDir.resolve("spool"))) {
      Path last = segments.filter(p -> p.toString().endsWith(".seg")).max(Comparator.naturalOrder()).orElseThrow();
      Files.write(last, new byte[] {0, 0, 1, 0, 42, 42}, StandardOpenOption.APPEND);
    }
  }

  private void awaitEmptySpool() {
    await("the spool drains")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> OpenApiContract.shipped().requireConforming(client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/ingress/spool"))
                    .header("X-Internal-Auth", TOKEN).build(), HttpResponse.BodyHandlers.ofString())),
            spool -> spool.statusCode() == 200 && new JsonObject(spool.body()).getLong("depth") == 0);
  }

  /**
   * What was acknowledged and is not stored: must be nothing. The reverse may happen — a write
   * committed or spooled whose answer died with the process — and is the caller's to retry.
   */
  private static Set<String> missing(Set<String> acknowledged, Set<String> stored) {
    Set<String> missing = new java.util.HashSet<>(acknowledged);
    missing.removeAll(stored);
    return missing;
  }

  private Set<String> storedIds(String submission) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    try (var c = TestServices.jdbc(database); var s = c.createStatement();
         var rs = s.executeQuery("SELECT id FROM test_runs WHERE submission_uuid = '" + submission + "'")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    assertEquals(ids.size(), new Db(database).count(
        "SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"), "no id stored twice");
    return ids;
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(3)).build();
  }
}
