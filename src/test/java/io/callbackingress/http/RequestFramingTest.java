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
import java.util.ArrayList;
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

  /** Netty's own refusals quote the bytes they refused: the log says what kind of refusal, never what was sent. */
  @Test
  void aHeaderNettyRefusesIsLoggedByItsKindNeverByItsBytes() throws IOException {
    CapturedLogs.clear();
    String answer = exchange("GET /internal/ingress/spool HTTP/1.1\r\nHost: x\r\nX-Internal-Auth: "
        + IngressServer.INTERNAL_TOKEN + "\u0000\r\n\r\n");
    assertJsonError(answer, 400, "Bad request");
    String requestId = header(answer, "X-Request-Id");
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains(requestId)
        && line.contains("prohibited character in a header value")), CapturedLogs.lines().toString());
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains(IngressServer.INTERNAL_TOKEN)),
        "the token never reaches a log line");
  }

  /**
   * What is not HTTP/1.0 or 1.1, and request lines the router cannot take apart, get the documented
   * JSON answers — each logged with the request id it was answered with, none an unhandled exception.
   */
  @Test
  void junkRequestLinesAndDuplicateHostsGetTheirDocumentedJsonAnswers() throws IOException {
    CapturedLogs.clear();
    List<String> answers = new ArrayList<>();
    for (String version : List.of(" HTTP/1.2", " HTTP/2.0", " http/1.1", " HTTP/9", " HTTP/1.1 x", "")) {
      answers.add(assertJsonError(exchange("GET /health/live" + version + "\r\nHost: x\r\n\r\n"), 505,
          "HTTP version not supported"));
    }
    for (String target : List.of("OPTIONS * HTTP/1.1\r\nHost: x", "CONNECT x:443 HTTP/1.1\r\nHost: x:443",
        "GET health/live HTTP/1.1\r\nHost: x")) {
      answers.add(assertJsonError(exchange(target + "\r\n\r\n"), 404, "Not found"));
    }
    for (String method : List.of("GET\u0000", "GET\u0001", "G\u0001ET", "GET\u007f")) {
      answers.add(assertJsonError(exchange(method + " /health/live HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "Bad request"));
    }
    answers.add(assertJsonError(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"), 400,
        "Invalid Host"));
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains("Unhandled exception")),
        CapturedLogs.lines().toString());
    for (String answer : answers) {
      String requestId = header(answer, "X-Request-Id");
      assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains(requestId)), "logged with " + requestId);
    }
    assertJsonOk(exchange("GET /health/live HTTP/1.0\r\n\r\n"));
    assertJsonOk(exchange("GET http://x/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
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
    assertEquals(499, CapturedLogs.auditOf(requestId).getInteger("status"));
    assertTrue(CapturedLogs.lines().stream().noneMatch(line -> line.contains(requestId) && line.contains("failed")),
        "no error line for a caller's abort");
  }

  private static String assertJsonError(String answer, int status, String error) {
    assertTrue(answer.startsWith("HTTP/1.1 " + status) || answer.startsWith("HTTP/1.0 " + status), answer);
    assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
    assertEquals(new JsonObject().put("error", error), new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
    return answer;
  }

  private static void assertJsonOk(String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.0 200"), answer);
    assertEquals(new JsonObject().put("status", "UP"), new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
  }

  private static String header(String answer, String name) {
    for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " in " + answer);
  }

  private static String exchange(String request) throws IOException {
    return RawHttp.exchange(server.port, request);
  }
}
