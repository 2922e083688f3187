package io.callbackingress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.toolkit.Signatures;
import io.callbackingress.support.Http;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.JarReplica;
import io.callbackingress.support.JsonMessages;
import io.callbackingress.support.OpenApiContract;
import io.callbackingress.support.PluginJar;
import io.callbackingress.support.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC 12 and issues 12 and 21, end to end: a family (src/test/example-plugin, the README's example)
 * compiled against the SPI jar alone, as {@link PluginJar} compiles it, built into a jar of its own,
 * and run beside the shipped jar with {@code java -cp callback-ingress.jar:example-plugin.jar io.callbackingress.Main}:
 * its route, its validation, its table (from its own migration), its event on the live stream, its
 * webhook scheme, its config key checked like the core's, and its fragments in the assembled
 * documents: its route in {@code GET /openapi.json} (every answer here is held to the document the
 * server serves) and its key in the schema {@code --config-schema} prints.
 */
class ExamplePluginIT {

  private static final Path SOURCES = Path.of("src/test/example-plugin");
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  @TempDir
  static Path workDir;

  private static Path plugin;
  private static String database;
  private static int port;
  private static JarReplica ingress;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    plugin = PluginJar.build(SOURCES, workDir.resolve("example-plugin.jar"));
    database = TestServices.newDatabase("example_plugin");
    port = IngressServer.freePort();
    ingress = JarReplica.startWithPlugins("example", workDir.resolve("ingress"), port, config("{\"maxNameLength\":5}"),
        List.of(plugin));
    await("the ingress with the plugin ready")
        .atMost(START_LIMIT)
        .untilAsserted(() -> assertTrue(ready(), () -> "stderr: " + ingress.stderr()));
    http = new Http(port, OpenApiContract.of(new Http(port).get("/openapi.json").body()));
  }

  @AfterAll
  static void stop() {
    ingress.close();
  }

  private static String config(String greetings) {
    return "{\"http\":{\"port\":" + port + ",\"instances\":1},"
        + "\"postgres\":{\"uri\":\"" + database + "\"},\"redis\":{\"uri\":\"" + TestServices.newRedis() + "\"},"
        + "\"spool\":{\"dir\":\"" + workDir.resolve("spool") + "\"},"
        + "\"families\":{\"greetings\":" + greetings + "},"
        // The partner's secret: the one variable a JarReplica's environment holds.
        + "\"webhooks\":{\"sources\":{\"partner\":{\"scheme\":\"plain-hmac\",\"secretsEnv\":\"INGRESS_INTERNAL_AUTH_TOKENS\"}}}}";
  }

  private static boolean ready() {
    try {
      return new Http(port).get("/health/ready").status() == 200;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  @Test
  void itsRouteIsInTheServedOpenApiDocument() {
    JsonObject document = http.get("/openapi.json").json();

    JsonObject create = document.getJsonObject("paths").getJsonObject("/spi/greetings").getJsonObject("post");
    assertEquals("createGreeting", create.getString("operationId"));
    assertEquals("#/components/schemas/GreetingSubmission", create.getJsonObject("requestBody").getJsonObject("content")
        .getJsonObject("application/json").getJsonObject("schema").getString("$ref"));
    assertTrue(document.getJsonObject("components").getJsonObject("schemas").containsKey("GreetingSubmission"));
    assertTrue(document.getJsonObject("paths").containsKey("/spi/test_runs"), "the built-in families' routes beside it");
  }

  @Test
  void itsConfigKeyIsInTheSchemaTheJarPrintsWithThePluginOnTheClassPath() throws Exception {
    Process print = new ProcessBuilder("java", "-cp", System.getProperty("ingress.jar") + File.pathSeparator + plugin,
        "io.callbackingress.Main", "--config-schema")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String printed = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, print.waitFor());

    JsonObject greetings = new JsonObject(printed).getJsonObject("properties").getJsonObject("families")
        .getJsonObject("properties").getJsonObject("greetings").getJsonObject("properties");
    assertEquals(new JsonObject().put("description", "The longest name a greeting may carry, in characters.")
        .put("type", "integer").put("minimum", 1).put("maximum", 255).put("default", 40), greetings.getJsonObject("maxNameLength"));
    assertEquals(Set.of("enabled", "auth", "allowedIdentities", "maxNameLength"), greetings.fieldNames(),
        "the core's keys of every family beside the plugin's own");
  }

  @Test
  void thePluginsRouteStoresARowInItsOwnTable() throws Exception {
    Http.Response created = http.post("/spi/greetings", new JsonObject().put("greeting", new JsonObject().put("name", "ada")));

    assertEquals(201, created.status(), created.body() + ingress.errors());
    String id = created.json().getString("id");
    try (Connection sql = TestServices.jdbc(database);
         ResultSet row = sql.createStatement().executeQuery("SELECT name FROM greetings WHERE id = '" + id + "'")) {
      assertTrue(row.next(), "the row of " + id);
      assertEquals("ada", row.getString("name"));
    }
  }

  @Test
  void itsValidationAnswers422WithItsConfiguredRule() {
    Http.Response longest = http.post("/spi/greetings", new JsonObject().put("greeting", new JsonObject().put("name", "grace")));
    Http.Response tooLong = http.post("/spi/greetings", new JsonObject().put("greeting", new JsonObject().put("name", "adalovelace")));

    assertEquals(201, longest.status(), "5 characters, families.greetings.maxNameLength: " + longest.body());
    assertEquals(422, tooLong.status());
    assertEquals(new JsonObject().put("errors", new JsonObject().put("greeting.name",
        new JsonArray().add("must be 1 to 5 characters"))), tooLong.json());
  }

  @Test
  void itsEventReachesTheLiveStreamOnItsOwnChannel() throws Exception {
    BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    WebSocket socket;
    try {
      socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/spi/live"), new JsonMessages(messages))
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException refused) {
      // Audit lines are written a few milliseconds late: give the upgrade's a moment to appear.
      TimeUnit.MILLISECONDS.sleep(200);
      throw new AssertionError("the upgrade failed; the ingress logged: " + ingress.errors() + ingress.stdoutTail(), refused);
    }
    try {
      send(socket, new JsonObject().put("subscribe", "events"));
      assertEquals(new JsonObject().put("subscribed", "events"), messages.poll(10, TimeUnit.SECONDS));

      String id = http.post("/spi/greetings", new JsonObject().put("greeting", new JsonObject().put("name", "alan")))
          .json().getString("id");

      JsonObject event = messages.poll(10, TimeUnit.SECONDS);
      assertEquals("greeting.created", event.getString("type"), String.valueOf(event));
      assertEquals(id, event.getJsonObject("data").getString("id"));
      send(socket, new JsonObject().put("subscribe", "greeting." + id));
      assertEquals(new JsonObject().put("subscribed", "greeting." + id), messages.poll(10, TimeUnit.SECONDS),
          "the family's declared channel is one a client may subscribe to");
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  private static void send(WebSocket socket, JsonObject message) throws Exception {
    socket.sendText(message.encode(), true).get(5, TimeUnit.SECONDS);
  }

  @Test
  void itsWebhookSchemeVerifiesAConfiguredSource() {
    Buffer body = Buffer.buffer("{\"hello\":\"partner\"}");
    String signature = HexFormat.of().formatHex(Signatures.hmac(IngressServer.INTERNAL_TOKEN.getBytes(StandardCharsets.UTF_8),
        "", body));

    Http.Response forged = http.send(HttpMethod.POST, "/spi/webhooks/partner", delivery("00"), body);
    Http.Response accepted = http.send(HttpMethod.POST, "/spi/webhooks/partner", delivery(signature), body);

    assertEquals(401, forged.status());
    assertEquals(202, accepted.status(), accepted.body());
    assertEquals("accepted", accepted.json().getString("status"));
  }

  private static Map<String, String> delivery(String signature) {
    return Map.of("Content-Type", "application/json", "X-Signature", signature, "X-Event", "ping", "X-Delivery", "d-1");
  }

  @Test
  void aWrongValueOfItsConfigKeyStopsStartUpWithOneLineNamingIt() throws Exception {
    JarReplica refused = JarReplica.startWithPlugins("refused", workDir.resolve("refused"), IngressServer.freePort(),
        config("{\"maxNameLength\":\"long\"}"), List.of(plugin));
    try {
      assertEquals(2, refused.awaitExit(START_LIMIT));
      assertEquals(List.of("config: families.greetings.maxNameLength: expected an integer, got \"long\""), refused.stderr());
    } finally {
      refused.close();
    }
  }
}
