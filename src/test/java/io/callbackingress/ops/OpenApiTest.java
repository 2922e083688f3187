package io.callbackingress.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.http.Pipeline;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 15: the OpenAPI 3.1 document is served, valid, and describes exactly the routes there are. */
class OpenApiTest {

  private static IngressServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    server = IngressServer.start("openapi", new JsonObject(), Map.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theDocumentIsServedAsJsonAndAValidOpenApi31() {
    Response response = http.get("/openapi.json");
    assertEquals(200, response.status());
    assertEquals("application/json", response.header("Content-Type"));
    assertTrue(response.header("X-Request-Id") != null);
    assertTrue(response.json().getString("openapi").startsWith("3.1"), response.json().getString("openapi"));
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body(), null, options);
    assertEquals(List.of(), parsed.getMessages(), "the validator's findings");
    assertTrue(parsed.getOpenAPI() != null);
  }

  @Test
  void everyRouteIsDocumentedAndNothingElse() {
    Set<String> routed = Future.<Set<String>>future(promise -> server.vertx.getOrCreateContext().runOnContext(v -> {
      promise.complete(server.ingress.routesOn(server.vertx).stream()
          .map(Pipeline.Route::endpoint)
          .map(endpoint -> endpoint.method().name() + " " + endpoint.path().replaceAll(":([A-Za-z_]+)", "{$1}"))
          .collect(Collectors.toCollection(TreeSet::new)));
    })).await();
    JsonObject paths = http.get("/openapi.json").json().getJsonObject("paths");
    Set<String> documented = new TreeSet<>();
    paths.forEach(path -> ((JsonObject) path.getValue()).fieldNames().stream()
        .filter(method -> Set.of("get", "post", "put", "patch", "delete").contains(method))
        .forEach(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
    assertEquals(routed, documented);
  }
}
