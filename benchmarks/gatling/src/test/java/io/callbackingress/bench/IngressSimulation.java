package io.callbackingress.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;

/**
 * Open-model load on a running callback-ingress: arrivals do not wait for answers, so a slow
 * server shows as latency and failures instead of quietly lowering the offered rate (which is
 * what wrk's closed loop in scripts/bench.sh does).
 *
 * <ul>
 *   <li>W1 {@code POST /spi/test_runs}, ~1 KiB, a unique {@code Idempotency-Key};
 *   <li>W2 {@code PATCH /spi/tooling_jobs/:id} on jobs registered in {@link #before()};
 *   <li>W3 {@code POST /spi/webhooks/github}, 4 KiB, {@code X-Hub-Signature-256} over the body with
 *       the first secret of {@code INGRESS_GITHUB_WEBHOOK_SECRETS}, a unique {@code X-GitHub-Delivery}.
 * </ul>
 *
 * Each workload gets the same profile, per second of {@code gatling.seconds}: a warm-up ramp to
 * {@code gatling.rate} users/s, a steady phase at that rate, a {@code stressPeakUsers} spike of
 * {@code gatling.peak} users, and a ramp from the rate to twice it ({@code gatling.profile=steady}
 * keeps only the warm-up and the steady phase). One request per virtual user.
 *
 * <p>{@code gatling.profile=lambda} is how AWS Lambda callers arrive: the steady profile with every
 * callback on a new connection of its own (a cold container, or a client whose ~5 s keep-alive
 * has lapsed) — point {@code base.url} at the HTTPS port and each callback pays a full TLS
 * handshake; {@code gatling.clientKeyStore} (PKCS#12, password {@code gatling.clientKeyStorePassword},
 * default empty) adds a client certificate, as an mTLS family needs.
 *
 * <p>System properties: {@code base.url} (default http://127.0.0.1:8080), {@code workloads}
 * (w1,w2,w3), {@code gatling.rate} (users/s, default 50), {@code gatling.seconds} (steady and ramp
 * length, default 5), {@code gatling.peak} (default 200), {@code gatling.shareConnections}
 * (true: one keep-alive pool for all users; false: every user opens its own connection, default
 * true), {@code gatling.p99ms} (the p99 assertion, default 10), {@code gatling.maxFailedPercent}
 * (default 1), {@code w1.path} (default /spi/test_runs: another path points W1 at a peer, bare-w1's
 * {@code /w1}, to tell the load generator's share of a tail from the server's).
 *
 * <p>Run: {@code mvn -B -f benchmarks/gatling/pom.xml gatling:test -Dbase.url=http://127.0.0.1:8080 -Dgatling.rate=50 -Dgatling.seconds=5}
 */
public class IngressSimulation extends Simulation {

  private static final String BASE_URL = System.getProperty("base.url", "http://127.0.0.1:8080");
  private static final String W1_PATH = System.getProperty("w1.path", "/spi/test_runs");
  private static final List<String> WORKLOADS = List.of(System.getProperty("workloads", "w1,w2,w3").split(","));
  private static final double RATE = Double.parseDouble(System.getProperty("gatling.rate", "50"));
  private static final int SECONDS = Integer.getInteger("gatling.seconds", 5);
  private static final int PEAK = Integer.getInteger("gatling.peak", 200);
  /**
   * {@code full}: warm-up, steady, spike, ramp; {@code steady}: warm-up and steady only (latency at a
   * fixed rate); {@code lambda}: steady, a new connection per callback.
   */
  private static final String PROFILE = profileName();
  private static final boolean FULL_PROFILE = PROFILE.equals("full");
  private static final boolean SHARE_CONNECTIONS = !PROFILE.equals("lambda")
      && Boolean.parseBoolean(System.getProperty("gatling.shareConnections", "true"));
  private static final String CLIENT_KEY_STORE = System.getProperty("gatling.clientKeyStore");
  private static final int P99_MS = Integer.getInteger("gatling.p99ms", 10);
  private static final double MAX_FAILED_PERCENT = Double.parseDouble(System.getProperty("gatling.maxFailedPercent", "1"));
  /** Enough jobs that concurrent PATCHes rarely queue on one row's lock. */
  private static final int JOBS = Integer.getInteger("gatling.jobs", 256);

  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private final AtomicLong counter = new AtomicLong();
  private final String webhookBody = webhookBody();
  private final String webhookSignature = WORKLOADS.contains("w3") ? "sha256=" + hmacHex(firstSecret(), webhookBody) : null;

  private final HttpProtocolBuilder protocol = clientCertificate(shared(http.baseUrl(BASE_URL)
      .acceptHeader("application/json")
      .contentTypeHeader("application/json")));

  private static HttpProtocolBuilder shared(HttpProtocolBuilder builder) {
    return SHARE_CONNECTIONS ? builder.shareConnections() : builder;
  }

  private static HttpProtocolBuilder clientCertificate(HttpProtocolBuilder builder) {
    if (CLIENT_KEY_STORE == null) {
      return builder;
    }
    char[] password = System.getProperty("gatling.clientKeyStorePassword", "").toCharArray();
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(CLIENT_KEY_STORE))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      return builder.perUserKeyManagerFactory(user -> keys);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("gatling.clientKeyStore " + CLIENT_KEY_STORE + " is not a readable PKCS#12 key store", e);
    }
  }

  private static String profileName() {
    String name = System.getProperty("gatling.profile", "full");
    if (!List.of("full", "steady", "lambda").contains(name)) {
      throw new IllegalArgumentException("gatling.profile is full, steady or lambda, not " + name);
    }
    return name;
  }

  private final ScenarioBuilder w1 = scenario("W1 POST /spi/test_runs")
      .feed(feeder(() -> Map.of("key", "g1-" + runId + "-" + counter.incrementAndGet())))
      .exec(http("W1 test_run")
          .post(W1_PATH)
          .header("Idempotency-Key", "#{key}")
          .body(StringBody(session -> testRunBody(session.getString("key"))))
          .check(status().is(201)));

  private final ScenarioBuilder w2 = scenario("W2 PATCH /spi/tooling_jobs/:id")
      .feed(feeder(() -> {
        long n = counter.incrementAndGet();
        return Map.of("job", jobId((int) (n % JOBS)), "n", n);
      }))
      .exec(http("W2 tooling_job PATCH")
          .patch("/spi/tooling_jobs/#{job}")
          .body(StringBody("{\"tooling_job\":{\"status\":\"running\",\"output\":\"progress #{n}\"}}"))
          .check(status().is(200)));

  private final ScenarioBuilder w3 = scenario("W3 POST /spi/webhooks/github")
      .feed(feeder(() -> Map.of("delivery", "g3-" + runId + "-" + counter.incrementAndGet())))
      .exec(http("W3 github webhook")
          .post("/spi/webhooks/github")
          .header("X-Hub-Signature-256", webhookSignature)
          .header("X-GitHub-Event", "push")
          .header("X-GitHub-Delivery", "#{delivery}")
          .body(StringBody(webhookBody))
          .check(status().is(202)));

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    if (WORKLOADS.contains("w1")) {
      populations.add(w1.injectOpen(profile()));
    }
    if (WORKLOADS.contains("w2")) {
      populations.add(w2.injectOpen(profile()));
    }
    if (WORKLOADS.contains("w3")) {
      populations.add(w3.injectOpen(profile()));
    }
    setUp(populations)
        .protocols(protocol)
        .assertions(
            global().failedRequests().percent().lte(MAX_FAILED_PERCENT),
            global().responseTime().percentile(99.0).lte(P99_MS));
  }

  private static OpenInjectionStep[] profile() {
    if (!FULL_PROFILE) {
      return new OpenInjectionStep[] {
          rampUsersPerSec(1).to(RATE).during(Math.max(1, SECONDS / 2)),  // warm-up
          constantUsersPerSec(RATE).during(SECONDS)                       // steady
      };
    }
    return new OpenInjectionStep[] {
        rampUsersPerSec(1).to(RATE).during(Math.max(1, SECONDS / 2)),  // warm-up
        constantUsersPerSec(RATE).during(SECONDS),                      // steady
        stressPeakUsers(PEAK).during(2),                                // spike
        rampUsersPerSec(RATE).to(RATE * 2).during(SECONDS)              // ramp
    };
  }

  /** W2's jobs must exist before the first PATCH: registered here, before any injection starts. */
  @Override
  public void before() {
    if (!WORKLOADS.contains("w2")) {
      return;
    }
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < JOBS; i++) {
      String body = "{\"tooling_job\":{\"id\":\"" + jobId(i) + "\",\"kind\":\"gatling\"}}";
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(BASE_URL + "/spi/tooling_jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 201) {
          throw new IllegalStateException("registering " + jobId(i) + " answered " + response.statusCode());
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot reach " + BASE_URL, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private String jobId(int i) {
    return "gatling-" + runId + "-" + i;
  }

  private static Iterator<Map<String, Object>> feeder(java.util.function.Supplier<Map<String, Object>> next) {
    return Stream.generate(next).iterator();
  }

  private static String testRunBody(String key) {
    return "{\"test_run\":{\"submission_uuid\":\"" + UUID.randomUUID() + "\",\"track_slug\":\"java\","
        + "\"exercise_slug\":\"two-fer\",\"user_handle\":\"" + key + "\",\"status\":\"fail\",\"duration_ms\":1234,"
        + "\"tests\":[{\"name\":\"test one\",\"status\":\"pass\"},{\"name\":\"test two\",\"status\":\"pass\"},"
        + "{\"name\":\"test three\",\"status\":\"fail\",\"message\":\"expected 1 got 2\"},"
        + "{\"name\":\"test four\",\"status\":\"pass\"},{\"name\":\"test five\",\"status\":\"error\",\"message\":\"timeout\"}],"
        + "\"output\":\"" + "x".repeat(560) + "\"}}";
  }

  /** 4 KiB of JSON, the size the issue names. */
  private static String webhookBody() {
    String head = "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"exercism/bench\"},\"pad\":\"";
    return head + "p".repeat(4096 - head.length() - 2) + "\"}";
  }

  private static String firstSecret() {
    String secrets = System.getenv("INGRESS_GITHUB_WEBHOOK_SECRETS");
    if (secrets == null || secrets.isBlank()) {
      throw new IllegalStateException("INGRESS_GITHUB_WEBHOOK_SECRETS must hold the ingress's GitHub secret");
    }
    return secrets.split(",")[0].trim();
  }

  private static String hmacHex(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
