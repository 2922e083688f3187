package io.callbackingress.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Db;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9112 framing and SPEC 2 "every error is JSON", seen on the wire with raw sockets: no request
 * can ride behind another, what cannot be decoded is a JSON 4xx, and a caller who leaves early is
 * audited as such, not as our failure.
 */
class RequestFramingTest {

  private static IngressServer server;

  @BeforeAll
  static void start() {
    server = IngressServer.start("framing", new JsonObject(), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final String SMUGGLED = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

  private static String runBody(String submission) {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", submission)
        .put("track_slug", "go").put("exercise_slug", "hello").put("status", "pass")).encode();
  }

  @Test
  void nothingRidesBehindAChunkedBodyWhateverItsContentLengthSaid() throws IOException {
    String submission = "smuggle-" + UUID.randomUUID();
    String body = runBody(submission);
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    String answer = exchange("POST /spi/test_runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + SMUGGLED);
    assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
    assertFalse(answer.contains("{\"status\":\"UP\"}"), "the request after the chunks was not run: " + answer);
    assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    assertEquals(1, new Db(server.databaseUri).count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
  }

  @Test
  void aTransferEncodingOtherThanOneChunkedIsA400AndNothingIsStored() throws IOException {
    for (String codings : List.of("Transfer-Encoding: chunked, identity\r\n", "Transfer-Encoding: CHUNKED\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")) {
      String submission = "te-" + UUID.randomUUID();
      String body = runBody(submission);
      String answer = exchange("POST /spi/test_runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + codings
          + "\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n" + SMUGGLED);
      assertTrue(answer.startsWith("HTTP/1.1 400"), codings + answer);
      assertTrue(answer.contains("{\"error\":\"Invalid Transfer-Encoding\"}"), answer);
      assertFalse(answer.contains("{\"status\":\"UP\"}"), answer);
      assertEquals(0, new Db(server.databaseUri).count("SELECT count(*) FROM test_runs WHERE submission_uuid = '" + submission + "'"));
    }
  }

  @Test
  void whatTheServerCannotReadIsAJson4xxAndNoErrorIsLogged() throws IOException {
    CapturedLogs.clear();
    assertJsonError(exchange("GET /spi/tooling_jobs/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "Bad request");
    assertJsonError(exchange("GET /health/live HTTP/1.1\r\n\r\n"), 400, "Bad request");
    assertJsonError(exchange("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"), 431,
        "Request header fields too large");
    assertJsonError(exchange("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "URI too long");
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains("Unhandled exception")),
        "nothing a caller sends is an unhandled exception");
  }

  @Test
  void aClientThatLeavesMidBodyIsAuditedAs499WithoutAnErrorLine() throws Exception {
    CapturedLogs.clear();
    String requestId = "leaves-" + UUID.randomUUID();
    try (Socket socket = new Socket("127.0.0.1", server.port)) {
      socket.getOutputStream().write(("POST /spi/test_runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "X-Request-Id: " + requestId + "\r\nContent-Length: 500\r\n\r\n{\"test_run\":").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Thread.sleep(200);
    }
    String audit = awaitAuditLine(requestId);
    assertEquals(499, new JsonObject(audit.substring("audit ".length())).getInteger("status"));
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains(requestId) && line.contains("failed")),
        "no error line for a caller's abort");
  }

  private static void assertJsonError(String answer, int status, String error) {
    assertTrue(answer.startsWith("HTTP/1.1 " + status) || answer.startsWith("HTTP/1.0 " + status), answer);
    assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
    assertEquals(new JsonObject().put("error", error), new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
  }

  private static String awaitAuditLine(String requestId) throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      for (String line : CapturedLogs.lines()) {
        if (line.startsWith("audit ") && line.contains(requestId)) {
          return line;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no audit line for " + requestId);
  }

  private static String exchange(String request) throws IOException {
    return RawHttp.exchange(server.port, request);
  }
}
