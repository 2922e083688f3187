package io.callbackingress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.callbackingress.spi.Endpoint;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.spi.FamilyContext;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the configuration's schema is put together from the core's part and a family's fragment. */
class ConfigSchemaDocumentTest {

  private static final String OWN_KEYS = """
      {"properties": {"maxThings": {"type": "integer", "minimum": 1, "maximum": 9, "default": 3}}}""";

  /** A family with keys of its own, in its own section or in one it names. */
  record Keyed(String name, String configSection, URL configSchema, String defaultAuth) implements EndpointFamily {
    @Override
    public List<Endpoint> endpoints(FamilyContext context) {
      return List.of();
    }
  }

  @Test
  void aFamilysOwnKeysSitBesideTheCoresWithTheFamilysDefaults(@TempDir Path dir) throws IOException {
    EndpointFamily things = new Keyed("things", "families.things", fragment(dir, OWN_KEYS), "token");

    JsonObject schema = ConfigSchemaDocument.assemble(List.of(things));

    JsonObject keys = schema.getJsonObject("properties").getJsonObject("families").getJsonObject("properties")
        .getJsonObject("things").getJsonObject("properties");
    assertEquals(List.of("enabled", "auth", "allowedIdentities", "maxThings"), List.copyOf(keys.fieldNames()));
    assertEquals("token", keys.getJsonObject("auth").getString("default"));
    assertEquals(new JsonObject(OWN_KEYS).getJsonObject("properties").getJsonObject("maxThings"), keys.getJsonObject("maxThings"));
    assertFalse(schema.getJsonObject("properties").getJsonObject("retention").getJsonObject("properties")
        .getJsonObject("familySeconds").getJsonObject("properties").containsKey("things"), "it retains no tables");
  }

  @Test
  void aSectionOfItsOwnIsATopLevelKeyAndTheFamilyKeepsTheCoresKeys(@TempDir Path dir) throws IOException {
    EndpointFamily things = new Keyed("things", "things", fragment(dir, OWN_KEYS), "none");

    JsonObject properties = ConfigSchemaDocument.assemble(List.of(things)).getJsonObject("properties");

    assertEquals(new JsonObject(OWN_KEYS), properties.getJsonObject("things"));
    assertEquals(new JsonObject().put("$ref", "#/$defs/family"),
        properties.getJsonObject("families").getJsonObject("properties").getJsonObject("things"));
  }

  @Test
  void aSectionTheCoreHoldsIsRefusedNamingTheFamily(@TempDir Path dir) throws IOException {
    EndpointFamily things = new Keyed("things", "http", fragment(dir, OWN_KEYS), "none");

    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> ConfigSchemaDocument.assemble(List.of(things)));

    assertEquals("config.schema.json: properties http is defined by both the core and family things", refused.getMessage());
  }

  private static URL fragment(Path dir, String json) throws IOException {
    return Files.writeString(dir.resolve("config.schema.json"), json).toUri().toURL();
  }
}
