package io.callbackingress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.EndpointFamily;
import io.callbackingress.support.ProbeFamily;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/config.schema.json} and the loader agree (issue 15), judged by the loader itself
 * rather than by a list copied from it.
 *
 * <p>Keys: every key the loader reads looks up its environment override first (SPEC 11), so an
 * environment that records the names it is asked for lists every key the loader knows, given a
 * configuration with an entry in each open-ended map. Types, bounds and enums: every key of the
 * schema is probed with a value of each JSON type, its bounds and one step past them, its enum
 * values, defaults and examples; the schema and the loader must accept or refuse each probe alike.
 */
class ConfigSchemaTest {

  private static final ConfigSchema SCHEMA = ConfigSchema.load();
  /** The loader's refusals that reveal what it allows (ConfigNode's messages). */
  private static final Pattern ONE_OF = Pattern.compile("must be one of \\[(.*)]");
  private static final Pattern BETWEEN = Pattern.compile("must be between (\\S+) and (\\S+),");

  /** Every key with a valid value, and one entry in each open-ended map, so that every branch of the loader runs. */
  private static final JsonObject EVERY_KEY = new JsonObject(ConfigTest.SPEC_REFERENCE).mergeIn(new JsonObject("""
      {
        "http": { "bodyTimeoutSeconds": 30 },
        "tls": { "certPath": "tls/server.crt", "keyPath": "tls/server.key", "clientCaPath": "tls/ca.crt" },
        "management": { "port": 9090, "basicAuth": { "username": "prometheus", "passwordEnv": "METRICS_PASSWORD" } },
        "families": { "partner_feed": { "enabled": false, "auth": "token", "allowedIdentities": ["spiffe://x/y"] } },
        "rateLimit": { "families": { "webhooks": { "capacity": 200, "refillPerSecond": 50 } } },
        "limits": { "maxBufferedBodyBytes": 268435456 },
        "retention": { "enabled": true, "familySeconds": { "test_runs": 2592000 } }
      }"""), true);

  /** The schema describes the product: the test class path's own families are no part of it. */
  private static final List<EndpointFamily> PRODUCT_FAMILIES = Implementations.all(EndpointFamily.class).stream()
      .filter(family -> !(family instanceof ProbeFamily))
      .toList();

  @Test
  void theCommittedSchemaIsWhatTheBuiltInFamiliesAssemble() throws IOException {
    assertEquals(ConfigSchemaDocument.assemble(PRODUCT_FAMILIES).encodePrettily() + "\n", Files.readString(ConfigSchema.FILE),
        ConfigSchema.FILE + " is assembled from the core's part and the families' config.schema.json fragments; regenerate it:"
            + " mvn -q package -DskipTests && java -jar target/callback-ingress.jar --config-schema > " + ConfigSchema.FILE);
  }

  @Test
  void theSchemaIsAValidDraft202012Schema() {
    assertEquals(List.of(), SCHEMA.metaSchemaErrors());
  }

  @Test
  void everyKeyTheLoaderReadsIsInTheSchemaAndNoOther() {
    Set<String> loaderKeys = keysTheLoaderReads(EVERY_KEY);
    Map<String, String> schemaKeys = SCHEMA.keys(EVERY_KEY).keySet().stream()
        .filter(key -> !key.equals("$schema"))
        .collect(Collectors.toMap(ConfigNode::envName, key -> key));

    Set<String> onlyInSchema = new TreeSet<>(schemaKeys.keySet());
    onlyInSchema.removeAll(loaderKeys);
    Set<String> onlyInLoader = new TreeSet<>(loaderKeys);
    onlyInLoader.removeAll(schemaKeys.keySet());
    assertEquals(Set.of(), onlyInSchema.stream().map(schemaKeys::get).collect(Collectors.toSet()),
        "keys the schema describes but the loader never reads");
    assertEquals(Set.of(), onlyInLoader, "keys the loader reads (by override name) that the schema lacks");
    assertTrue(loaderKeys.size() > 60, "the recording saw the whole loader: " + loaderKeys.size());
  }

  private static final String PLUGIN_NAME = "#/$defs/pluginName";

  @Test
  void theSchemaAndTheLoaderAcceptAndRefuseTheSameValues() {
    assertEquals(null, loaderRefusal(EVERY_KEY));
    assertEquals(Set.of(), SCHEMA.keysNamedBy(SCHEMA.errors(EVERY_KEY)));
    List<String> disagreements = new ArrayList<>();
    int probes = 0;
    for (Map.Entry<String, JsonObject> key : SCHEMA.keys(EVERY_KEY).entrySet()) {
      if (key.getKey().equals("$schema")) {
        continue;
      }
      Map<String, Object> values = new LinkedHashMap<>();
      Stream.concat(probes(key.getValue()).stream(), loaderProbes(key.getKey()).stream())
          .forEach(value -> values.putIfAbsent(encode(value), value));
      boolean pluginName = PLUGIN_NAME.equals(key.getValue().getString(ConfigSchema.RESOLVED_FROM));
      for (Object value : values.values()) {
        if (pluginName && value instanceof String) {
          // Which names exist depends on the class path: the schema cannot know a plugin's.
          continue;
        }
        probes++;
        JsonObject config = with(EVERY_KEY, key.getKey(), value);
        String loaderVerdict = loaderRefusal(config);
        boolean schemaAccepts = SCHEMA.accepts(config);
        if (schemaAccepts != (loaderVerdict == null)) {
          disagreements.add(key.getKey() + " = " + encode(value) + ": schema " + (schemaAccepts ? "accepts" : "refuses")
              + ", loader " + (loaderVerdict == null ? "accepts" : "refuses (" + loaderVerdict + ")"));
        }
      }
    }
    assertEquals(List.of(), disagreements);
    assertTrue(probes > 1000, "probed " + probes);
  }

  @Test
  void theSpecsReferenceConfigAndEveryShippedConfigValidate() throws IOException {
    assertEquals(Set.of(), SCHEMA.keysNamedBy(SCHEMA.errors(new JsonObject(ConfigTest.SPEC_REFERENCE))));
    assertEquals(Set.of(), SCHEMA.keysNamedBy(SCHEMA.errors(EVERY_KEY)));
    for (String shipped : List.of("conf/config.json", "conf/production.example.json")) {
      JsonObject config = new JsonObject(Files.readString(Path.of(shipped)));
      assertEquals("./config.schema.json", config.getString("$schema"), shipped + " points editors at the schema");
      assertEquals(Set.of(), SCHEMA.keysNamedBy(SCHEMA.errors(config)), shipped);
      ConfigLoader.load(new String[] {"-conf", shipped}, Map.of());
    }
  }

  /** Mistakes an operator makes; the loader's one line and the schema's errors name the same key. */
  @Test
  void aSampleOfRefusalsIsRefusedByBothNamingTheSameKey() {
    Map<String, String> refusals = Map.ofEntries(
        Map.entry("{\"http\":{\"prot\":8080}}", "http.prot"),
        Map.entry("{\"htp\":{}}", "htp"),
        Map.entry("{\"http\":{\"port\":70000}}", "http.port"),
        Map.entry("{\"http\":{\"port\":\"8080\"}}", "http.port"),
        Map.entry("{\"http\":{\"port\":null}}", "http.port"),
        Map.entry("{\"http\":{\"trustedProxies\":\"10.0.0.0/8\"}}", "http.trustedProxies"),
        Map.entry("{\"tls\":{\"enabled\":true,\"keyPath\":\"k.pem\"}}", "tls.certPath"),
        Map.entry("{\"tls\":{\"clientAuth\":\"required\"}}", "tls.clientCaPath"),
        Map.entry("{\"management\":{\"basicAuth\":{\"username\":\"prometheus\"}}}", "management.basicAuth.passwordEnv"),
        Map.entry("{\"spi\":{\"basePath\":\"spi/\"}}", "spi.basePath"),
        Map.entry("{\"families\":{\"tooling\":{\"enabeld\":false}}}", "families.tooling.enabeld"),
        Map.entry("{\"postgres\":{\"uri\":\"mysql://db/x\"}}", "postgres.uri"),
        Map.entry("{\"postgres\":{\"batch\":{\"maxRows\":0}}}", "postgres.batch.maxRows"),
        Map.entry("{\"redis\":{\"type\":\"replicated\"}}", "redis.type"),
        Map.entry("{\"rateLimit\":{\"onRedisFailure\":\"maybe\"}}", "rateLimit.onRedisFailure"),
        Map.entry("{\"rateLimit\":{\"default\":{\"refillPerSecond\":0}}}", "rateLimit.default.refillPerSecond"),
        Map.entry("{\"rateLimit\":{\"families\":{\"ai\":{\"capacity\":1.5}}}}", "rateLimit.families.ai.capacity"),
        Map.entry("{\"webhooks\":{\"sources\":{\"acme\":{\"scheme\":\"standard\"}}}}", "webhooks.sources.acme.secretsEnv"),
        Map.entry("{\"limits\":{\"maxInFlightWrites\":-1}}", "limits.maxInFlightWrites"),
        Map.entry("{\"retry\":{\"factor\":0.5}}", "retry.factor"),
        Map.entry("{\"shutdown\":{\"readinessDelaySeconds\":7200}}", "shutdown.readinessDelaySeconds"));
    refusals.forEach((json, key) -> {
      JsonObject config = new JsonObject(json);
      String loaderRefusal = loaderRefusal(config);
      assertTrue(loaderRefusal != null && loaderRefusal.startsWith("config: " + key + ": "), json + " → " + loaderRefusal);
      Set<String> schemaKeys = SCHEMA.keysNamedBy(SCHEMA.errors(config));
      assertTrue(schemaKeys.contains(key), json + " → schema names " + schemaKeys);
    });
  }

  @Test
  void theLoaderIgnoresTheSchemaReference(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"$schema\":\"./config.schema.json\",\"http\":{\"port\":8081}}");
    IngressConfig config = ConfigLoader.load(new String[] {"-conf", file.toString()}, Map.of());
    assertEquals(8081, config.http().port());

    Files.writeString(file, "{\"$schema\":{\"$ref\":\"x\"}}");
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(new String[] {"-conf", file.toString()}, Map.of()));
    assertEquals("config: $schema: expected a string: the location of the configuration's JSON Schema", refused.getMessage());
    assertFalse(SCHEMA.accepts(new JsonObject("{\"$schema\":{\"$ref\":\"x\"}}")));
  }

  /** The override names the loader asks for while reading {@code config}: one per key it knows. */
  private static Set<String> keysTheLoaderReads(JsonObject config) {
    Set<String> asked = new TreeSet<>();
    Map<String, String> recordingEnvironment = new AbstractMap<>() {
      @Override
      public Set<Entry<String, String>> entrySet() {
        return Set.of();
      }

      @Override
      public String get(Object name) {
        asked.add((String) name);
        return null;
      }
    };
    IngressConfig.read(ConfigNode.root(config.copy(), recordingEnvironment), PRODUCT_FAMILIES);
    return asked;
  }

  /** The loader's one-line refusal, or null when it accepts the configuration. */
  private static String loaderRefusal(JsonObject config) {
    try {
      IngressConfig.read(ConfigNode.root(config.copy(), Map.of()), PRODUCT_FAMILIES);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  /**
   * Values of every JSON type, then what the key's schema names: its bounds and the nearest values
   * past them, its enum and const values, its default and examples.
   */
  private static List<Object> probes(JsonObject schema) {
    List<Object> probes = new ArrayList<>(Arrays.asList("text", "", " ", 7, -1, 1.5, true, null,
        new JsonArray(), new JsonArray().add("text"), new JsonArray().add(7),
        new JsonObject(), new JsonObject().put("unknown", 1)));
    List<JsonObject> described = new ArrayList<>(List.of(schema));
    SCHEMA.alternatives(schema).map(SCHEMA::resolve).forEach(described::add);
    for (JsonObject s : described) {
      boundsProbes(s, probes);
      s.getJsonArray("enum", new JsonArray()).forEach(probes::add);
      s.getJsonArray("examples", new JsonArray()).forEach(probes::add);
      if (s.containsKey("const")) {
        probes.add(s.getValue("const"));
      }
      if (s.containsKey("default")) {
        probes.add(s.getValue("default"));
      }
    }
    return probes;
  }

  private static void boundsProbes(JsonObject schema, List<Object> probes) {
    boolean integer = schema.getValue("type") instanceof String type && type.equals("integer")
        || schema.getValue("type") instanceof JsonArray types && types.contains("integer");
    for (String bound : List.of("minimum", "maximum")) {
      if (schema.getValue(bound) instanceof Number value) {
        probes.addAll(aroundBound(value.toString(), integer, bound.equals("minimum") ? -1 : 1));
      }
    }
  }

  /**
   * What the loader itself says it allows: its refusal of a bogus string lists an enum's values,
   * and its refusal of a huge negative number its bounds.
   */
  private static List<Object> loaderProbes(String key) {
    List<Object> probes = new ArrayList<>();
    Matcher oneOf = ONE_OF.matcher(String.valueOf(loaderRefusal(with(EVERY_KEY, key, "bogus"))));
    if (oneOf.find()) {
      probes.addAll(Arrays.asList(oneOf.group(1).split(", ")));
    }
    Matcher between = BETWEEN.matcher(String.valueOf(loaderRefusal(with(EVERY_KEY, key, -1e300))));
    if (between.find()) {
      boolean integer = !between.group(1).contains(".");
      probes.addAll(aroundBound(between.group(1), integer, -1));
      probes.addAll(aroundBound(between.group(2), integer, 1));
    }
    return probes;
  }

  /** The bound itself and the nearest value past it, {@code outward} (-1 below a minimum, 1 above a maximum). */
  private static List<Object> aroundBound(String bound, boolean integer, int outward) {
    if (integer) {
      BigInteger value = new BigInteger(bound);
      return List.of(value, value.add(BigInteger.valueOf(outward)));
    }
    double value = new BigDecimal(bound).doubleValue();
    return List.of(value, outward < 0 ? Math.nextDown(value) : Math.nextUp(value));
  }

  private static JsonObject with(JsonObject config, String dottedKey, Object value) {
    JsonObject copy = config.copy();
    String[] path = dottedKey.split("\\.");
    JsonObject parent = copy;
    for (int i = 0; i < path.length - 1; i++) {
      parent = parent.getJsonObject(path[i]);
    }
    parent.put(path[path.length - 1], value);
    return copy;
  }

  private static String encode(Object value) {
    return new JsonArray().add(value).encode().replaceAll("^\\[|]$", "");
  }
}
