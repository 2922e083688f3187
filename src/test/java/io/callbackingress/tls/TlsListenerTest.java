package io.callbackingress.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.Ingress;
import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.OpenApiContract;
import io.callbackingress.support.TestCertificates;
import io.callbackingress.support.TestCertificates.Issued;
import io.callbackingress.support.TestCertificates.Pem;
import io.callbackingress.support.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 4 and 11 {@code tls.*}: real handshakes against the HTTPS listener, mTLS identities, reload. */
class TlsListenerTest {

  private static final String SPIFFE = "spiffe://callback-ingress.test/worker";
  private static Path dir;
  private static Issued ca;
  private static Pem caPem;
  private static Pem serverPem;
  private static Pem uriClient;
  private static Pem dnsClient;
  private static Pem cnClient;
  private static Pem intruder;
  private static Pem foreignClient;
  private static IngressServer server;
  private static int tlsPort;

  record TlsResponse(int status, String body, HttpVersion version, BigInteger serverSerial) {}

  @BeforeAll
  static void start() throws Exception {
    CapturedLogs.clear();
    dir = Files.createTempDirectory("tls");
    ca = TestCertificates.authority("callback-ingress test CA");
    caPem = ca.writeTo(dir, "ca");
    serverPem = TestCertificates.server(ca).writeTo(dir, "server");
    uriClient = TestCertificates.client(ca, "uri-cn", SPIFFE, "uri.worker.test").writeTo(dir, "uri-client");
    dnsClient = TestCertificates.client(ca, "dns-cn", null, "dns.worker.test").writeTo(dir, "dns-client");
    cnClient = TestCertificates.client(ca, "cn-only-worker", null, null).writeTo(dir, "cn-client");
    intruder = TestCertificates.client(ca, "intruder", null, null).writeTo(dir, "intruder");
    Issued otherCa = TestCertificates.authority("another CA");
    foreignClient = TestCertificates.client(otherCa, "cn-only-worker", SPIFFE, null).writeTo(dir, "foreign");
    tlsPort = IngressServer.freePort();
    server = IngressServer.start("tls", config(tlsPort, "required", new JsonArray()
        .add(SPIFFE).add("dns.worker.test").add("cn-only-worker")), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void httpsAnswersOverHttp2NegotiatedByAlpnOnTheOpenSslEngine() {
    TlsResponse response = get(uriClient, "/health/live", true);
    assertEquals(200, response.status());
    assertEquals(HttpVersion.HTTP_2, response.version());
    assertTrue(OpenSSLEngineOptions.isAvailable());
    assertTrue(server.ingress.tls().engineName().startsWith("OpenSSL"), server.ingress.tls().engineName());
    assertTrue(CapturedLogs.lines().stream().anyMatch(line -> line.contains("TLS engine: OpenSSL")));
    assertEquals(HttpVersion.HTTP_1_1, get(uriClient, "/health/live", false).version());
  }

  @Test
  void withoutAClientCertificateTheHandshakeFails() {
    assertThrows(Exception.class, () -> get(null, "/health/live", false));
  }

  @Test
  void aCertificateFromAnotherAuthorityFailsTheHandshake() {
    assertThrows(Exception.class, () -> get(foreignClient, "/health/live", false));
  }

  @Test
  void anIdentityThatIsNotAllowedIsA401() {
    TlsResponse response = get(intruder, "/spi/probes/abc", true);
    assertEquals(401, response.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), new JsonObject(response.body()));
  }

  @Test
  void theIdentityIsTheUriSanThenTheDnsSanThenTheCommonName() {
    assertEquals(SPIFFE, auditedIdentity(uriClient));
    assertEquals("dns.worker.test", auditedIdentity(dnsClient));
    assertEquals("cn-only-worker", auditedIdentity(cnClient));
  }

  @Test
  void anMtlsFamilyRefusesPlainHttpWhereNoCertificateCanArrive() {
    Http.Response response = server.http().get("/spi/probes/abc");
    assertEquals(401, response.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), response.json());
  }

  @Test
  void replacedFilesAreServedToNewHandshakesWithoutARestart() throws Exception {
    BigInteger before = get(uriClient, "/health/live", true).serverSerial();
    Issued renewed = TestCertificates.server(ca);
    assertNotEquals(before, renewed.serial());
    renewed.writeTo(dir, "server");
    long deadline = System.nanoTime() + 15_000_000_000L;
    BigInteger seen = before;
    while (!seen.equals(renewed.serial()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      seen = get(uriClient, "/health/live", true).serverSerial();
    }
    assertEquals(renewed.serial(), seen);
    TlsResponse after = get(cnClient, "/spi/probes/abc", true);
    assertEquals(200, after.status());
    assertEquals(HttpVersion.HTTP_2, after.version());
  }

  @Test
  void missingTlsFilesOrAnEmptyAllowListStopStartUpNamingTheKey() throws Exception {
    JsonObject missingCert = config(IngressServer.freePort(), "required", new JsonArray().add(SPIFFE));
    missingCert.getJsonObject("tls").put("certPath", dir.resolve("nowhere.crt").toString());
    assertTrue(refusal(missingCert).getMessage().contains("tls.certPath"));
    JsonObject unreadableKey = config(IngressServer.freePort(), "required", new JsonArray().add(SPIFFE));
    unreadableKey.getJsonObject("tls").put("keyPath", dir.toString());
    assertTrue(refusal(unreadableKey).getMessage().contains("tls.keyPath"));
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    JsonObject badKey = config(IngressServer.freePort(), "required", new JsonArray().add(SPIFFE));
    badKey.getJsonObject("tls").put("keyPath", garbage.toString());
    assertTrue(refusal(badKey).getMessage().contains("tls.keyPath"));
    JsonObject noAllowList = config(IngressServer.freePort(), "required", new JsonArray());
    assertTrue(refusal(noAllowList).getMessage().contains("families.probe.allowedIdentities"));
    JsonObject noClientAuth = config(IngressServer.freePort(), "none", new JsonArray().add(SPIFFE));
    assertTrue(refusal(noClientAuth).getMessage().contains("families.probe.auth"));
  }

  private static JsonObject config(int port, String clientAuth, JsonArray allowed) {
    return new JsonObject()
        .put("tls", new JsonObject()
            .put("enabled", true)
            .put("port", port)
            .put("certPath", serverPem.cert().toString())
            .put("keyPath", serverPem.key().toString())
            .put("clientAuth", clientAuth)
            .put("clientCaPath", caPem.cert().toString())
            .put("reloadSeconds", 1))
        .put("families", new JsonObject().put("probe", new JsonObject()
            .put("enabled", true).put("auth", "mtls").put("allowedIdentities", allowed)));
  }

  private static ConfigException refusal(JsonObject json) {
    IngressConfig config = IngressConfig.read(ConfigNode.root(json, Map.of()));
    Vertx vertx = TestVertx.create(TestVertx.registry());
    try {
      return assertThrows(ConfigException.class, () -> Ingress.create(config, IngressServer.internalTokenEnv(), vertx, TestVertx.registry(),
          "postgresql://nobody@127.0.0.1:1/none", "redis://127.0.0.1:1/8",
          null));
    } finally {
      vertx.close().await();
    }
  }

  private static String auditedIdentity(Pem client) {
    String requestId = "tls-" + UUID.randomUUID();
    TlsResponse response = send(client, "/spi/probes/abc", true, requestId);
    assertEquals(200, response.status(), response.body());
    assertEquals(new JsonObject().put("name", "abc"), new JsonObject(response.body()));
    return CapturedLogs.auditOf(requestId).getString("identity");
  }

  private static TlsResponse get(Pem client, String path, boolean http2) {
    return send(client, path, http2, "tls-" + UUID.randomUUID());
  }

  /** Read here, on the test thread: a client given paths would read them on an event loop. */
  private static Buffer read(Path file) {
    try {
      return Buffer.buffer(Files.readAllBytes(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One request on a fresh client, so every call is a new handshake. */
  private static TlsResponse send(Pem client, String path, boolean http2, String requestId) {
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(read(caPem.cert())))
        .setUseAlpn(true)
        .setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(tlsPort);
    if (client != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertValue(read(client.cert())).setKeyValue(read(client.key())));
    }
    HttpClient http = server.vertx.createHttpClient(options);
    try {
      return http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path).putHeader("X-Request-Id", requestId))
          .compose(request -> request.send().compose(response -> response.body().map(body -> {
            BigInteger serial;
            try {
              serial = ((X509Certificate) request.connection().peerCertificates().get(0)).getSerialNumber();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            OpenApiContract.shipped().requireConforming(HttpMethod.GET, path, response.statusCode(), response.headers(),
                body.toString());
            return new TlsResponse(response.statusCode(), body.toString(), response.version(), serial);
          })))
          .await();
    } finally {
      http.close().await();
    }
  }
}
