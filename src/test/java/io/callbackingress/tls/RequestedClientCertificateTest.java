package io.callbackingress.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestCertificates;
import io.callbackingress.support.TestCertificates.Issued;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4 {@code tls.clientAuth: request}: one listener serves callers with and without a client
 * certificate. Without one a caller has no identity — on a full handshake and on a resumed session
 * — so an mTLS family refuses it; with one it is identified, also after resuming.
 */
class RequestedClientCertificateTest {

  private static final String SPIFFE = "spiffe://callback-ingress.test/worker";
  private static Issued ca;
  private static Issued worker;
  private static IngressServer server;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("requested");
    ca = TestCertificates.authority("requested client certificate CA");
    ca.writeTo(dir, "ca");
    TestCertificates.server(ca).writeTo(dir, "server");
    worker = TestCertificates.client(ca, "worker", SPIFFE, null);
    server = IngressServer.start("requested_cert", new JsonObject()
        .put("tls", new JsonObject()
            .put("enabled", true)
            .put("port", IngressServer.freePort())
            .put("certPath", dir.resolve("server.crt").toString())
            .put("keyPath", dir.resolve("server.key").toString())
            .put("clientAuth", "request")
            .put("clientCaPath", dir.resolve("ca.crt").toString())
            .put("http2", false))
        .put("families", new JsonObject().put("probe", new JsonObject()
            .put("enabled", true).put("auth", "mtls").put("allowedIdentities", new JsonArray().add(SPIFFE)))),
        Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCallerWithoutACertificateIsServedWithoutAnIdentityAlsoOnAResumedSession() throws Exception {
    ResumingClient client = new ResumingClient(server.vertx, ca, null);
    String live = client.get(port(), "/health/live", "live-" + UUID.randomUUID());
    assertNotNull(live, "the handshake without a certificate was refused");
    assertTrue(live.startsWith("HTTP/1.1 200 "), live);
    assertTrue(live.endsWith("{\"status\":\"UP\"}"), live);

    for (String requestId : new String[] {"full-" + UUID.randomUUID(), "resumed-" + UUID.randomUUID()}) {
      String refused = client.get(port(), "/spi/probes/abc", requestId);
      assertNotNull(refused);
      assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
      assertTrue(refused.endsWith("{\"error\":\"Unauthorized\"}"), refused);
      JsonObject audit = CapturedLogs.awaitAudit(requestId, Duration.ofSeconds(5));
      assertEquals(401, audit.getInteger("status"));
      assertNull(audit.getString("identity"), audit.encode());
    }
    assertEquals(1, client.fullHandshakes(), "the later connections resumed");
  }

  @Test
  void aCallerWithACertificateIsIdentifiedAlsoOnAResumedSession() throws Exception {
    ResumingClient client = new ResumingClient(server.vertx, ca, worker);
    for (String requestId : new String[] {"full-" + UUID.randomUUID(), "resumed-" + UUID.randomUUID()}) {
      String answered = client.get(port(), "/spi/probes/abc", requestId);
      assertNotNull(answered);
      assertTrue(answered.startsWith("HTTP/1.1 200 "), answered);
      assertTrue(answered.endsWith("{\"name\":\"abc\"}"), answered);
      assertEquals(SPIFFE, CapturedLogs.awaitAudit(requestId, Duration.ofSeconds(5)).getString("identity"));
    }
    assertEquals(1, client.fullHandshakes(), "the second connection resumed");
  }

  private static int port() {
    return server.config.tls().port();
  }
}
