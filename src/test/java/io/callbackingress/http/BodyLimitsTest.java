package io.callbackingress.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 7: memory held for request bodies is bounded, whatever callers declare or how slowly they
 * send — bodies grow as bytes arrive, the bytes held across the process are capped (503 past
 * it), and a body must arrive within {@code http.bodyTimeoutSeconds} (408).
 */
class BodyLimitsTest {

  private static final int BUDGET = 64 * 1024;
  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("bodylimits", new JsonObject()
        .put("http", new JsonObject().put("bodyTimeoutSeconds", 1))
        .put("limits", new JsonObject().put("maxBufferedBodyBytes", BUDGET)), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void declaredLengthsHoldNothingAndArrivedBytesPastTheBudgetAreShedWith503() throws Exception {
    List<Socket> declaredOnly = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      declaredOnly.add(open(1_000_000, 0));
    }
    Socket first = open(1_000_000, 40_000);
    awaitBuffered(40_000);
    Socket second = open(1_000_000, 40_000);
    String shed = readAll(second);
    assertTrue(shed.startsWith("HTTP/1.1 503"), shed);
    assertTrue(shed.contains("Retry-After: 1"), shed);
    assertEquals(new JsonObject().put("error", "Overloaded"), body(shed));
    assertEquals(40_000, buffered(), "the shed request gave back what it held; 50 declared megabytes hold nothing");

    first.close();
    declaredOnly.forEach(BodyLimitsTest::closeQuietly);
    awaitBuffered(0);
    String submission = "after-" + UUID.randomUUID();
    Response stored = http.post("/spi/test_runs", new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", submission).put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass")));
    assertEquals(201, stored.status(), stored.body());
    assertEquals(1, new Db(server.databaseUri).count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    assertEquals(0, buffered(), "an answered request gives its body back");
  }

  @Test
  void aBodyThatTricklesPastTheBodyTimeoutIsA408AndTheConnectionCloses() throws Exception {
    Socket slow = open(100, 10);
    OutputStream out = slow.getOutputStream();
    long started = System.nanoTime();
    try {
      for (int i = 0; i < 10; i++) {
        Thread.sleep(300);
        out.write(' ');
        out.flush();
      }
    } catch (IOException closedByServer) {
      // expected once the server has answered and closed
    }
    String answer = readAll(slow);
    assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
    assertEquals(new JsonObject().put("error", "Request timeout"), body(answer));
    assertTrue(System.nanoTime() - started < 2_900_000_000L, "cut at the body timeout, not when the body ended");
    awaitBuffered(0);
  }

  @Test
  void aClientStillSendingAnOversizedBodyGetsToReadThe413() throws Exception {
    int declared = 8 << 20;
    try (Socket socket = open(declared, 0)) {
      OutputStream out = socket.getOutputStream();
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < declared; sent += chunk.length) {
        out.write(chunk);
        out.flush();
        Thread.sleep(5);
      }
      String answer = readAll(socket);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertEquals(new JsonObject().put("error", "Payload too large"), body(answer));
    }
  }

  /** A POST that declares {@code declared} bytes and sends {@code sent} of them. */
  private static Socket open(int declared, int sent) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /spi/test_runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write("x".repeat(sent).getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static String readAll(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static JsonObject body(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  private static long buffered() {
    return bufferedOn(http);
  }

  private static void awaitBuffered(long expected) {
    awaitBuffered(http, expected);
  }

  static long bufferedOn(Http http) {
    return (long) http.metric("ingress_body_buffered_bytes");
  }

  /** The bytes held for bodies across the process become {@code expected} within five seconds. */
  static void awaitBuffered(Http http, long expected) {
    await("the bytes held for bodies at " + expected)
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertEquals(expected, bufferedOn(http)));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is wanted
    }
  }
}
