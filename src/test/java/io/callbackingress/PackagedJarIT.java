package io.callbackingress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.IngressServer;
import io.callbackingress.support.OpenApiContract;
import io.callbackingress.support.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped artifact, as an operator runs it: {@code java -jar target/callback-ingress.jar}. */
class PackagedJarIT {

  private static final int GRACE_SECONDS = 10;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path workDir;

  private Process start(String config) throws IOException {
    Files.writeString(workDir.resolve("config.json"), config);
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", System.getProperty("ingress.jar"), "-conf", "config.json")
        .directory(workDir.toFile())
        .redirectOutput(workDir.resolve("stdout.log").toFile())
        .redirectError(workDir.resolve("stderr.log").toFile());
    // The internal family (token auth, on by default) needs a token to start, as operators provide.
    builder.environment().put("INGRESS_INTERNAL_AUTH_TOKENS", "jar-test-token-" + "x".repeat(32));
    return builder.start();
  }

  private HttpResponse<String> call(String method, int port, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(3))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return OpenApiContract.shipped().requireConforming(client.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void theEmbeddedDefaultBecomesReadyAndExitsZeroOnSigterm() throws Exception {
    int port = IngressServer.freePort();
    Process ingress = start("{\"http\":{\"port\":" + port + "},\"shutdown\":{\"graceSeconds\":" + GRACE_SECONDS + "}}");
    try {
      HttpResponse<String> ready = awaitReady(ingress, port);
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());

      HttpResponse<String> missing = call("POST", port, "/spi/nope");
      assertEquals(404, missing.statusCode());
      assertEquals("{\"error\":\"Not found\"}", missing.body());
      assertTrue(missing.headers().firstValue("X-Request-Id").isPresent());

      long signalled = System.nanoTime();
      ingress.destroy();
      assertTrue(ingress.waitFor(GRACE_SECONDS + 5, TimeUnit.SECONDS), "still running after the grace period");
      assertEquals(0, ingress.exitValue());
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled) <= GRACE_SECONDS);
      List<String> stdout = Files.readAllLines(workDir.resolve("stdout.log"));
      assertTrue(stdout.stream().allMatch(line -> line.startsWith("{")), "every stdout line is JSON");
      assertTrue(stdout.stream().anyMatch(line -> line.contains("\"path\":\"/spi/nope\"") && line.contains("\"status\":404")),
          "the audit line of the 404");
    } finally {
      ingress.destroyForcibly();
    }
  }

  @Test
  void anUnknownKeyStopsStartUpWithOneLineAndExitCode2() throws Exception {
    Process ingress = start("{\"http\":{\"prot\":8080}}");
    assertTrue(ingress.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, ingress.exitValue());
    List<String> stderr = Files.readAllLines(workDir.resolve("stderr.log"), StandardCharsets.UTF_8);
    assertEquals(List.of("config: http.prot: unknown key"), stderr);
    assertFalse(Files.readString(workDir.resolve("stdout.log")).contains("Exception"));
  }

  @Test
  void aDatabaseThatDoesNotExistStopsStartUpWithOneLineAndExitCode2() throws Exception {
    String uri = TestServices.absentDatabase("jar_absent");
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    // Redis is never reached: start-up stops at the migration, Postgres's first connection.
    Process ingress = start("{\"postgres\":{\"uri\":\"" + uri + "\"},\"redis\":{\"uri\":\"redis://127.0.0.1:6379\"}}");
    assertTrue(ingress.waitFor(30, TimeUnit.SECONDS));
    List<String> stderr = Files.readAllLines(workDir.resolve("stderr.log"), StandardCharsets.UTF_8);
    assertEquals(List.of("config: postgres.uri: database \"" + name + "\" does not exist"), stderr);
    assertEquals(2, ingress.exitValue());
    String stdout = Files.readString(workDir.resolve("stdout.log"));
    assertFalse(stdout.contains("Exception") || stdout.contains("stack_trace"), stdout);
  }

  @Test
  void afterSigtermReadinessIsDownWhileRequestsAreStillServedForTheReadinessDelay() throws Exception {
    int port = IngressServer.freePort();
    Process ingress = start("{\"http\":{\"port\":" + port + "},"
        + "\"postgres\":{\"uri\":\"" + TestServices.newDatabase("jar_drain") + "\"},"
        + "\"redis\":{\"uri\":\"" + TestServices.newRedis() + "\"},"
        + "\"shutdown\":{\"graceSeconds\":5,\"readinessDelaySeconds\":2}}");
    try {
      assertEquals(200, awaitReady(ingress, port).statusCode());
      long signalled = System.nanoTime();
      ingress.destroy();
      HttpResponse<String> ready = awaitStatus(port, "/health/ready", 503);
      HttpResponse<String> live = call("GET", port, "/health/live");
      assertTrue(System.nanoTime() - signalled < TimeUnit.MILLISECONDS.toNanos(1_500),
          "readiness went DOWN and requests were answered inside the delay");
      assertTrue(ready.body().contains("\"status\":\"DOWN\""), ready.body());
      assertEquals(200, live.statusCode(), "still serving while the balancer notices");
      assertTrue(ingress.waitFor(15, TimeUnit.SECONDS), "still running after delay and grace");
      assertEquals(0, ingress.exitValue());
      assertTrue(System.nanoTime() - signalled >= TimeUnit.SECONDS.toNanos(2), "the listener stayed for the delay");
    } finally {
      ingress.destroyForcibly();
    }
  }

  private HttpResponse<String> awaitStatus(int port, String path, int status) {
    return await(path + " answering " + status)
        .atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> call("GET", port, path), response -> response.statusCode() == status);
  }

  private HttpResponse<String> awaitReady(Process ingress, int port) {
    return await("the jar ready")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(IOException.class)
        .failFast("the jar exited", () -> assertTrue(ingress.isAlive(), this::logs))
        .until(() -> call("GET", port, "/health/ready"), response -> response.statusCode() == 200);
  }

  private String logs() {
    try {
      List<String> lines = Files.readAllLines(workDir.resolve("stdout.log"));
      return "stderr=" + Files.readString(workDir.resolve("stderr.log"))
          + " stdout tail=" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
