package io.callbackingress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.support.EdgeBiasedRandom;
import io.callbackingress.support.Hmac;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.OpenApiContract;
import io.callbackingress.support.OpenApiContract.Operation;
import io.callbackingress.support.SchemaValues;
import io.callbackingress.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URLEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;

/**
 * A schema-driven fuzz of every operation of {@code openapi.json} against the packaged jar on a
 * fresh database: requests generated from the document — well-formed ones, and ones the document
 * says are wrong (a body its schema refuses, malformed JSON, another media type, a wrong token, a
 * forged signature, a required header left out, a bad query or Idempotency-Key) — and each answer
 * checked: never a 5xx, a status the operation documents with headers and body as documented, a
 * refusal (4xx) for what is wrong, and no bad-request refusal (400, 401, 415, 422) for what is
 * well-formed. A few Idempotency-Keys are shared by many requests, and some requests are sent
 * together, so replays, reuse with another body and races all happen.
 *
 * <p>Bounded by tries: {@code -Dfuzz.tries} (default {@value #DEFAULT_TRIES}) keeps the run in
 * {@code mvn verify} short; {@code scripts/fuzz.sh TRIES} runs it longer. Reproducible: every
 * request is drawn from one seed ({@link EdgeBiasedRandom}), random unless {@code -Dfuzz.seed=N}
 * is given, printed at the start and in every failure, which also prints the request and the
 * answer; {@value #REQUESTS_LOG} lists every request of the last run with its status. The
 * statistics printed at the end show which operations were reached and which statuses came back,
 * and the run fails if an operation of the document was never reached.
 */
class ContractFuzzIT {

  /** About 30 s of requests in {@code mvn verify}, enough to reach every operation with a wide margin. */
  private static final int DEFAULT_TRIES = 400;
  private static final int TRIES = Integer.getInteger("fuzz.tries", DEFAULT_TRIES);
  private static final long SEED = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
  private static final String REQUESTS_LOG = "target/contract-fuzz-requests.log";
  /** One round in this many sends two to four requests at once, so requests sharing a key race. */
  private static final int BURST_ONE_IN = 10;

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
  /** Query values of which at least one breaks each query parameter's schema. */
  private static final List<String> BAD_QUERY_VALUES = List.of("abc", "-1", "0", "1001", "99999999999999999999", "");
  private static final List<String> MALFORMED_JSON = List.of("{\"a\":", "", "nul", "{\"a\":1}}");
  /** Over 255 bytes, a NUL, non-ASCII: each documented as a 404 or an unknown id. */
  private static final List<String> ODD_PATH_IDS = List.of("x".repeat(300), "a%00b", "%C3%A9t%C3%A9");

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
      return operation.method() + " " + path + " " + new TreeMap<>(headers) + (body == null ? "" : " " + abbreviated(body))
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

  @BeforeAll
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

  @AfterAll
  static void stop() throws Exception {
    ingress.destroy();
    if (!ingress.waitFor(30, TimeUnit.SECONDS)) {
      ingress.destroyForcibly();
    }
  }

  @Test
  // The run lasts as long as fuzz.tries asks (hours under scripts/fuzz.sh); a stuck request fails it on Http's own deadline.
  @Timeout(value = 24, unit = TimeUnit.HOURS)
  void everyAnswerIsDocumentedAndNoneIsA5xx() throws IOException {
    System.out.println("ContractFuzzIT: " + TRIES + " requests from seed " + SEED + " (-Dfuzz.seed=" + SEED
        + " replays them); the requests are listed in " + REQUESTS_LOG);
    EdgeBiasedRandom random = new EdgeBiasedRandom(SEED);
    Statistics statistics = new Statistics();
    try (BufferedWriter log = requestsLog()) {
      for (int sent = 0; sent < TRIES; ) {
        int together = Math.min(TRIES - sent, random.oneIn(BURST_ONE_IN) ? 2 + random.below(3) : 1);
        try {
          sendTogether(together, random, sent, log, statistics);
        } catch (AssertionError | RuntimeException failure) {
          throw new AssertionFailedError(failure.getMessage() + "\n  in request " + (sent + 1)
              + (together > 1 ? " to " + (sent + together) + ", sent together," : "") + " of " + TRIES + " from seed " + SEED
              + ": -Dfuzz.seed=" + SEED + " replays the run (every request is in " + REQUESTS_LOG + ")", failure);
        }
        sent += together;
      }
    } finally {
      statistics.print();
    }
    List<String> unreached = CONTRACT.operations().stream().map(Operation::id).filter(statistics::unreached).toList();
    if (!unreached.isEmpty()) {
      throw new AssertionFailedError("operations never reached in " + TRIES + " requests from seed " + SEED + ": " + unreached);
    }
  }

  /**
   * The log of the run's requests. Generated strings hold unpaired surrogates, which UTF-8 cannot
   * encode: they are written as '?' (the seed replays them exactly).
   */
  private static BufferedWriter requestsLog() throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(Path.of(REQUESTS_LOG)),
        StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)));
  }

  /** Draws {@code count} requests, sends them at once, and checks each answer. */
  private static void sendTogether(int count, EdgeBiasedRandom random, int sent, BufferedWriter log, Statistics statistics)
      throws IOException {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(call(random.split()));
    }
    List<Future<Response>> answers = calls.stream()
        .map(call -> http.request(call.operation().method(), call.path(), call.headers(),
            call.body() == null ? null : Buffer.buffer(call.body())))
        .toList();
    for (int i = 0; i < count; i++) {
      Call call = calls.get(i);
      log.write(sent + i + 1 + " " + call);
      Response response = answer(answers.get(i), call);
      log.write(" -> " + response.status() + "\n");
      statistics.count(call, response.status());
      check(call, response);
    }
  }

  /** The answer, or the request with the contract's violations when the answer does not conform. */
  private static Response answer(Future<Response> answer, Call call) {
    try {
      return answer.await();
    } catch (AssertionFailedError nonConforming) {
      throw new AssertionFailedError(nonConforming.getMessage() + "\n  request: " + call, nonConforming);
    }
  }

  private static void check(Call call, Response response) {
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

  /** One request to an operation of the document, its parts drawn from {@code random}. */
  private static Call call(EdgeBiasedRandom random) {
    Operation operation = random.any(CONTRACT.operations());
    Draft draft = new Draft(operation);
    for (String pointer : parameters(operation)) {
      JsonObject parameter = CONTRACT.resolved(pointer);
      parameter(draft, random, parameter.getString("in"), parameter.getString("name"), parameter.getBoolean("required", false),
          pointer + "/schema");
    }
    JsonObject described = CONTRACT.resolved(operation.pointer());
    if (described.containsKey("requestBody")) {
      body(draft, random, operation.pointer() + "/requestBody/content", described.getJsonObject("requestBody").getJsonObject("content"));
    }
    if (described.getJsonArray("tags", new JsonArray()).stream().anyMatch(TOKEN_FAMILIES::contains)) {
      if (random.oneIn(10)) {
        draft.headers.put("X-Internal-Auth", "not-the-" + INTERNAL_TOKEN);
        draft.expect(Expect.REFUSED);
      } else {
        draft.headers.put("X-Internal-Auth", INTERNAL_TOKEN);
      }
    }
    draft.forged = random.oneIn(10);
    return finish(draft);
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

  private static void parameter(Draft draft, EdgeBiasedRandom random, String in, String name, boolean required, String schema) {
    switch (in) {
      case "path" -> draft.pathIds.put(name, switch (random.weighted(3, 3, 1)) {
        case 0 -> random.any(KNOWN_IDS.getOrDefault(name, List.of("unknown")));
        case 1 -> encode(String.valueOf(VALUES.valid(schema, random)));
        default -> random.any(ODD_PATH_IDS);
      });
      case "query" -> {
        switch (random.weighted(2, 2, 1)) {
          case 0 -> { }
          case 1 -> draft.query.add(name + "=" + encode(VALUES.validText(schema, random)));
          default -> {
            List<String> bad = BAD_QUERY_VALUES.stream().filter(value -> !CONTRACT.textErrors(schema, value).isEmpty()).toList();
            if (bad.isEmpty()) {
              throw new IllegalStateException("none of " + BAD_QUERY_VALUES + " is a bad value of the query parameter " + name);
            }
            draft.query.add(name + "=" + encode(random.any(bad)));
            draft.expect(Expect.REFUSED);
          }
        }
      }
      case "header" -> header(draft, random, name, required, schema);
      default -> throw new IllegalStateException("a parameter in " + in);
    }
  }

  private static void header(Draft draft, EdgeBiasedRandom random, String name, boolean required, String schema) {
    if (CLIENT_OWNED.contains(name.toLowerCase())) {
      // Cannot be sent: without a required one, the request is wrong by the document.
      draft.expect(required ? Expect.REFUSED : Expect.WELL_FORMED);
    } else if (name.equals("Idempotency-Key")) {
      switch (random.weighted(6, 2, 1)) {
        case 0 -> { }
        case 1 -> {
          draft.headers.put(name, random.any(IDEMPOTENCY_KEYS));
          draft.expect(Expect.EITHER);
        }
        default -> {
          draft.headers.put(name, "k".repeat(256));
          draft.expect(Expect.REFUSED);
        }
      }
    } else if (required ? SIGNATURE_HEADERS.contains(name) || !random.oneIn(10) : random.oneIn(2)) {
      draft.headers.put(name, VALUES.validText(schema, random));
    } else if (required) {
      draft.expect(Expect.REFUSED);
    }
  }

  /** The body in one of the documented media types: valid, refused by its schema, malformed, or in another media type. */
  private static void body(Draft draft, EdgeBiasedRandom random, String contentPointer, JsonObject content) {
    String mediaType = random.any(List.copyOf(content.fieldNames()));
    String schema = contentPointer + "/" + OpenApiContract.escape(mediaType) + "/schema";
    if (mediaType.equals("application/x-www-form-urlencoded")) {
      // The form's one field holds a JSON object (the schema can only say "a string"): sent as such.
      Object json = VALUES.valid(contentPointer + "/application~1json/schema", random);
      withBody(draft, mediaType, "payload=" + encode(Json.encode(json)), Expect.WELL_FORMED);
      return;
    }
    switch (random.weighted(6, 3, 1, 1)) {
      case 0 -> withBody(draft, mediaType, Json.encode(VALUES.valid(schema, random)), Expect.WELL_FORMED);
      case 1 -> withBody(draft, mediaType, Json.encode(VALUES.invalid(schema, random)), Expect.REFUSED);
      case 2 -> withBody(draft, mediaType, random.any(MALFORMED_JSON), Expect.REFUSED);
      default -> withBody(draft, "text/plain", Json.encode(VALUES.valid(schema, random)), Expect.REFUSED);
    }
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

  /** How often each operation was reached and each (expected, status) pair came back. */
  private static final class Statistics {
    private final Map<String, Integer> operations = new LinkedHashMap<>();
    private final Map<String, Integer> answers = new LinkedHashMap<>();
    private int requests;

    void count(Call call, int status) {
      operations.merge(call.operation().id(), 1, Integer::sum);
      answers.merge(call.expect() + " " + status, 1, Integer::sum);
      requests++;
    }

    boolean unreached(String operation) {
      return !operations.containsKey(operation);
    }

    void print() {
      System.out.println("ContractFuzzIT: " + requests + " requests from seed " + SEED + "\n"
          + table("operation", operations) + table("answer (expected, status)", answers));
    }

    private String table(String title, Map<String, Integer> counts) {
      return "  " + title + "\n" + counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .map(count -> String.format("    %-32s %6d  %5.1f %%%n", count.getKey(), count.getValue(), 100.0 * count.getValue() / requests))
          .collect(Collectors.joining());
    }
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

  private static void awaitReady() {
    await("the jar ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .failFast("the jar exited", () -> assertTrue(ingress.isAlive(), ContractFuzzIT::log))
        .until(() -> http.get("/health/ready").status() == 200);
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
