package io.callbackingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RawHttp;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile run the issue asks for, against the shipped jar in a 256 MiB heap: declared-but-unsent
 * bodies, slow senders, smuggling, oversized headers, deep and invalid JSON, poison strings,
 * over-long ids. It must end with no 5xx but documented 503s, the process alive and answering,
 * no OutOfMemoryError, and resident memory back near where it started.
 */
class HostileRunIT {

  private static final String GITHUB_SECRET = "hostile-run-github-secret";
  private static final String INTERNAL_TOKEN = "hostile-run-token-" + "x".repeat(32);

  @TempDir
  Path workDir;
  private int port;
  private final List<String> unexpected = new ArrayList<>();

  @Test
  void theJarSurvivesAHostileRunAndComesBackToItsBaseline() throws Exception {
    port = IngressServer.freePort();
    Process ingress = start();
    try {
      awaitLive(ingress);
      for (int i = 0; i < 200; i++) {
        expect(post("/spi/test_runs", run("warm-" + i, "ok")), s -> s == 201, "warm-up write");
      }
      long baselineKb = rssKb(ingress);

      declaredButUnsentBodies(400);
      slowSenders(45);
      expect(raw(post("/spi/test_runs", run("nul", "a\u0000b"))), s -> s == 422, "NUL in output");
      expect(raw(post("/spi/test_runs", run("surrogate", "SURROGATE").replace("SURROGATE", "a\\ud800b"))), s -> s == 422,
          "unpaired surrogate escape");
      expect(raw(post("/spi/test_runs", run("big", "x").replace("\"ok\"", "1").replace("\"status\":\"pass\"",
          "\"status\":\"pass\",\"duration_ms\":-9223372036854775809"))), s -> s == 422, "integer out of range");
      expect(raw(request("GET", "/spi/tooling_jobs/" + "j".repeat(300), "")), s -> s == 404, "long path id");
      expect(raw(request("GET", "/spi/tooling_jobs/a%00b", "")), s -> s == 404, "NUL path id");
      expect(raw(request("GET", "/spi/tooling_jobs/%zz", "")), s -> s == 400, "bad escape");
      expect(raw(githubDelivery("d".repeat(5000))), s -> s == 400, "5 KB delivery id");
      expect(raw(githubDelivery(UUID.randomUUID().toString())), s -> s == 202, "a fair delivery");
      expect(raw(tenThousandHeaders()), s -> s == 431 || s == 400, "10k headers");
      expect(raw(post("/spi/test_runs", "[".repeat(100_000) + "]".repeat(100_000))), s -> s == 400, "deep JSON");
      expect(raw(postBytes("/spi/test_runs", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'})),
          s -> s == 400, "invalid UTF-8");
      expect(raw(post("/spi/test_runs", "{\"test_run\":" + "x".repeat(2 << 20) + "}")), s -> s == 413, "2 MiB body");
      expect(raw("GET /health/live HTTP/1.2\r\nHost: x\r\n\r\n"), s -> s == 505, "HTTP/1.2");
      expect(raw("GET /health/live HTTP/2.0\r\nHost: x\r\n\r\n"), s -> s == 505, "HTTP/2.0 on HTTP/1");
      expect(raw("GET /health/live http/1.1\r\nHost: x\r\n\r\n"), s -> s == 505, "lowercase version");
      expect(raw("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"), s -> s == 404, "OPTIONS *");
      expect(raw("CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n"), s -> s == 404, "CONNECT");
      expect(raw("GET /health/live HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"), s -> s == 400, "two Host headers");
      expect(raw("GET\u0000 /health/live HTTP/1.1\r\nHost: x\r\n\r\n"), s -> s == 400, "NUL after the method");
      expect(raw("GET /internal/ingress/spool HTTP/1.1\r\nHost: x\r\nX-Internal-Auth: " + INTERNAL_TOKEN
          + "\u0000\r\n\r\n"), s -> s == 400, "a token followed by NUL");
      String smuggled = smuggle();
      expect(smuggled, s -> s == 201, "chunked with a length");
      assertFalse(smuggled.contains("{\"status\":\"UP\"}"), "nothing ran behind the chunks");

      assertTrue(ingress.isAlive(), "the process is alive");
      expect(raw(request("GET", "/health/live", "")), s -> s == 200, "live after the run");
      expect(post("/spi/test_runs", run("after", "ok")), s -> s == 201, "a write after the run");
      long afterKb = rssKb(ingress);
      assertEquals(List.of(), unexpected, "every answer was a documented one");
      String logs = Files.readString(workDir.resolve("stdout.log")) + Files.readString(workDir.resolve("stderr.log"));
      assertFalse(logs.contains("OutOfMemoryError"), "no OutOfMemoryError");
      assertFalse(logs.contains("Unhandled exception"), "every hostile request had a documented answer");
      assertFalse(logs.contains(INTERNAL_TOKEN), "a refused header value is never logged");
      assertTrue(afterKb < baselineKb + 64 * 1024, "resident memory " + afterKb + " KiB after, " + baselineKb + " KiB before");
    } finally {
      ingress.destroyForcibly();
    }
  }

  /** 400 connections that each declare a mebibyte and send nothing: nothing is allocated for them. */
  private void declaredButUnsentBodies(int count) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("POST /spi/test_runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        sockets.add(socket);
      }
      expect(raw(request("GET", "/health/live", "")), s -> s == 200, "live with 400 declared bodies open");
      expect(raw(post("/spi/test_runs", run("beside-declared", "ok"))), s -> s == 201, "a write beside them");
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Senders that trickle a byte at a time: each is cut at the body deadline, and writes go on. */
  private void slowSenders(int count) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("POST /spi/test_runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        sockets.add(socket);
      }
      expect(raw(post("/spi/test_runs", run("beside-slow", "ok"))), s -> s == 201, "a write beside slow senders");
      for (int second = 0; second < 3; second++) {
        for (Socket socket : sockets) {
          try {
            socket.getOutputStream().write(' ');
          } catch (IOException cut) {
            // cut by the body deadline: what is wanted
          }
        }
        Thread.sleep(1_000);
      }
      for (Socket socket : sockets) {
        String answer = RawHttp.readAnswer(socket);
        if (!answer.isEmpty()) {
          expect(answer, s -> s == 408, "a slow sender");
        }
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  private String smuggle() throws IOException {
    String body = run("smuggle", "ok");
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    return exchange("POST /spi/test_runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
        + "GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  private String tenThousandHeaders() {
    StringBuilder request = new StringBuilder("GET /health/live HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 10_000; i++) {
      request.append("X-H").append(i).append(": v\r\n");
    }
    return request.append("\r\n").toString();
  }

  private String githubDelivery(String delivery) throws Exception {
    String body = "{\"action\":\"opened\"}";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    return "POST /spi/webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Hub-Signature-256: "
        + signature + "\r\nX-GitHub-Event: issues\r\nX-GitHub-Delivery: " + delivery + "\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n" + body;
  }

  private static String run(String submission, String output) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass").put("output", output)).encode();
  }

  private static String post(String path, String json) {
    return request("POST", path, json);
  }

  private static String request(String method, String path, String json) {
    return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + json.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + json;
  }

  private String postBytes(String path, byte[] body) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
  }

  private String raw(String request) throws IOException {
    return exchange(request);
  }

  private void expect(String answer, IntPredicate expected, String what) throws IOException {
    if (!answer.startsWith("HTTP/1.")) {
      answer = exchange(answer);
    }
    int status = RawHttp.status(answer);
    boolean documented503 = status == 503 && answer.contains("Retry-After");
    boolean json = answer.toLowerCase().contains("content-type: application/json");
    if (!(expected.test(status) || documented503) || !json) {
      unexpected.add(what + ": " + (answer.length() > 300 ? answer.substring(0, 300) : answer));
    }
  }

  private String exchange(String request) throws IOException {
    return RawHttp.exchange(port, request);
  }

  private Process start() throws IOException {
    String database = TestServices.newDatabase("hostile");
    String config = new JsonObject()
        .put("http", new JsonObject().put("port", port).put("bodyTimeoutSeconds", 2))
        .put("postgres", new JsonObject().put("uri", database))
        .put("redis", new JsonObject().put("uri", TestServices.newRedis()))
        .put("spool", new JsonObject().put("dir", workDir.resolve("spool").toString()))
        .put("rateLimit", new JsonObject().put("default", new JsonObject().put("capacity", 1_000_000).put("refillPerSecond", 1_000_000)))
        .encode();
    Files.writeString(workDir.resolve("config.json"), config);
    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar",
        System.getProperty("ingress.jar"), "-conf", "config.json")
        .directory(workDir.toFile())
        .redirectOutput(workDir.resolve("stdout.log").toFile())
        .redirectError(workDir.resolve("stderr.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("INGRESS_INTERNAL_AUTH_TOKENS", INTERNAL_TOKEN);
    env.put("INGRESS_GITHUB_WEBHOOK_SECRETS", GITHUB_SECRET);
    return builder.start();
  }

  private void awaitLive(Process ingress) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && ingress.isAlive()) {
      try {
        if (exchange(request("GET", "/health/ready", "")).startsWith("HTTP/1.1 200")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not ready: " + Files.readString(workDir.resolve("stderr.log")));
  }

  private static long rssKb(Process process) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + process.pid());
  }
}
