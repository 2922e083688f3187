package io.callbackingress.support;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.callbackingress.config.Implementations;
import io.callbackingress.ops.OpenApiDocument;
import io.callbackingress.spi.EndpointFamily;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * The OpenAPI document served at {@code GET /openapi.json} as a checker of real answers: for a request's method and path and the response it got, the
 * violations of the document — a status the operation does not document, a required header missing
 * or a header out of its schema, a body in an undocumented media type or outside its schema.
 *
 * <p>Implementation notes: OpenAPI 3.1 schemas are JSON Schema 2020-12 with the OpenAPI dialect, so
 * bodies and headers are checked by networknt's validator with that dialect and format assertions
 * on, each against the schema at its JSON pointer inside the document (references resolve within
 * it). The OpenAPI objects around the schemas — paths, operations, responses, header objects — are
 * walked here, following {@code $ref}s to {@code components}. A path no operation documents must be
 * answered like an unknown route ({@code NotFound}), a documented path called with another method
 * like a wrong method ({@code MethodNotAllowed}).
 */
public final class OpenApiContract {

  /** Where the document is registered for the validator; any IRI would do, nothing is fetched. */
  private static final String DOCUMENT_IRI = "https://callback-ingress.invalid/openapi.json";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  /** A percent-escape of an unreserved character (RFC 3986 2.3), which means the character itself. */
  private static final Pattern UNRESERVED_ESCAPE = Pattern.compile("%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  /**
   * The one exemption: the routes of the {@link ProbeFamily}, which exists only in tests and so is
   * deliberately not documented (under the default SPI base path). (Answers to what a well-behaved
   * client cannot send are not checked either: {@link RawHttp} sends those, and its tests read them raw.)
   */
  private static final List<String> TEST_ONLY_ROUTES = List.of("/spi/probes");

  private static volatile OpenApiContract shipped;

  private final JsonObject document;
  private final List<Operation> operations;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  /** One documented operation: its path template as a pattern, and where it sits in the document. */
  public record Operation(String id, HttpMethod method, String template, Pattern path, String pointer) {
    boolean matches(HttpMethod method, String path) {
      return this.method.equals(method) && this.path.matcher(path).matches();
    }

    /** Literal paths win over templated ones (OpenAPI: concrete paths are matched first). */
    int parameters() {
      return template.split("\\{", -1).length - 1;
    }
  }

  private OpenApiContract(String json) {
    this.document = new JsonObject(json);
    this.operations = operations(document);
    this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
        .schemas(Map.of(DOCUMENT_IRI, json))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /**
   * The document a server assembles when every family on the test class path serves — the
   * built-in families' routes, as the shipped jar documents them by default; assembled once per JVM
   * by the server's own {@link OpenApiDocument}.
   */
  public static OpenApiContract shipped() {
    if (shipped == null) {
      synchronized (OpenApiContract.class) {
        if (shipped == null) {
          List<EndpointFamily> families = Implementations.all(EndpointFamily.class);
          shipped = new OpenApiContract(OpenApiDocument.assemble(families,
              families.stream().map(EndpointFamily::name).collect(Collectors.toSet())).encode());
        }
      }
    }
    return shipped;
  }

  /** The document a server serves, as read from it: for a server with routes of its own, such as a plugin's. */
  public static OpenApiContract of(String document) {
    return new OpenApiContract(document);
  }

  public List<Operation> operations() {
    return operations;
  }

  /** The documented operation for {@code method} and {@code path} (no query string), if any. */
  public Optional<Operation> operation(HttpMethod method, String path) {
    return operations.stream()
        .filter(operation -> operation.matches(method, path))
        .min(Comparator.comparingInt(Operation::parameters));
  }

  /**
   * What is wrong with an answer against the document; empty when it conforms. Each violation
   * names the operation, the status and what broke.
   */
  public List<String> violations(HttpMethod method, String pathAndQuery, int status, MultiMap headers, String body) {
    String path = routed(pathAndQuery.split("\\?", 2)[0]);
    Optional<Operation> operation = operation(method, path);
    if (operation.isPresent()) {
      return violations(operation.get().id() + " (" + method + " " + operation.get().template() + ")",
          response(operation.get().pointer() + "/responses", status), status, headers, body);
    }
    boolean pathRouted = operations.stream().anyMatch(candidate -> candidate.path().matcher(path).matches());
    String fallback = status == 405 && pathRouted ? "MethodNotAllowed" : status == 404 ? "NotFound" : null;
    String name = method + " " + path + (pathRouted ? " (a method the path does not document)" : " (an undocumented path)");
    if (fallback == null) {
      return List.of(name + " answered " + status + ": only " + (pathRouted ? "404 or 405" : "404")
          + " is documented for it");
    }
    return violations(name, Optional.of(resolve("#/components/responses/" + fallback)), status, headers, body);
  }

  /**
   * Fails (as a test assertion) when the answer does not conform, listing every violation; answers
   * of the test-only routes pass unchecked.
   */
  public void requireConforming(HttpMethod method, String pathAndQuery, int status, MultiMap headers, String body) {
    if (TEST_ONLY_ROUTES.stream().anyMatch(routed(pathAndQuery.split("\\?", 2)[0])::startsWith)) {
      return;
    }
    List<String> violations = violations(method, pathAndQuery, status, headers, body);
    if (!violations.isEmpty()) {
      throw new AssertionFailedError("the answer does not conform to openapi.json:\n  " + String.join("\n  ", violations));
    }
  }

  /** The same for an answer the JDK's client received, as the tests of the packaged jar use. */
  public HttpResponse<String> requireConforming(HttpResponse<String> response) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    response.headers().map().forEach(headers::add);
    requireConforming(HttpMethod.valueOf(response.request().method()), response.uri().getRawPath(),
        response.statusCode(), headers, response.body());
    return response;
  }

  private List<String> violations(String name, Optional<String> response, int status, MultiMap headers, String body) {
    if (response.isEmpty()) {
      return List.of(name + " answered " + status + ", a status it does not document");
    }
    String at = name + " → " + status + ": ";
    List<String> violations = new ArrayList<>();
    headerViolations(response.get(), headers, violation -> violations.add(at + violation));
    bodyViolations(response.get(), headers.get("Content-Type"), body, violation -> violations.add(at + violation));
    return violations;
  }

  /** Required headers present, and every documented header that is present within its schema. */
  private void headerViolations(String response, MultiMap headers, Consumer<String> violations) {
    for (String header : at(response).getJsonObject("headers", new JsonObject()).fieldNames()) {
      String pointer = resolve(response + "/headers/" + escape(header));
      String value = headers.get(header);
      if (value == null) {
        if (at(pointer).getBoolean("required", false)) {
          violations.accept("required header " + header + " is missing");
        }
      } else {
        textErrors(pointer + "/schema", value).forEach(error -> violations.accept("header " + header + " '" + value + "' " + error));
      }
    }
  }

  /** A body only where one is documented, in a documented media type, and a JSON body within its schema. */
  private void bodyViolations(String response, String contentType, String body, Consumer<String> violations) {
    JsonObject content = at(response).getJsonObject("content", new JsonObject());
    boolean empty = body == null || body.isEmpty();
    if (content.isEmpty()) {
      if (!empty) {
        violations.accept("a body where none is documented: " + abbreviated(body));
      }
      return;
    }
    Optional<String> mediaType = content.fieldNames().stream()
        .filter(documentedType -> sameMediaType(documentedType, contentType))
        .findFirst();
    if (mediaType.isEmpty()) {
      violations.accept("Content-Type " + contentType + " is not one of " + content.fieldNames());
    } else if (empty) {
      violations.accept("an empty body where " + mediaType.get() + " is documented");
    } else if (isJson(mediaType.get())) {
      schemaErrors(response + "/content/" + escape(mediaType.get()) + "/schema", body)
          .forEach(error -> violations.accept("body " + error + " in " + abbreviated(body)));
    }
  }

  /**
   * What is wrong with {@code instance} (JSON text) against the schema at {@code pointer}, each as
   * "instance location: message"; text that is not JSON is one violation.
   */
  List<String> schemaErrors(String pointer, String instance) {
    Schema schema = schemas.computeIfAbsent(pointer, at -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + fragment(at))));
    try {
      return schema.validate(instance, InputFormat.JSON).stream()
          .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
          .toList();
    } catch (RuntimeException notJson) {
      return List.of("is not JSON (" + notJson.getMessage().split("\n", 2)[0] + ")");
    }
  }

  /**
   * The path as the router matches it: unreserved characters percent-decoded, empty and dot
   * segments removed, no trailing slash — so {@code //spi/./%74est_runs/} is {@code /spi/test_runs}.
   */
  static String routed(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : UNRESERVED_ESCAPE.matcher(path).replaceAll(escape ->
        String.valueOf((char) Integer.parseInt(escape.group(1), 16))).split("/")) {
      if (segment.equals("..")) {
        segments.pollLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    return "/" + String.join("/", segments);
  }

  /** The response object documented for {@code status} under {@code responses}: exact, then {@code 4XX}, then default. */
  private Optional<String> response(String responses, int status) {
    JsonObject documented = at(responses);
    return List.of(String.valueOf(status), status / 100 + "XX", "default").stream()
        .filter(documented::containsKey)
        .findFirst()
        .map(key -> resolve(responses + "/" + key));
  }

  /**
   * What is wrong with a header or query value against the schema at {@code pointer}: the text is
   * read as the JSON its schema types it — numbers stay numbers, everything else is a string.
   */
  public List<String> textErrors(String pointer, String text) {
    String type = String.valueOf(at(resolve(pointer)).getValue("type"));
    boolean numeric = type.contains("integer") || type.contains("number");
    return schemaErrors(pointer, numeric && NUMBER.matcher(text).matches() ? text : Json.encode(text));
  }

  /** The object at {@code pointer}, following {@code $ref}s; empty when absent. */
  public JsonObject resolved(String pointer) {
    return at(resolve(pointer));
  }

  /** The pointer of the object at {@code pointer}, following {@code $ref}s (document-local only). */
  public String resolve(String pointer) {
    String at = pointer;
    for (Object ref = at(at).getValue("$ref"); ref != null; ref = at(at).getValue("$ref")) {
      at = ref.toString();
    }
    return at;
  }

  /** The object at {@code pointer} ({@code #/a/b~1c}); empty when absent. */
  private JsonObject at(String pointer) {
    Object node = document;
    for (String token : pointer.substring(pointer.indexOf('/') + 1).split("/")) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject object) {
        node = object.getValue(key);
      } else if (node instanceof JsonArray array && key.matches("[0-9]+") && Integer.parseInt(key) < array.size()) {
        node = array.getValue(Integer.parseInt(key));
      } else {
        return new JsonObject();
      }
    }
    return node instanceof JsonObject object ? object : new JsonObject();
  }

  private static List<Operation> operations(JsonObject document) {
    List<Operation> operations = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String template : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(template);
      Pattern path = Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
      for (String method : METHODS) {
        if (item.containsKey(method)) {
          operations.add(new Operation(item.getJsonObject(method).getString("operationId"),
              HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), template, path,
              "#/paths/" + escape(template) + "/" + method));
        }
      }
    }
    return List.copyOf(operations);
  }

  /** {@code token} as one segment of a JSON pointer. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** A JSON pointer as a URI fragment: percent-encoded where a fragment cannot hold the character. */
  private static String fragment(String pointer) {
    return pointer.chars()
        .mapToObj(c -> "{}; \"%".indexOf(c) >= 0 ? String.format("%%%02X", c) : String.valueOf((char) c))
        .collect(Collectors.joining());
  }

  private static boolean sameMediaType(String documented, String contentType) {
    return contentType != null && essence(documented).equals(essence(contentType));
  }

  private static String essence(String mediaType) {
    return mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  private static boolean isJson(String mediaType) {
    String essence = essence(mediaType);
    return essence.equals("application/json") || essence.endsWith("+json");
  }

  private static String abbreviated(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
