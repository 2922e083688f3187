package io.callbackingress.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.Ingress;
import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 4 {@code token}: X-Internal-Auth against a rotating list of long tokens. */
class TokenAuthProviderTest {

  private static final String CURRENT = "current-token-0123456789abcdefghij";
  private static final String NEXT = "next-token-0123456789abcdefghijklmn";
  /** The probe is the only token family: internal (token by default) is off, so refusals name the probe. */
  private static final JsonObject PROBE_WITH_TOKEN = new JsonObject().put("families", new JsonObject()
      .put("probe", new JsonObject().put("enabled", true).put("auth", "token"))
      .put("internal", new JsonObject().put("enabled", false)));

  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    CapturedLogs.clear();
    server = IngressServer.start("tokens", PROBE_WITH_TOKEN,
        Map.of("INGRESS_INTERNAL_AUTH_TOKENS", CURRENT + ", " + NEXT));
    http = server.http();
  }

  @AfterAll
  static void stop() {
    try {
      for (String line : CapturedLogs.lines()) {
        assertFalse(line.contains(CURRENT) || line.contains(NEXT) || line.contains("wrong-token"), line);
      }
    } finally {
      server.close();
    }
  }

  @Test
  void aRequestWithoutTheHeaderIsA401ThatSaysNothingMore() {
    Response response = http.get("/spi/probes/abc");
    assertEquals(401, response.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), response.json());
  }

  @Test
  void aWrongTokenIsA401AndNothingIsWritten() {
    Response get = http.get("/spi/probes/abc", Map.of("X-Internal-Auth", "wrong-token-0123456789abcdefghijkl"));
    assertEquals(401, get.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), get.json());
    Response prefix = http.get("/spi/probes/abc", Map.of("X-Internal-Auth", CURRENT.substring(0, 31)));
    assertEquals(401, prefix.status());
    Response post = http.post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", "abc")),
        Map.of("X-Internal-Auth", CURRENT + "x"));
    assertEquals(401, post.status());
  }

  @Test
  void theRightTokenIsLetThrough() {
    Response response = http.get("/spi/probes/abc", Map.of("X-Internal-Auth", CURRENT));
    assertEquals(200, response.status());
    assertEquals(new JsonObject().put("name", "abc"), response.json());
    Response created = http.post("/spi/probes", new JsonObject().put("probe", new JsonObject().put("name", "abc")),
        Map.of("X-Internal-Auth", CURRENT));
    assertEquals(201, created.status());
  }

  @Test
  void theSecondTokenOfARotationIsAcceptedToo() {
    Response response = http.get("/spi/probes/xyz", Map.of("X-Internal-Auth", NEXT));
    assertEquals(200, response.status());
    assertEquals(new JsonObject().put("name", "xyz"), response.json());
  }

  @Test
  void aShortTokenStopsStartUpNamingTheKeyWithoutTheToken() {
    ConfigException refused = refusal(Map.of("INGRESS_INTERNAL_AUTH_TOKENS", CURRENT + ",short-token"));
    assertTrue(refused.getMessage().contains("auth.tokensEnv"), refused.getMessage());
    assertFalse(refused.getMessage().contains("short-token"), refused.getMessage());
  }

  @Test
  void tokenAuthWithNoTokenStopsStartUp() {
    ConfigException refused = refusal(Map.of());
    assertTrue(refused.getMessage().contains("families.probe.auth"), refused.getMessage());
    assertTrue(refused.getMessage().contains("INGRESS_INTERNAL_AUTH_TOKENS"), refused.getMessage());
  }

  private static ConfigException refusal(Map<String, String> env) {
    IngressConfig config = IngressConfig.read(ConfigNode.root(PROBE_WITH_TOKEN, Map.of()));
    Vertx vertx = TestVertx.create(TestVertx.registry());
    try {
      return assertThrows(ConfigException.class, () -> Ingress.create(config, env, vertx, TestVertx.registry(),
          "postgresql://nobody@127.0.0.1:1/none", "redis://127.0.0.1:1/7",
          null));
    } finally {
      vertx.close().await();
    }
  }
}
