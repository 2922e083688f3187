package io.callbackingress.family.webhooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.toolkit.Signatures;
import io.callbackingress.support.CapturedLogs;
import io.callbackingress.support.Hmac;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.RawHttp;
import io.callbackingress.support.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 3.5 and 11a: every source's scheme over real HTTP, with what ends up stored. */
class WebhooksFamilyTest {

  private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String GITHUB_OLD = "github-secret-being-rotated-out";
  private static final String GITHUB_NEW = "It's a Secret to Everybody";
  private static final String DISCOURSE = "discourse-shared-secret";
  private static final String STRIPE = "whsec_stripe_test_secret_value";
  private static final String STANDARD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final List<String> NEVER_LOGGED = List.of(GITHUB_OLD, GITHUB_NEW, DISCOURSE, STRIPE, STANDARD);

  private static IngressServer server;
  private static Http http;
  private static final List<String> signaturesSent = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    CapturedLogs.clear();
    server = IngressServer.start("webhooks", new JsonObject()
        .put("webhooks", new JsonObject()
            .put("toleranceSeconds", 300)
            .put("sources", new JsonObject()
                .put("acme", new JsonObject().put("scheme", "standard").put("secretsEnv", "ACME_SECRETS"))
                .put("quiet", new JsonObject().put("scheme", "standard").put("secretsEnv", "QUIET_SECRETS"))
                .put("loose", new JsonObject().put("scheme", "payload-ids").put("secretsEnv", "ACME_SECRETS")))),
        Map.of("INGRESS_GITHUB_WEBHOOK_SECRETS", GITHUB_OLD + "," + GITHUB_NEW,
            "INGRESS_DISCOURSE_WEBHOOK_SECRETS", DISCOURSE,
            "INGRESS_PAYMENT_WEBHOOK_SECRETS", STRIPE,
            "ACME_SECRETS", STANDARD));
    http = server.http();
  }

  @AfterAll
  static void stop() {
    try {
      for (String line : CapturedLogs.lines()) {
        for (String secret : NEVER_LOGGED) {
          assertFalse(line.contains(secret), line);
        }
        for (String signature : signaturesSent) {
          assertFalse(line.contains(signature), line);
        }
      }
    } finally {
      server.close();
    }
  }

  @Test
  void theGithubKnownVectorIsComputed() {
    byte[] mac = Signatures.hmac(GITHUB_NEW.getBytes(StandardCharsets.UTF_8), "", Buffer.buffer("Hello, World!"));
    assertEquals("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", HexFormat.of().formatHex(mac));
  }

  @Test
  void theStandardWebhooksKnownVectorIsComputed() {
    byte[] mac = Signatures.hmac(StandardWebhooksSource.key(STANDARD), "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.",
        Buffer.buffer("{\"test\": 2432232314}"));
    assertEquals("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Base64.getEncoder().encodeToString(mac));
  }

  @Test
  void theGithubVectorPassesTheSignatureAndThenTheBodyMustBeJson() {
    Map<String, String> headers = githubHeaders("Hello, World!", GITHUB_NEW, "push", UUID.randomUUID().toString());
    assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        headers.get("X-Hub-Signature-256"));
    Response response = post("/spi/webhooks/github", headers, "Hello, World!");
    assertEquals(400, response.status());
    assertTrue(response.json().getString("error").startsWith("Malformed JSON"), response.body());
  }

  @Test
  void aSignedGithubDeliveryIsStoredVerbatimWithItsEventAndAnnounced() throws Exception {
    String delivery = UUID.randomUUID().toString();
    String body = "{\"zen\":  \"Keep it logically awesome.\" ,\"hook_id\":1}";
    Response response = post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "ping", delivery), body);
    assertEquals(202, response.status(), response.body());
    assertEquals("accepted", response.json().getString("status"));
    String id = response.json().getString("id");
    assertTrue(id.matches(UUID_PATTERN), id);
    try (Connection c = TestServices.jdbc(server.databaseUri);
         PreparedStatement s = c.prepareStatement(
             "SELECT id::text, source, event_type, content_type, body FROM webhook_deliveries WHERE delivery_id = ?")) {
      s.setString(1, delivery);
      ResultSet rows = s.executeQuery();
      assertTrue(rows.next());
      assertEquals(id, rows.getString(1));
      assertEquals("github", rows.getString(2));
      assertEquals("ping", rows.getString(3));
      assertEquals("application/json", rows.getString(4));
      assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), rows.getBytes(5));
    }
    JsonObject event = new JsonObject(single("SELECT data FROM ingress_events WHERE type = 'webhook.received' AND data LIKE ?",
        "%" + id + "%"));
    assertEquals(new JsonObject().put("id", id).put("source", "github").put("event_type", "ping").put("delivery_id", delivery),
        event);
  }

  @Test
  void aRepeatedDeliveryIsADuplicateAndStoresNothing() throws Exception {
    String delivery = UUID.randomUUID().toString();
    String body = "{\"action\":\"opened\"}";
    assertEquals(202, post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "issues", delivery), body).status());
    Response again = post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "issues", delivery), body);
    assertEquals(200, again.status());
    assertEquals(new JsonObject().put("status", "duplicate"), again.json());
    assertEquals("1", single("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?", delivery));
  }

  @Test
  void sixtyConcurrentCopiesOfOneDeliveryStoreItOnceAndAreAllAnsweredAsSuccesses() throws Exception {
    String delivery = UUID.randomUUID().toString();
    String body = "{\"action\":\"opened\"}";
    List<io.vertx.core.Future<Response>> copies = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      copies.add(http.request(io.vertx.core.http.HttpMethod.POST, "/spi/webhooks/github",
          githubHeaders(body, GITHUB_NEW, "issues", delivery), io.vertx.core.buffer.Buffer.buffer(body)));
    }
    io.vertx.core.Future.join(copies).await();
    List<Response> answers = copies.stream().map(io.vertx.core.Future::result).toList();
    assertEquals(1, answers.stream().filter(r -> r.status() == 202).count(), answers.toString());
    answers.stream().filter(r -> r.status() != 202).forEach(r -> {
      assertEquals(200, r.status(), r.body());
      assertEquals(new JsonObject().put("status", "duplicate"), r.json());
    });
    assertEquals("1", single("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?", delivery));
  }

  @Test
  void aDeliveryIdOverTwoHundredFiftyFiveBytesIsA400NamingTheHeader() throws Exception {
    String body = "{\"action\":\"opened\"}";
    String delivery = "d".repeat(256);
    Response refused = post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "issues", delivery), body);
    assertEquals(400, refused.status());
    assertEquals(new JsonObject().put("error", "Invalid X-GitHub-Delivery"), refused.json());
    assertEquals("0", single("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?", delivery));
    String longest = "d".repeat(255);
    assertEquals(202, post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "issues", longest), body).status());
  }

  @Test
  void theRotatedSecondSecretAndTheFirstAreBothAccepted() {
    String body = "{\"a\":1}";
    assertEquals(202, post("/spi/webhooks/github", githubHeaders(body, GITHUB_OLD, "push", UUID.randomUUID().toString()), body).status());
    assertEquals(202, post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "push", UUID.randomUUID().toString()), body).status());
  }

  @Test
  void aWrongSecretAMissingSignatureOrATamperedBodyIsA401AndCounted() throws Exception {
    String delivery = UUID.randomUUID().toString();
    String body = "{\"a\":1}";
    Response wrong = post("/spi/webhooks/github", githubHeaders(body, "not-the-secret", "push", delivery), body);
    assertEquals(401, wrong.status());
    assertEquals(new JsonObject().put("error", "Unauthorized"), wrong.json());
    Map<String, String> unsigned = new HashMap<>(githubHeaders(body, GITHUB_NEW, "push", delivery));
    unsigned.remove("X-Hub-Signature-256");
    assertEquals(401, post("/spi/webhooks/github", unsigned, body).status());
    Response tampered = post("/spi/webhooks/github", githubHeaders(body, GITHUB_NEW, "push", delivery), "{\"a\":2}");
    assertEquals(401, tampered.status());
    assertEquals("0", single("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?", delivery));
    assertTrue(http.get("/metrics").body().contains("ingress_webhook_signature_failures_total{source=\"github\"}"));
  }

  @Test
  void requiredHeadersAreCheckedAfterTheSignature() {
    String body = "{\"a\":1}";
    Map<String, String> noEvent = new HashMap<>(githubHeaders(body, GITHUB_NEW, "push", UUID.randomUUID().toString()));
    noEvent.remove("X-GitHub-Event");
    Response missingEvent = post("/spi/webhooks/github", noEvent, body);
    assertEquals(400, missingEvent.status());
    assertEquals(new JsonObject().put("error", "Missing X-GitHub-Event"), missingEvent.json());
    Map<String, String> noDelivery = new HashMap<>(githubHeaders(body, GITHUB_NEW, "push", "x"));
    noDelivery.remove("X-GitHub-Delivery");
    Response missingDelivery = post("/spi/webhooks/github", noDelivery, body);
    assertEquals(400, missingDelivery.status());
    assertEquals(new JsonObject().put("error", "Missing X-GitHub-Delivery"), missingDelivery.json());
    noEvent.remove("X-Hub-Signature-256");
    assertEquals(401, post("/spi/webhooks/github", noEvent, body).status());
  }

  @Test
  void aFormEncodedGithubDeliveryIsAcceptedAndStoredAsTheFormBytes() throws Exception {
    String delivery = UUID.randomUUID().toString();
    String form = "payload=" + URLEncoder.encode("{\"ref\":\"refs/heads/main\"}", StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(githubHeaders(form, GITHUB_NEW, "push", delivery));
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    Response response = post("/spi/webhooks/github", headers, form);
    assertEquals(202, response.status(), response.body());
    assertEquals("application/x-www-form-urlencoded", single("SELECT content_type FROM webhook_deliveries WHERE delivery_id = ?", delivery));
    assertEquals(form, single("SELECT convert_from(body, 'UTF8') FROM webhook_deliveries WHERE delivery_id = ?", delivery));
    String notJson = "payload=not-json";
    Map<String, String> bad = new HashMap<>(githubHeaders(notJson, GITHUB_NEW, "push", UUID.randomUUID().toString()));
    bad.put("Content-Type", "application/x-www-form-urlencoded");
    assertEquals(400, post("/spi/webhooks/github", bad, notJson).status());
  }

  @Test
  void discourseDeduplicatesRetriesByInstanceAndBody() throws Exception {
    String body = "{\"post\":{\"id\":" + System.nanoTime() + "}}";
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Discourse-Event-Signature", "sha256=" + hex(Hmac.sha256(DISCOURSE.getBytes(StandardCharsets.UTF_8), body)));
    headers.put("X-Discourse-Event", "post_created");
    headers.put("X-Discourse-Instance", "https://forum.example");
    headers.put("X-Discourse-Event-Id", "1");
    signaturesSent.add(headers.get("X-Discourse-Event-Signature"));
    Response first = post("/spi/webhooks/discourse", headers, body);
    assertEquals(202, first.status(), first.body());
    headers.put("X-Discourse-Event-Id", "2");
    Response retry = post("/spi/webhooks/discourse", headers, body);
    assertEquals(new JsonObject().put("status", "duplicate"), retry.json());
    String expectedId = hex(MessageDigest.getInstance("SHA-256")
        .digest(("https://forum.example" + body).getBytes(StandardCharsets.UTF_8)));
    assertEquals("post_created", single("SELECT event_type FROM webhook_deliveries WHERE delivery_id = ?", expectedId));
  }

  @Test
  void stripeAcceptsOneValidV1AmongSeveralAndTakesTypeAndIdFromTheBody() throws Exception {
    String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
    String body = "{\"id\":\"" + eventId + "\",\"type\":\"payment_intent.succeeded\"}";
    long now = System.currentTimeMillis() / 1000;
    String valid = hex(Hmac.sha256(STRIPE.getBytes(StandardCharsets.UTF_8), now + "." + body));
    String header = "t=" + now + ",v1=" + "00".repeat(32) + ",v1=" + valid + ",v0=" + "11".repeat(32);
    Response response = post("/spi/webhooks/payment_processor", stripeHeaders(header), body);
    assertEquals(202, response.status(), response.body());
    assertEquals("payment_intent.succeeded", single("SELECT event_type FROM webhook_deliveries WHERE delivery_id = ?", eventId));
  }

  @Test
  void stripeRefusesATimestampTooOldOrTooFarAhead() {
    String body = "{\"id\":\"evt_time\",\"type\":\"charge.succeeded\"}";
    long now = System.currentTimeMillis() / 1000;
    for (long t : new long[] {now - 301 - 5, now + 301 + 5}) {
      String header = "t=" + t + ",v1=" + hex(Hmac.sha256(STRIPE.getBytes(StandardCharsets.UTF_8), t + "." + body));
      Response response = post("/spi/webhooks/payment_processor", stripeHeaders(header), body);
      assertEquals(401, response.status(), "t=" + t);
      assertEquals(new JsonObject().put("error", "Unauthorized"), response.json());
    }
    String absurd = "t=99999999999999999999,v1=" + "00".repeat(32);
    assertEquals(401, post("/spi/webhooks/payment_processor", stripeHeaders(absurd), body).status());
    String onlyV0 = "t=" + now + ",v0=" + hex(Hmac.sha256(STRIPE.getBytes(StandardCharsets.UTF_8), now + "." + body));
    assertEquals(401, post("/spi/webhooks/payment_processor", stripeHeaders(onlyV0), body).status());
  }

  @Test
  void aStandardWebhooksSourceVerifiesTheSignedContentAndItsTimestamp() throws Exception {
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
    String body = "{\"type\":\"invoice.paid\",\"test\": 2432232314}";
    long now = System.currentTimeMillis() / 1000;
    Response response = post("/spi/webhooks/acme", standardHeaders(id, now, body), body);
    assertEquals(202, response.status(), response.body());
    assertEquals("invoice.paid", single("SELECT event_type FROM webhook_deliveries WHERE source = 'acme' AND delivery_id = ?", id));
    Response old = post("/spi/webhooks/acme", standardHeaders("msg_old", 1614265330, "{\"test\": 2432232314}"),
        "{\"test\": 2432232314}");
    assertEquals(401, old.status());
    Map<String, String> tampered = standardHeaders("msg_x", now, body);
    assertEquals(401, post("/spi/webhooks/acme", tampered, body + " ").status());
    String longId = "msg_" + "x".repeat(252);
    Response tooLong = post("/spi/webhooks/acme", standardHeaders(longId, now, body), body);
    assertEquals(400, tooLong.status(), "a signed but over-long webhook-id");
    assertEquals(new JsonObject().put("error", "Invalid webhook-id"), tooLong.json());
    assertEquals("0", single("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?", longId));
  }

  /** A JSON escape can put a lone surrogate in a Java string that Postgres text would store as something else. */
  @Test
  void aSignedIdOrTypeThatCannotBeStoredIsA400AndNothingIsStored() throws Exception {
    String marker = UUID.randomUUID().toString();
    long now = System.currentTimeMillis() / 1000;
    Map<String, String> refusals = Map.of(
        "{\"id\":\"evt_\\ud800" + marker + "\",\"type\":\"charge.succeeded\"}", "Invalid id",
        "{\"id\":\"evt_" + marker + "\",\"type\":\"charge.\\udc00succeeded\"}", "Invalid type");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      String body = refusal.getKey();
      String header = "t=" + now + ",v1=" + hex(Hmac.sha256(STRIPE.getBytes(StandardCharsets.UTF_8), now + "." + body));
      Response response = post("/spi/webhooks/payment_processor", stripeHeaders(header), body);
      assertEquals(400, response.status(), body + ": " + response.body());
      assertEquals(new JsonObject().put("error", refusal.getValue()), response.json(), body);
    }
    String body = "{\"type\":\"invoice.\\ud800paid\",\"marker\":\"" + marker + "\"}";
    Response standard = post("/spi/webhooks/acme", standardHeaders("msg_" + marker, now, body), body);
    assertEquals(400, standard.status(), standard.body());
    assertEquals(new JsonObject().put("error", "Invalid type"), standard.json());
    assertEquals("0", single("SELECT count(*) FROM webhook_deliveries WHERE position(? in convert_from(body, 'UTF8')) > 0", marker));
  }

  /** {@link io.callbackingress.support.PayloadIdsScheme} passes on whatever the payload holds. */
  @Test
  void idsAPluginSchemeTakesUncheckedAreHeldToTheSameRules() throws Exception {
    String marker = UUID.randomUUID().toString();
    Map<String, String> json = Map.of("Content-Type", "application/json");
    Map<String, String> refusals = Map.of(
        "{\"id\":\"" + "d".repeat(256) + "\",\"type\":\"ping\",\"marker\":\"" + marker + "\"}", "Invalid delivery id",
        "{\"id\":\"d-" + marker + "\",\"type\":\"pi\\u0000ng\"}", "Invalid event type",
        "{\"type\":\"ping\",\"marker\":\"" + marker + "\"}", "Invalid delivery id");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      Response response = post("/spi/webhooks/loose", json, refusal.getKey());
      assertEquals(400, response.status(), refusal.getKey() + ": " + response.body());
      assertEquals(new JsonObject().put("error", refusal.getValue()), response.json(), refusal.getKey());
    }
    assertEquals("0", single("SELECT count(*) FROM webhook_deliveries WHERE position(? in convert_from(body, 'UTF8')) > 0", marker));
    String delivery = "d-" + marker;
    Response accepted = post("/spi/webhooks/loose", json, "{\"id\":\"" + delivery + "\",\"type\":\"ping\"}");
    assertEquals(202, accepted.status(), accepted.body());
    assertEquals("ping", single("SELECT event_type FROM webhook_deliveries WHERE delivery_id = ?", delivery));
  }

  /** Header values arrive as bytes, one char each: an id that is not UTF-8 is still stored and recognised. */
  @Test
  void aGithubDeliveryIdOfBytesThatAreNotUtf8IsStoredAndItsRepeatIsADuplicate() throws Exception {
    String body = "{\"action\":\"opened\"}";
    String delivery = "d-" + UUID.randomUUID() + "-\u00ff\u00fe\u00c3";
    Map<String, String> headers = githubHeaders(body, GITHUB_NEW, "issues", delivery);
    StringBuilder request = new StringBuilder("POST /spi/webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Length: ")
        .append(body.length()).append("\r\nConnection: close\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    String raw = request.append("\r\n").append(body).toString();
    String first = RawHttp.exchange(server.port, raw);
    assertEquals(202, RawHttp.status(first), first);
    String again = RawHttp.exchange(server.port, raw);
    assertEquals(200, RawHttp.status(again), again);
    assertEquals(new JsonObject().put("status", "duplicate"), new JsonObject(again.substring(again.indexOf("\r\n\r\n") + 4)));
    assertEquals("1", single("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?", delivery));

    String nul = raw.replace("X-GitHub-Delivery: " + delivery, "X-GitHub-Delivery: nul\u0000" + delivery);
    String refused = RawHttp.exchange(server.port, nul);
    assertEquals(400, RawHttp.status(refused), refused);
    assertEquals(new JsonObject().put("error", "Bad request"), new JsonObject(refused.substring(refused.indexOf("\r\n\r\n") + 4)));
  }

  @Test
  void anUnconfiguredSourceOrOneWithoutSecretsIsA404() {
    for (String source : new String[] {"nobody", "quiet"}) {
      Response response = post("/spi/webhooks/" + source, Map.of("Content-Type", "application/json"), "{}");
      assertEquals(404, response.status(), source);
      assertEquals(new JsonObject().put("error", "Not found"), response.json());
    }
  }

  private static Response post(String path, Map<String, String> headers, String body) {
    return http.send(HttpMethod.POST, path, headers, Buffer.buffer(body));
  }

  private static Map<String, String> githubHeaders(String body, String secret, String event, String delivery) {
    String signature = "sha256=" + hex(Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8), body));
    signaturesSent.add(signature);
    return Map.of("Content-Type", "application/json", "X-Hub-Signature-256", signature,
        "X-GitHub-Event", event, "X-GitHub-Delivery", delivery);
  }

  private static Map<String, String> stripeHeaders(String signature) {
    signaturesSent.add(signature);
    return Map.of("Content-Type", "application/json", "Stripe-Signature", signature);
  }

  private static Map<String, String> standardHeaders(String id, long timestamp, String body) {
    byte[] key = Base64.getDecoder().decode(STANDARD.substring("whsec_".length()));
    String signature = "v1," + Base64.getEncoder().encodeToString(Hmac.sha256(key, id + "." + timestamp + "." + body));
    signaturesSent.add(signature);
    return Map.of("Content-Type", "application/json", "webhook-id", id,
        "webhook-timestamp", Long.toString(timestamp), "webhook-signature", "v1,bm90LWl0 " + signature);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String single(String sql, String parameter) throws Exception {
    try (Connection c = TestServices.jdbc(server.databaseUri); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      ResultSet rows = s.executeQuery();
      assertTrue(rows.next(), sql);
      return rows.getString(1);
    }
  }
}
