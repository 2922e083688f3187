package io.callbackingress;

import io.callbackingress.support.Hmac;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.OpenApiContract;
import io.callbackingress.support.OpenApiContract.Operation;
import io.callbackingress.support.SchemaValues;
import io.callbackingress.support.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.opentest4j.AssertionFailedError;

/**
 * A schema-driven fuzz of every operation of {@code openapi.json} against the packaged jar on a
 * fresh database: requests generated from the document — well-formed ones, and ones the document
 * says are wrong (a body its schema refuses, malformed JSON, another media type, a wrong token, a
 * forged signature, a required header left out, a bad query or Idempotency-Key) — and each answer checked: never a 5xx, a status
 * the operation documents with headers and body as documented, a refusal (4xx) for what is wrong,
 * and no bad-request refusal (400, 401, 415, 422) for what is well-formed.
 *
 * <p>Bounded by tries: {@code jqwik.tries.default} in {@code junit-platform.properties} keeps the
 * run in {@code mvn verify} short; {@code scripts/fuzz.sh TRIES} runs it longer. A failure prints
 * the request (shrunk), the answer and the seed; jqwik's database ({@code target/jqwik-database})
 * makes the next run try the failing case first. The statistics printed at the end show every
 * operation was reached and which statuses came back.
 */
class ContractFuzzIT {

  private static final OpenApiContract CONTRACT = OpenApiContract.shipped();
  private static final SchemaValues VALUES = new SchemaValues(CONTRACT);

  private static final String INTERNAL_TOKEN = "fuzz-internal-token-" + "0123456789abcdef".repeat(2);
  private static final String GITHUB_SECRET = "fuzz-github-secret";
  private static final String DISCOURSE_SECRET = "fuzz-discourse-secret";
  private static final String STRIPE_SECRET = "whsec_fuzz_payment_secret";
  private static final String STANDARD_SECRET = "whsec_" + Base64.getEncoder()
      .encodeToString("fuzz-standard-webhooks-key-32byte".getBytes(StandardCharsets.UTF_8));
  /**
   * The families with {@code auth: token} in the config the jar runs with (the default: only
   * {@code internal}). The document lists every mode for every family, since each is configurable.
   */
  private static final Set<String> TOKEN_FAMILIES = Set.of("internal");
  /** Headers the JDK's client sets itself and refuses from callers. */
  private static final Set<String> CLIENT_OWNED = Set.of("connection", "content-length", "expect", "host", "upgrade");
  /** Required headers that {@link #sign} sets over the final body, so never left out. */
  private static final Set<String> SIGNATURE_HEADERS = Set.of("X-Hub-Signature-256", "X-Discourse-Event-Signature",
      "Stripe-Signature", "webhook-timestamp", "webhook-signature");
  /** A few keys shared by many requests, so replays, reuse with another body and races all happen. */
  private static final List<String> IDEMPOTENCY_KEYS = List.of("fuzz-key-1", "fuzz-key-2", "fuzz-key-3");

  private static Path workDir;
  private static Process ingress;
  private static Http http;
  /** Path ids that exist, so reads and updates reach past 404: filled by {@link #seed()}. */
  private static final Map<String, List<String>> KNOWN_IDS = new LinkedHashMap<>();

  /** How the ingress must take a request; of the parts of one request, the last listed here wins. */
  enum Expect {
    /** Well-formed and authentic: not refused as malformed, unauthenticated or invalid. */
    WELL_FORMED,
    /** Well-formed, but its outcome hangs on what came before (a shared Idempotency-Key). */
    EITHER,
    /** Wrong by the document: refused with a 4xx. */
    REFUSED
  }

  /** One generated request. */
  record Call(Operation operation, Expect expect, String path, Map<String, String> headers, String body) {
    @Override
    public String toString() {
      return operation.method() + " " + path + " " + headers + (body == null ? "" : " " + abbreviated(body))
          + " (expected " + expect + ")";
    }
  }

  /** A request being put together from its generated parts. */
  private static final class Draft {
    final Operation operation;
    final Map<String, String> pathIds = new LinkedHashMap<>();
    final List<String> query = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    String body;
    Expect expect = Expect.WELL_FORMED;
    boolean forged;

    Draft(Operation operation) {
      this.operation = operation;
    }

    void expect(Expect what) {
      if (what.compareTo(expect) > 0) {
        expect = what;
      }
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    workDir = Files.createTempDirectory("contract-fuzz");
    int port = IngressServer.freePort();
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("port", port))
        .put("postgres", new JsonObject().put("uri", TestServices.newDatabase("contract_fuzz")))
        .put("redis", new JsonObject().put("uri", TestServices.newRedis()))
        .put("spool", new JsonObject().put("dir", workDir.resolve("spool").toString()))
        // The fuzz is about answers, not about the rate limiter: a bucket it never empties.
        .put("rateLimit", new JsonObject().put("default", new JsonObject().put("capacity", 1_000_000).put("refillPerSecond", 1_000_000)))
        .put("webhooks", new JsonObject().put("sources", new JsonObject()
            .put("acme", new JsonObject().put("scheme", "standard").put("secretsEnv", "FUZZ_ACME_SECRETS"))));
    Files.writeString(workDir.resolve("config.json"), config.encodePrettily());
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", System.getProperty("ingress.jar"), "-conf", "config.json")
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("ingress.log").toFile());
    builder.environment().putAll(Map.of(
        "INGRESS_INTERNAL_AUTH_TOKENS", INTERNAL_TOKEN,
        "INGRESS_GITHUB_WEBHOOK_SECRETS", GITHUB_SECRET,
        "INGRESS_DISCOURSE_WEBHOOK_SECRETS", DISCOURSE_SECRET,
        "INGRESS_PAYMENT_WEBHOOK_SECRETS", STRIPE_SECRET,
        "FUZZ_ACME_SECRETS", STANDARD_SECRET));
    ingress = builder.start();
    http = new Http(port);
    awaitReady();
    seed();
  }

  @AfterContainer
  static void stop() throws Exception {
    ingress.destroy();
    if (!ingress.waitFor(30, TimeUnit.SECONDS)) {
      ingress.destroyForcibly();
    }
  }

  /**
   * Edge cases off: jqwik would draw them from the first operations' arbitraries and crowd out the
   * rest; the generators' own small-first bias still reaches empty strings and bounds.
   */
  @Property(edgeCases = EdgeCasesMode.NONE)
  void everyAnswerIsDocumentedAndNoneIsA5xx(@ForAll("calls") Call call) {
    Response response;
    try {
      response = http.send(call.operation().method(), call.path(), call.headers(),
          call.body() == null ? null : Buffer.buffer(call.body()));
    } catch (AssertionFailedError nonConforming) {
      throw new AssertionFailedError(nonConforming.getMessage() + "\n  for " + call);
    }
    Statistics.label("operation").collect(call.operation().id());
    Statistics.label("operation").coverage(coverage -> CONTRACT.operations()
        .forEach(operation -> coverage.check(operation.id()).count(count -> count > 0)));
    Statistics.label("answer").collect(call.expect(), response.status());
    int status = response.status();
    if (status >= 500) {
      fail("a " + status, call, response);
    }
    if (call.expect() == Expect.REFUSED && (status < 400 || status >= 500)) {
      fail("a request the document says is wrong was answered " + status, call, response);
    }
    if (call.expect() == Expect.WELL_FORMED && Set.of(400, 401, 415, 422).contains(status)) {
      fail("a request the document says is well-formed was refused with " + status, call, response);
    }
  }

  @Provide
  Arbitrary<Call> calls() {
    return Arbitraries.oneOf(CONTRACT.operations().stream().map(ContractFuzzIT::calls).toList());
  }

  private static Arbitrary<Call> calls(Operation operation) {
    JsonObject described = CONTRACT.resolved(operation.pointer());
    List<Arbitrary<Consumer<Draft>>> parts = new ArrayList<>();
    for (String pointer : parameters(operation)) {
      JsonObject parameter = CONTRACT.resolved(pointer);
      parts.add(parameter(parameter.getString("in"), parameter.getString("name"), parameter.getBoolean("required", false),
          pointer + "/schema"));
    }
    if (described.containsKey("requestBody")) {
      parts.add(body(operation.pointer() + "/requestBody/content", described.getJsonObject("requestBody").getJsonObject("content")));
    }
    if (described.getJsonArray("tags", new JsonArray()).stream().anyMatch(TOKEN_FAMILIES::contains)) {
      parts.add(Arbitraries.frequencyOf(
          Tuple.of(9, Arbitraries.just(draft -> draft.headers.put("X-Internal-Auth", INTERNAL_TOKEN))),
          Tuple.of(1, Arbitraries.just(draft -> {
            draft.headers.put("X-Internal-Auth", "not-the-" + INTERNAL_TOKEN);
            draft.expect(Expect.REFUSED);
          }))));
    }
    parts.add(Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(draft -> { })),
        Tuple.of(1, Arbitraries.just(draft -> draft.forged = true))));
    return Combinators.combine(parts).as(setters -> {
      Draft draft = new Draft(operation);
      setters.forEach(set -> set.accept(draft));
      return finish(draft);
    });
  }

  /** Pointers to the operation's parameters: its path item's, then its own. */
  private static List<String> parameters(Operation operation) {
    String item = operation.pointer().substring(0, operation.pointer().lastIndexOf('/'));
    List<String> pointers = new ArrayList<>();
    for (String owner : List.of(item, operation.pointer())) {
      JsonArray parameters = CONTRACT.resolved(owner).getJsonArray("parameters", new JsonArray());
      for (int i = 0; i < parameters.size(); i++) {
        pointers.add(CONTRACT.resolve(owner + "/parameters/" + i));
      }
    }
    return pointers;
  }

  private static Arbitrary<Consumer<Draft>> parameter(String in, String name, boolean required, String schema) {
    return switch (in) {
      case "path" -> Arbitraries.frequencyOf(
              Tuple.of(3, Arbitraries.of(KNOWN_IDS.getOrDefault(name, List.of("unknown")))),
              Tuple.of(3, VALUES.valid(schema).map(value -> encode(String.valueOf(value)))),
              // Over 255 bytes, a NUL, non-ASCII: each documented as a 404 or an unknown id.
              Tuple.of(1, Arbitraries.of("x".repeat(300), "a%00b", "%C3%A9t%C3%A9")))
          .map(value -> draft -> draft.pathIds.put(name, value));
      case "query" -> Arbitraries.frequencyOf(
          Tuple.of(2, Arbitraries.just(draft -> { })),
          Tuple.of(2, VALUES.validText(schema).map(value -> draft -> draft.query.add(name + "=" + encode(value)))),
          Tuple.of(1, Arbitraries.of("abc", "-1", "0", "1001", "99999999999999999999", "")
              .filter(value -> !CONTRACT.textErrors(schema, value).isEmpty())
              .map(value -> draft -> {
                draft.query.add(name + "=" + encode(value));
                draft.expect(Expect.REFUSED);
              })));
      case "header" -> header(name, required, schema);
      default -> throw new IllegalStateException("a parameter in " + in);
    };
  }

  private static Arbitrary<Consumer<Draft>> header(String name, boolean required, String schema) {
    if (CLIENT_OWNED.contains(name.toLowerCase())) {
      // Cannot be sent: without a required one, the request is wrong by the document.
      return Arbitraries.just(draft -> draft.expect(required ? Expect.REFUSED : Expect.WELL_FORMED));
    }
    Arbitrary<Consumer<Draft>> valid = VALUES.validText(schema).map(value -> draft -> draft.headers.put(name, value));
    if (name.equals("Idempotency-Key")) {
      return Arbitraries.frequencyOf(
          Tuple.of(6, Arbitraries.just(draft -> { })),
          Tuple.of(2, Arbitraries.of(IDEMPOTENCY_KEYS).map(key -> draft -> {
            draft.headers.put(name, key);
            draft.expect(Expect.EITHER);
          })),
          Tuple.of(1, Arbitraries.just(draft -> {
            draft.headers.put(name, "k".repeat(256));
            draft.expect(Expect.REFUSED);
          })));
    }
    if (!required) {
      return Arbitraries.oneOf(valid, Arbitraries.just(draft -> { }));
    }
    return SIGNATURE_HEADERS.contains(name) ? valid : Arbitraries.frequencyOf(
        Tuple.of(9, valid),
        Tuple.of(1, Arbitraries.just(draft -> draft.expect(Expect.REFUSED))));
  }

  /** The body in one of the documented media types: valid, refused by its schema, malformed, or in another media type. */
  private static Arbitrary<Consumer<Draft>> body(String contentPointer, JsonObject content) {
    List<Arbitrary<Consumer<Draft>>> bodies = new ArrayList<>();
    for (String mediaType : content.fieldNames()) {
      String schema = contentPointer + "/" + OpenApiContract.escape(mediaType) + "/schema";
      if (mediaType.equals("application/x-www-form-urlencoded")) {
        // The form's one field holds a JSON object (the schema can only say "a string"): sent as such.
        bodies.add(VALUES.valid(contentPointer + "/application~1json/schema")
            .map(json -> draft -> withBody(draft, mediaType, "payload=" + encode(Json.encode(json)), Expect.WELL_FORMED)));
        continue;
      }
      bodies.add(Arbitraries.frequencyOf(
          Tuple.of(6, VALUES.valid(schema).map(json -> draft -> withBody(draft, mediaType, Json.encode(json), Expect.WELL_FORMED))),
          Tuple.of(3, VALUES.invalid(schema).map(json -> draft -> withBody(draft, mediaType, Json.encode(json), Expect.REFUSED))),
          Tuple.of(1, Arbitraries.of("{\"a\":", "", "nul", "{\"a\":1}}").map(text -> draft ->
              withBody(draft, mediaType, text, Expect.REFUSED))),
          Tuple.of(1, VALUES.valid(schema).map(json -> draft -> withBody(draft, "text/plain", Json.encode(json), Expect.REFUSED)))));
    }
    return Arbitraries.oneOf(bodies);
  }

  private static void withBody(Draft draft, String mediaType, String body, Expect expect) {
    draft.headers.put("Content-Type", mediaType);
    draft.body = body;
    draft.expect(expect);
  }

  /** The path filled in, and for webhooks the signature the source's secret gives over the final body. */
  private static Call finish(Draft draft) {
    Operation operation = draft.operation;
    String path = operation.template();
    for (Map.Entry<String, String> id : draft.pathIds.entrySet()) {
      path = path.replace("{" + id.getKey() + "}", id.getValue());
    }
    if (!draft.query.isEmpty()) {
      path += "?" + String.join("&", draft.query);
    }
    if (sign(draft, operation.id()) && draft.forged) {
      draft.expect(Expect.REFUSED);
    }
    return new Call(operation, draft.expect, path, Map.copyOf(draft.headers), draft.body);
  }

  /** Signs a webhook as its source would (with a wrong secret when forged); false for other operations. */
  private static boolean sign(Draft draft, String operationId) {
    String body = draft.body == null ? "" : draft.body;
    String forgery = draft.forged ? "forged-" : "";
    switch (operationId) {
      case "receiveGithubWebhook" -> draft.headers.put("X-Hub-Signature-256", "sha256=" + hex(forgery + GITHUB_SECRET, body));
      case "receiveDiscourseWebhook" ->
          draft.headers.put("X-Discourse-Event-Signature", "sha256=" + hex(forgery + DISCOURSE_SECRET, body));
      case "receivePaymentProcessorWebhook" -> {
        long now = Instant.now().getEpochSecond();
        draft.headers.put("Stripe-Signature", "t=" + now + ",v1=" + hex(forgery + STRIPE_SECRET, now + "." + body));
      }
      case "receiveStandardWebhook" -> {
        long now = Instant.now().getEpochSecond();
        byte[] key = Base64.getDecoder().decode(STANDARD_SECRET.substring("whsec_".length()));
        if (draft.forged) {
          key[0] ^= 1;
        }
        String id = draft.headers.get("webhook-id");
        draft.headers.put("webhook-timestamp", Long.toString(now));
        draft.headers.put("webhook-signature",
            "v1," + Base64.getEncoder().encodeToString(Hmac.sha256(key, id + "." + now + "." + body)));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** What the fuzz reads and updates: one object of each kind, created through the API itself. */
  private static void seed() {
    String job = "fuzz-job";
    post("/spi/tooling_jobs", new JsonObject().put("tooling_job", new JsonObject().put("id", job).put("kind", "lint")));
    String run = post("/spi/test_runs", new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", "fuzz-submission").put("track_slug", "go").put("exercise_slug", "hello")
        .put("user_handle", "fuzzer").put("status", "pass"))).getString("id");
    post("/spi/video_production/nodes", new JsonObject()
        .put("node_uuid", "fuzz-node").put("executor_type", "render").put("process_uuid", "fuzz-process"));
    post("/spi/ai_analysis", new JsonObject().put("ai_analysis", new JsonObject().put("submission_uuid", "fuzz-submission")
        .put("track_slug", "go").put("exercise_slug", "hello").put("patterns", new JsonArray().add("loops"))));
    KNOWN_IDS.putAll(Map.of(
        "id", List.of(job, run),
        "node_uuid", List.of("fuzz-node"),
        "track_slug", List.of("go"),
        "exercise_slug", List.of("hello"),
        "user_handle", List.of("fuzzer"),
        "track_id", List.of("go"),
        "source", List.of("acme")));
  }

  private static JsonObject post(String path, JsonObject body) {
    Response response = http.post(path, body);
    if (response.status() >= 300) {
      throw new IllegalStateException("seeding " + path + " answered " + response.status() + " " + response.body());
    }
    return response.json();
  }

  private static void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && ingress.isAlive()) {
      try {
        if (http.get("/health/ready").status() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the jar did not become ready: " + log());
  }

  private static void fail(String what, Call call, Response response) {
    throw new AssertionFailedError(what + "\n  request: " + call + "\n  answer: " + response.status() + " "
        + response.headers().entries().stream().map(Map.Entry::toString).collect(Collectors.joining(", "))
        + " " + abbreviated(response.body()));
  }

  private static String hex(String secret, String message) {
    return HexFormat.of().formatHex(Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8), message));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviated(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "...";
  }

  private static String log() {
    try {
      return Files.readString(workDir.resolve("ingress.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
