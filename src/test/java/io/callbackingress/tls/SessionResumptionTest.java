package io.callbackingress.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.Ingress;
import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestCertificates;
import io.callbackingress.support.TestCertificates.Issued;
import io.callbackingress.support.TestCertificates.Pem;
import io.callbackingress.support.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4 and 11 {@code tls.sessionTicketKeysPath}: TLS 1.3 sessions resumed across replicas that
 * read the same key file, real handshakes against real servers. Replicas {@code a} and {@code b}
 * read two files with the same key and two copies of the client CA (so {@code b}'s can be rotated
 * alone), {@code other} a key of its own.
 */
class SessionResumptionTest {

  private static final String SPIFFE = "spiffe://callback-ingress.test/worker";
  private static final String OK = "HTTP/1.1 200 ";
  private static Path dir;
  private static Issued ca;
  private static Issued worker;
  private static Path keysOfB;
  private static Path caOfB;
  private static Path otherKeys;
  private static IngressServer a;
  private static IngressServer b;
  private static IngressServer other;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("tickets");
    ca = TestCertificates.authority("resumption test CA");
    ca.writeTo(dir, "ca");
    TestCertificates.server(ca).writeTo(dir, "server");
    worker = TestCertificates.client(ca, "worker", SPIFFE, null);
    byte[] shared = randomKey();
    Path keysOfA = Files.write(dir.resolve("a.key"), shared);
    keysOfB = Files.write(dir.resolve("b.key"), shared);
    otherKeys = Files.write(dir.resolve("other.key"), randomKey());
    caOfB = Files.copy(dir.resolve("ca.crt"), dir.resolve("b-ca.crt"));
    a = IngressServer.start("resume_a", config(keysOfA, dir.resolve("ca.crt")), Map.of());
    b = IngressServer.start("resume_b", config(keysOfB, caOfB), Map.of());
    other = IngressServer.start("resume_other", config(otherKeys, dir.resolve("ca.crt")), Map.of());
  }

  @AfterAll
  static void stop() {
    for (IngressServer server : new IngressServer[] {a, b, other}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void aSessionFromOneReplicaResumesOnAnotherWithTheSameKeysAndKeepsItsIdentity() throws Exception {
    ResumingClient client = client(worker);
    assertProbeAnswered(client.get(port(a), "/spi/probes/abc", "full-" + UUID.randomUUID()));
    assertEquals(1, client.fullHandshakes());

    String requestId = "resumed-" + UUID.randomUUID();
    assertProbeAnswered(client.get(port(b), "/spi/probes/abc", requestId));
    assertEquals(1, client.fullHandshakes(), "the second connection resumed instead of a full handshake");
    assertEquals(SPIFFE, CapturedLogs.awaitAudit(requestId, Duration.ofSeconds(1)).getString("identity"));
  }

  @Test
  void aReplicaWithOtherKeysRefusesTheTicketAndDoesAFullHandshake() throws Exception {
    ResumingClient client = client(worker);
    assertProbeAnswered(client.get(port(a), "/spi/probes/abc", "full-" + UUID.randomUUID()));
    String requestId = "other-" + UUID.randomUUID();
    assertProbeAnswered(client.get(port(other), "/spi/probes/abc", requestId));
    assertEquals(2, client.fullHandshakes());
    assertEquals(SPIFFE, CapturedLogs.awaitAudit(requestId, Duration.ofSeconds(1)).getString("identity"));
  }

  @Test
  void aResumedSessionIsRefusedOnceItsClientCertificateHasExpired() throws Exception {
    Instant notAfter = Instant.now().plusSeconds(3);
    Issued expiring = TestCertificates.client(ca, "worker", SPIFFE, null, notAfter);
    ResumingClient client = client(expiring);
    assertProbeAnswered(client.get(port(a), "/spi/probes/abc", "full-" + UUID.randomUUID()));
    assertProbeAnswered(client.get(port(b), "/spi/probes/abc", "resumed-" + UUID.randomUUID()));
    assertEquals(1, client.fullHandshakes());

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis()) + 1_100);
    assertNull(client.get(port(b), "/spi/probes/abc", "expired-" + UUID.randomUUID()));
    assertEquals(1, client.fullHandshakes(), "the refused connection was a resumption, not a full handshake");
    ResumingClient fresh = client(expiring);
    assertNull(fresh.get(port(b), "/spi/probes/abc", "expired-full-" + UUID.randomUUID()));
    assertEquals(1, fresh.fullHandshakes(), "a full handshake with the chain verified before is refused by its dates");
  }

  @Test
  void aSessionResumedAfterTheClientCaWasReplacedIsVerifiedAgainstTheNewOne() throws Exception {
    ResumingClient client = client(worker);
    assertProbeAnswered(client.get(port(a), "/spi/probes/abc", "full-" + UUID.randomUUID()));
    Path original = Files.copy(caOfB, dir.resolve("b-ca.crt.original"), StandardCopyOption.REPLACE_EXISTING);
    try {
      TestCertificates.authority("a CA that never signed the worker").writeTo(dir, "b-ca");
      awaitFullHandshakesAtB("b no longer takes the worker's certificate", false);

      assertNull(client.get(port(b), "/spi/probes/abc", "resumed-" + UUID.randomUUID()), "the resumption was refused");
      assertEquals(1, client.fullHandshakes(), "the refused connection was a resumption, not a full handshake");
    } finally {
      Files.move(original, caOfB, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      awaitFullHandshakesAtB("b takes the worker's certificate again", true);
    }
  }

  @Test
  void aNewKeyFileIsUsedWithoutARestartAndTheKeyItReplacesStillDecrypts() throws Exception {
    ResumingClient beforeRotation = client(worker);
    assertProbeAnswered(beforeRotation.get(port(a), "/spi/probes/abc", "before-" + UUID.randomUUID()));

    Path staged = Files.copy(otherKeys, dir.resolve("b.key.new"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, keysOfB, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    await("b resumes a session of the new key")
        .atMost(Duration.ofSeconds(15))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          ResumingClient fromOther = client(worker);
          assertProbeAnswered(fromOther.get(port(other), "/spi/probes/abc", "other-" + UUID.randomUUID()));
          assertProbeAnswered(fromOther.get(port(b), "/spi/probes/abc", "b-" + UUID.randomUUID()));
          return fromOther.fullHandshakes() == 1;
        });
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains("session ticket key reloaded")));

    assertProbeAnswered(beforeRotation.get(port(b), "/spi/probes/abc", "old-" + UUID.randomUUID()));
    assertEquals(1, beforeRotation.fullHandshakes(), "a ticket under the replaced key still resumes");
  }

  @Test
  void aKeyFileOfTheWrongSizeStopsStartUpNamingTheKey() throws Exception {
    JsonObject json = config(Files.write(dir.resolve("short.key"), new byte[32]), dir.resolve("ca.crt"));
    IngressConfig config = IngressConfig.read(ConfigNode.root(json, Map.of()));
    Vertx vertx = TestVertx.create(TestVertx.registry());
    try {
      ConfigException refusal = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
          () -> Ingress.create(config, IngressServer.internalTokenEnv(), vertx, TestVertx.registry(),
              "postgresql://nobody@127.0.0.1:1/none", "redis://127.0.0.1:1/8", null));
      assertTrue(refusal.getMessage().contains("tls.sessionTicketKeysPath"), refusal.getMessage());
    } finally {
      vertx.close().await();
    }
  }

  /** A client on the first replica's Vert.x, closed with it. */
  private static ResumingClient client(Issued certificate) throws Exception {
    return new ResumingClient(a.vertx, ca, certificate);
  }

  /** Waits until a new client's full handshake at {@code b} is {@code accepted} (or refused): b has reloaded its CA. */
  private static void awaitFullHandshakesAtB(String what, boolean accepted) {
    await(what)
        .atMost(Duration.ofSeconds(15))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> (client(worker).get(port(b), "/spi/probes/abc", "probe-" + UUID.randomUUID()) != null) == accepted);
  }

  private static void assertProbeAnswered(String response) {
    assertNotNull(response, "no response: the handshake was refused");
    assertTrue(response.startsWith(OK), response);
    assertTrue(response.endsWith("{\"name\":\"abc\"}"), response);
  }

  private static JsonObject config(Path ticketKeys, Path clientCa) {
    return new JsonObject()
        .put("tls", new JsonObject()
            .put("enabled", true)
            .put("port", IngressServer.freePort())
            .put("certPath", dir.resolve("server.crt").toString())
            .put("keyPath", dir.resolve("server.key").toString())
            .put("clientAuth", "required")
            .put("clientCaPath", clientCa.toString())
            .put("http2", false)
            .put("reloadSeconds", 1)
            .put("sessionTicketKeysPath", ticketKeys.toString()))
        .put("families", new JsonObject().put("probe", new JsonObject()
            .put("enabled", true).put("auth", "mtls").put("allowedIdentities", new JsonArray().add(SPIFFE))));
  }

  private static int port(IngressServer server) {
    return server.config.tls().port();
  }

  private static byte[] randomKey() {
    byte[] key = new byte[48];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
