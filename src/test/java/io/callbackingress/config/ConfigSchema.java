package io.callbackingress.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code conf/config.schema.json} as a validator (networknt, draft 2020-12) and as a tree to walk:
 * which keys it describes and what it says of each.
 */
final class ConfigSchema {

  static final Path FILE = Path.of("conf/config.schema.json");
  private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  final JsonObject root;
  private final Schema validator;

  private ConfigSchema(String text) {
    this.root = new JsonObject(text);
    this.validator = REGISTRY.getSchema(text, InputFormat.JSON);
  }

  static ConfigSchema load() {
    try {
      return new ConfigSchema(Files.readString(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema's own errors against the draft 2020-12 meta-schema, which networknt ships. */
  List<String> metaSchemaErrors() {
    return REGISTRY.getSchema(SchemaLocation.of(DRAFT)).validate(root.encode(), InputFormat.JSON).stream()
        .map(Error::toString)
        .toList();
  }

  List<Error> errors(JsonObject config) {
    return validator.validate(config.encode(), InputFormat.JSON);
  }

  boolean accepts(JsonObject config) {
    return errors(config).isEmpty();
  }

  /**
   * The dotted keys the errors point at: the value that is wrong, or the key that is unknown or
   * missing under its object.
   */
  Set<String> keysNamedBy(List<Error> errors) {
    Set<String> keys = new TreeSet<>();
    for (Error error : errors) {
      String at = dotted(error.getInstanceLocation());
      keys.add(error.getProperty() == null ? at : (at.isEmpty() ? "" : at + ".") + error.getProperty());
    }
    return keys;
  }

  private static String dotted(NodePath path) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < path.getNameCount(); i++) {
      names.add(path.getName(i));
    }
    return String.join(".", names);
  }

  /**
   * Every key the schema describes, dotted, with its (resolved) schema. Open-ended maps
   * ({@code families}, {@code webhooks.sources}) contribute the names {@code example} holds.
   */
  Map<String, JsonObject> keys(JsonObject example) {
    Map<String, JsonObject> keys = new LinkedHashMap<>();
    collect(root, example, "", keys);
    return keys;
  }

  private void collect(JsonObject schema, JsonObject example, String path, Map<String, JsonObject> keys) {
    JsonObject object = objectBranch(resolve(schema));
    if (object == null) {
      return;
    }
    JsonObject properties = object.getJsonObject("properties", new JsonObject());
    Set<String> names = new TreeSet<>(properties.fieldNames());
    Object additional = object.getValue("additionalProperties");
    if (additional instanceof JsonObject && example != null) {
      names.addAll(example.fieldNames());
    }
    for (String name : names) {
      JsonObject child = resolve(properties.containsKey(name) ? properties.getJsonObject(name) : (JsonObject) additional);
      String childPath = path.isEmpty() ? name : path + "." + name;
      keys.put(childPath, child);
      collect(child, example != null && example.getValue(name) instanceof JsonObject o ? o : null, childPath, keys);
    }
  }

  /** The object-shaped alternative of a key that may also be null, as {@code management.basicAuth}. */
  private JsonObject objectBranch(JsonObject schema) {
    if (schema.containsKey("properties") || schema.getValue("additionalProperties") instanceof JsonObject) {
      return schema;
    }
    return alternatives(schema)
        .map(this::resolve)
        .filter(branch -> "object".equals(branch.getValue("type")))
        .findFirst()
        .orElse(null);
  }

  /** {@code $ref} to {@code #/$defs/...} resolved, with the referring schema's own keywords kept beside. */
  /** Where {@link #resolve} found a node's definition: a mark for tests, not a schema keyword. */
  static final String RESOLVED_FROM = "resolvedFrom";

  JsonObject resolve(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    JsonObject target = root.getJsonObject("$defs").getJsonObject(ref.substring("#/$defs/".length()));
    JsonObject merged = resolve(target).copy();
    schema.forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
    merged.remove("$ref");
    merged.put(RESOLVED_FROM, ref);
    return merged;
  }

  Stream<JsonObject> alternatives(JsonObject schema) {
    return Stream.of("anyOf", "oneOf")
        .map(keyword -> schema.getJsonArray(keyword, new JsonArray()))
        .flatMap(JsonArray::stream)
        .map(JsonObject.class::cast);
  }
}
