package io.callbackingress.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The response checker itself: it must pass what the document says and catch each kind of breach. */
class OpenApiContractTest {

  private static final OpenApiContract CONTRACT = OpenApiContract.shipped();

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static MultiMap json(String... more) {
    return headers(more).add("Content-Type", "application/json").add("X-Request-Id", "r-1");
  }

  private static List<String> violations(HttpMethod method, String path, int status, MultiMap headers, String body) {
    return CONTRACT.violations(method, path, status, headers, body);
  }

  @Test
  void aConformingAnswerHasNoViolation() {
    assertEquals(List.of(), violations(HttpMethod.GET, "/health/live", 200, json(), "{\"status\":\"UP\"}"));
    assertEquals(List.of(), violations(HttpMethod.POST, "/spi/tooling_jobs", 201,
        json("RateLimit-Limit", "10", "RateLimit-Remaining", "9"), "{\"id\":\"job-1\",\"status\":\"pending\"}"));
  }

  @Test
  void anUndocumentedStatusIsAViolationNamingTheOperation() {
    List<String> violations = violations(HttpMethod.POST, "/spi/tooling_jobs", 418, json(), "{\"error\":\"teapot\"}");
    assertEquals(List.of("createToolingJob (POST /spi/tooling_jobs) answered 418, a status it does not document"),
        violations);
  }

  @Test
  void aBodyOutsideItsSchemaIsAViolationWithItsLocation() {
    List<String> violations = violations(HttpMethod.POST, "/spi/tooling_jobs", 201, json(),
        "{\"id\":\"job-1\",\"status\":\"exploded\"}");
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("createToolingJob (POST /spi/tooling_jobs) → 201: body /status: "),
        violations.get(0));
  }

  @Test
  void aMissingRequiredHeaderAndAHeaderOutOfItsSchemaAreViolations() {
    assertEquals(List.of("getLiveness (GET /health/live) → 200: required header X-Request-Id is missing"),
        violations(HttpMethod.GET, "/health/live", 200, headers("Content-Type", "application/json"), "{\"status\":\"UP\"}"));
    List<String> violations = violations(HttpMethod.GET, "/spi/tooling_jobs/x", 429,
        json("Retry-After", "0"), "{\"error\":\"Rate limit exceeded\"}");
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("header Retry-After '0'"), violations.get(0));
  }

  @Test
  void anUndocumentedMediaTypeOrAnEmptyBodyIsAViolation() {
    MultiMap text = headers("Content-Type", "text/plain", "X-Request-Id", "r-1");
    assertEquals(List.of("getLiveness (GET /health/live) → 200: Content-Type text/plain is not one of [application/json]"),
        violations(HttpMethod.GET, "/health/live", 200, text, "UP"));
    assertEquals(List.of("getLiveness (GET /health/live) → 200: an empty body where application/json is documented"),
        violations(HttpMethod.GET, "/health/live", 200, json(), ""));
  }

  @Test
  void literalPathsWinOverTemplatesAndUnknownPathsMustBeNotFound() {
    assertEquals("receiveGithubWebhook", CONTRACT.operation(HttpMethod.POST, "/spi/webhooks/github").orElseThrow().id());
    assertEquals("receiveStandardWebhook", CONTRACT.operation(HttpMethod.POST, "/spi/webhooks/acme").orElseThrow().id());
    assertEquals(List.of(), violations(HttpMethod.GET, "/nope", 404, json(), "{\"error\":\"Not found\"}"));
    assertEquals(List.of("GET /nope (an undocumented path) answered 200: only 404 is documented for it"),
        violations(HttpMethod.GET, "/nope", 200, json(), "{}"));
    assertEquals(List.of(), violations(HttpMethod.DELETE, "/spi/tooling_jobs/x", 405,
        json("Allow", "GET, PATCH"), "{\"error\":\"Method not allowed\"}"));
  }

  @Test
  void onlyTheTestOnlyProbeRoutesAreExempt() {
    assertEquals(List.of("GET /spi/probes/x (an undocumented path) answered 200: only 404 is documented for it"),
        violations(HttpMethod.GET, "/spi/probes/x", 200, json(), "{\"name\":\"x\"}"));
    CONTRACT.requireConforming(HttpMethod.GET, "/spi/probes/x", 200, json(), "{\"name\":\"x\"}");
    assertThrows(AssertionFailedError.class,
        () -> CONTRACT.requireConforming(HttpMethod.GET, "/spi/probe/x", 200, json(), "{\"name\":\"x\"}"));
  }

  @Test
  void pathsAreMatchedAsTheRouterSpellsThem() {
    assertEquals("/spi/test_runs", OpenApiContract.routed("//spi/./%74est_runs/"));
    assertEquals("/spi/tooling_jobs/a%2Fb", OpenApiContract.routed("/spi/x/../tooling_jobs/a%2Fb"));
    assertEquals("createTestRun", CONTRACT.operation(HttpMethod.POST, OpenApiContract.routed("/spi/test_runs/")).orElseThrow().id());
  }

  @Test
  void theTestClientFailsOnANonConformingAnswer() {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = vertx.createHttpServer()
          .requestHandler(request -> request.response()
              .putHeader("Content-Type", "application/json")
              .putHeader("X-Request-Id", "r-1")
              .end("{\"status\":\"SIDEWAYS\"}"))
          .listen(0, "127.0.0.1")
          .await();
      Http http = new Http(vertx, server.actualPort());
      AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> http.get("/health/live"));
      assertTrue(failure.getMessage().contains("getLiveness (GET /health/live) → 200: body /status"),
          failure.getMessage());
    } finally {
      vertx.close().await();
    }
  }
}
