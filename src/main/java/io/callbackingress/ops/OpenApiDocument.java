package io.callbackingress.ops;

import io.callbackingress.json.JsonAssembly;
import io.callbackingress.spi.EndpointFamily;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The OpenAPI 3.1 document served at {@code GET /openapi.json} (SPEC 15), assembled once at
 * start-up: the core's part ({@code openapi.json} beside this class: the head, the operations
 * routes and the shared components) and each family's fragment ({@link EndpointFamily#openApi()}).
 *
 * <p>It describes the routes this process serves: an enabled family's paths and tags are in it, a
 * disabled family's (404) are not. Components are taken from every family on the class path, so
 * one family's paths may use another's schema (analytics answers test_runs' {@code TestRun}) whether
 * or not that other family serves.
 */
public final class OpenApiDocument {

  private static final String CORE = "the core";
  private static final List<String> COMPONENT_KINDS =
      List.of("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes");

  private OpenApiDocument() {}

  /**
   * @param present every family on the class path
   * @param enabled the names of those that serve
   */
  public static JsonObject assemble(List<EndpointFamily> present, Set<String> enabled) {
    JsonAssembly assembly = new JsonAssembly("openapi.json");
    JsonObject document = assembly.read(OpenApiDocument.class.getResource("openapi.json"), CORE);
    JsonObject paths = document.getJsonObject("paths");
    JsonArray tags = document.getJsonArray("tags");
    JsonObject components = document.getJsonObject("components");
    for (EndpointFamily family : present) {
      String owner = "family " + family.name();
      JsonObject fragment = assembly.read(family.openApi(), owner);
      JsonObject own = fragment.getJsonObject("components", new JsonObject());
      for (String kind : COMPONENT_KINDS) {
        JsonObject into = components.getJsonObject(kind);
        if (into == null) {
          into = new JsonObject();
          components.put(kind, into);
        }
        assembly.add(into, "components." + kind, own.getJsonObject(kind, new JsonObject()), owner, CORE);
      }
      if (enabled.contains(family.name())) {
        assembly.add(paths, "paths", fragment.getJsonObject("paths", new JsonObject()), owner, CORE);
        tags.addAll(fragment.getJsonArray("tags", new JsonArray()));
      }
    }
    components.fieldNames().removeIf(kind -> components.getJsonObject(kind).isEmpty());
    return document;
  }
}
