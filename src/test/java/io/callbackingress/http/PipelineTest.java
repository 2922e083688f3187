package io.callbackingress.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 2: every step of the shared pipeline, through a real server and real HTTP. */
class PipelineTest {

  private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("pipeline", new JsonObject()
        .put("http", new JsonObject().put("maxBodyBytes", 4096))
        .put("families", new JsonObject().put("probe", new JsonObject().put("enabled", true))), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anUnknownPathIsA404WithJsonAndARequestId() {
    Response response = http.get("/spi/nothing-here");
    assertEquals(404, response.status());
    assertEquals(new JsonObject().put("error", "Not found"), response.json());
    assertEquals("application/json", response.header("Content-Type"));
    assertTrue(response.header("X-Request-Id").matches(UUID_PATTERN));
  }

  @Test
  void aWrongMethodIsA405ListingTheAllowedOnes() {
    Response response = http.send(HttpMethod.DELETE, "/spi/probes", Map.of(), null);
    assertEquals(405, response.status());
    assertEquals(new JsonObject().put("error", "Method not allowed"), response.json());
    assertEquals("POST", response.header("Allow"));
    Response health = http.send(HttpMethod.POST, "/health/live", Map.of("Content-Type", "text/plain"), Buffer.buffer("x"));
    assertEquals(405, health.status());
    assertEquals("GET", health.header("Allow"));
  }

  @Test
  void aValidCallerRequestIdIsEchoedAndAnInvalidOneReplaced() {
    assertEquals("abc.DEF_1-2", http.get("/health/live", Map.of("X-Request-Id", "abc.DEF_1-2")).header("X-Request-Id"));
    String replaced = http.get("/health/live", Map.of("X-Request-Id", "has space")).header("X-Request-Id");
    assertTrue(replaced.matches(UUID_PATTERN), replaced);
    String tooLong = "x".repeat(129);
    assertNotEquals(tooLong, http.get("/health/live", Map.of("X-Request-Id", tooLong)).header("X-Request-Id"));
  }

  @Test
  void aBodyThatIsNotJsonContentIsA415() {
    Response response = http.send(HttpMethod.POST, "/spi/probes", Map.of("Content-Type", "text/plain"),
        Buffer.buffer("{\"probe\":{\"name\":\"abc\"}}"));
    assertEquals(415, response.status());
    assertEquals(new JsonObject().put("error", "Unsupported media type"), response.json());
  }

  @Test
  void aCharsetParameterIsAccepted() {
    Response response = http.send(HttpMethod.POST, "/spi/probes", Map.of("Content-Type", "application/json; charset=utf-8"),
        Buffer.buffer("{\"probe\":{\"name\":\"abc\"}}"));
    assertEquals(201, response.status());
    assertEquals(new JsonObject().put("name", "abc"), response.json());
  }

  @Test
  void malformedOrNonObjectJsonIsA400WithAShortReason() {
    for (String body : new String[] {"{\"probe\":", "{probe: 1}", "[]", "42", "", "{\"a\":1}}"}) {
      Response response = http.send(HttpMethod.POST, "/spi/probes", Map.of("Content-Type", "application/json"), Buffer.buffer(body));
      assertEquals(400, response.status(), body);
      String error = response.json().getString("error");
      assertTrue(error.startsWith("Malformed JSON: ") && error.length() < 200, error);
    }
  }

  @Test
  void aDeclaredLengthOverTheLimitIsA413() {
    Response response = http.send(HttpMethod.POST, "/spi/probes", Map.of("Content-Type", "application/json"),
        Buffer.buffer("{\"probe\":{\"name\":\"" + "a".repeat(5000) + "\"}}"));
    assertEquals(413, response.status());
    assertEquals(new JsonObject().put("error", "Payload too large"), response.json());
  }

  @Test
  void validationListsEveryFailingFieldByDottedPath() {
    Response response = http.post("/spi/probes", new JsonObject().put("probe", new JsonObject()
        .put("name", "UPPER")
        .put("items", new JsonArray().add(new JsonObject().put("status", "pass")).add(new JsonObject().put("status", "maybe")))));
    assertEquals(422, response.status());
    JsonObject errors = response.json().getJsonObject("errors");
    assertEquals(Map.of("probe.name", 1, "probe.items.1.status", 1).keySet(), errors.fieldNames());
    assertEquals(new JsonArray().add("must be 1 to 10 characters of a-z"), errors.getJsonArray("probe.name"));
  }

  @Test
  void aMissingRootObjectIsReportedUnderItsName() {
    Response response = http.post("/spi/probes", new JsonObject());
    assertEquals(422, response.status());
    assertEquals(new JsonArray().add("is required"), response.json().getJsonObject("errors").getJsonArray("probe"));
  }

  @Test
  void anUnexpectedFailureIsA500WithoutDetails() {
    Response response = http.get("/spi/probes/x/boom");
    assertEquals(500, response.status());
    assertEquals(new JsonObject().put("error", "Internal server error"), response.json());
    assertFalse(response.body().contains("secret"));
  }

  @Test
  void metricsLabelRequestsWithTheRouteTemplate() {
    http.get("/spi/probes/some-name");
    Response metrics = http.get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains(
        "spi_requests_total{endpoint=\"/spi/probes/:name\",family=\"probe\",method=\"GET\",status=\"200\"}"), metrics.body());
    assertFalse(metrics.body().contains("/spi/probes/some-name"));
  }
}
