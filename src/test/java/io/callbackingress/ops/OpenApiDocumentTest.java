package io.callbackingress.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.Implementations;
import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code GET /openapi.json} is put together from the core's part and the families' fragments. */
class OpenApiDocumentTest {

  private static final List<EndpointFamily> FAMILIES = Implementations.all(EndpointFamily.class);

  /** A family whose fragment is a file of the test's. */
  record Fragmented(String name, URL openApi) implements EndpointFamily {
    @Override
    public List<Endpoint> endpoints(FamilyContext context) {
      return List.of();
    }
  }

  @Test
  void aDisabledFamilysRoutesAndTagAreLeftOutWhileItsSchemasStayForOthersToUse() {
    Set<String> enabled = FAMILIES.stream().map(EndpointFamily::name).filter(name -> !name.equals("test_runs"))
        .collect(Collectors.toSet());

    JsonObject document = OpenApiDocument.assemble(FAMILIES, enabled);

    JsonObject paths = document.getJsonObject("paths");
    assertFalse(paths.containsKey("/spi/test_runs"));
    assertFalse(paths.containsKey("/spi/test_runs/{id}"));
    assertTrue(paths.containsKey("/spi/solution_image_data/{track_slug}/{exercise_slug}/{user_handle}"));
    assertTrue(paths.containsKey("/openapi.json"), "the core's own routes");
    assertFalse(document.getJsonArray("tags").stream().anyMatch(tag -> ((JsonObject) tag).getString("name").equals("test_runs")));
    assertTrue(document.getJsonObject("components").getJsonObject("schemas").containsKey("TestRun"),
        "analytics' answer refers to test_runs' TestRun");
  }

  @Test
  void twoFamiliesDocumentingOnePathDifferentlyStopStartUpNamingBoth(@TempDir Path dir) throws IOException {
    EndpointFamily first = new Fragmented("first", fragment(dir, "first", "Store one"));
    EndpointFamily second = new Fragmented("second", fragment(dir, "second", "Store another"));

    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(List.of(first, second), Set.of("first", "second")));

    assertEquals("openapi.json: paths /spi/things is defined by both family first and family second", refused.getMessage());
  }

  @Test
  void aFamilysPathThatTheCoreDocumentsIsRefusedNamingTheCore(@TempDir Path dir) throws IOException {
    Path fragment = Files.writeString(dir.resolve("metrics.json"),
        "{\"paths\":{\"/metrics\":{\"get\":{\"operationId\":\"mine\",\"responses\":{}}}}}");
    EndpointFamily family = new Fragmented("metrics", fragment.toUri().toURL());

    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.assemble(List.of(family), Set.of("metrics")));

    assertEquals("openapi.json: paths /metrics is defined by both the core and family metrics", refused.getMessage());
  }

  private static URL fragment(Path dir, String name, String summary) throws IOException {
    return Files.writeString(dir.resolve(name + ".json"), new JsonObject()
        .put("paths", new JsonObject().put("/spi/things", new JsonObject().put("post", new JsonObject()
            .put("operationId", name).put("summary", summary).put("responses", new JsonObject()))))
        .encode()).toUri().toURL();
  }
}
