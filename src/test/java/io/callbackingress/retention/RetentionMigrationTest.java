package io.callbackingress.retention;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.embedded.EmbeddedServices;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V2 (retention) migrates a database full of V1 rows without losing one: every row is still
 * there, in the old table now attached as a partition, and reads back through the API — on the
 * local Postgres and on the embedded one the default configuration starts.
 */
class RetentionMigrationTest {

  private static final String TOKEN = "migration-test-token-0123456789abcdef";
  private static final String GITHUB_SECRET = "migration-test-github-secret";
  private static final Map<String, String> AUTH = Map.of("X-Internal-Auth", TOKEN);
  private static final String[] RUNS = {
      "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"};
  private static final String[] EVENTS = {
      "10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002", "10000000-0000-4000-8000-000000000003"};
  /** The tables of V1 and the rows {@link #writeV1Rows} puts in each. */
  private static final Map<String, Long> V1_ROWS = Map.of("tooling_jobs", 1L, "test_runs", 3L, "chatgpt_responses", 1L,
      "ai_analyses", 2L, "video_nodes", 1L, "webhook_deliveries", 1L, "ingress_events", 3L, "idempotency_keys", 1L);

  @TempDir
  Path embeddedData;

  @Test
  void everyV1RowIsKeptAndReadableOnTheLocalPostgres() {
    migrateWithRowsInPlace(TestServices.newDatabase("migration_v1"));
  }

  @Test
  void everyV1RowIsKeptAndReadableOnTheEmbeddedPostgres() throws Exception {
    try (EmbeddedServices embedded = new EmbeddedServices()) {
      migrateWithRowsInPlace(embedded.startPostgres(embeddedData));
    }
  }

  private void migrateWithRowsInPlace(String databaseUri) {
    Flyway.configure()
        .dataSource(TestServices.jdbcUrl(databaseUri), "postgres", "")
        .locations("classpath:db/previous")
        .target("1")
        .load()
        .migrate();
    writeV1Rows(databaseUri);

    IngressServer server = IngressServer.start(databaseUri, TestServices.newRedis(), new JsonObject(),
        Map.of("INGRESS_INTERNAL_AUTH_TOKENS", TOKEN, "INGRESS_GITHUB_WEBHOOK_SECRETS", GITHUB_SECRET));
    try {
      Db db = new Db(databaseUri);
      V1_ROWS.forEach((table, rows) -> assertEquals(rows, db.count("SELECT count(*) FROM " + table), table));
      for (String table : List.of("ingress_events", "test_runs", "chatgpt_responses", "ai_analyses")) {
        assertEquals(V1_ROWS.get(table), db.count("SELECT count(*) FROM " + table + "_v1"), table + " kept its V1 table as a partition");
      }
      readEverythingBack(server.http());
      await("the maintenance made partitions at start")
          .atMost(Duration.ofSeconds(10))
          .until(() -> db.count("SELECT count(*) FROM pg_class WHERE relname LIKE 'test_runs_p%'") > 0);
      writesAndTheFeedCarryOn(server.http());
    } finally {
      server.close();
    }
  }

  /** As V1 code stored them, a day or two old, well inside every default retention period. */
  private static void writeV1Rows(String uri) {
    TestServices.sql(uri, """
        INSERT INTO tooling_jobs (id, kind, status, output, metadata, submission_uuid, created_at, updated_at)
          VALUES ('v1-job', 'lint', 'completed', 'all clean', '{"repo":"x"}', 'sub-1', now() - interval '2 days', now() - interval '1 day');
        INSERT INTO test_runs (id, submission_uuid, track_slug, exercise_slug, user_handle, status, tests, duration_ms, output, created_at)
          VALUES ('%s', 'sub-1', 'ruby', 'two-fer', 'ann', 'pass', '[]', 12, 'ok', now() - interval '2 days'),
                 ('%s', 'sub-2', 'ruby', 'two-fer', 'ann', 'fail', NULL, 30, NULL, now() - interval '1 day'),
                 ('%s', 'sub-3', 'ruby', 'leap', 'bob', 'error', NULL, NULL, NULL, now() - interval '1 hour');
        INSERT INTO chatgpt_responses (id, submission_uuid, model, content, created_at)
          VALUES ('20000000-0000-4000-8000-000000000001', 'sub-1', 'gpt-4o', 'Looks good', now() - interval '1 day');
        INSERT INTO ai_analyses (id, submission_uuid, track_slug, exercise_slug, patterns, confidence, created_at)
          VALUES ('30000000-0000-4000-8000-000000000001', 'sub-1', 'ruby', 'two-fer', '["guard-clause"]', 0.9, now() - interval '1 day'),
                 ('30000000-0000-4000-8000-000000000002', 'sub-2', 'ruby', 'two-fer', '["guard-clause","early-return"]', NULL, now());
        INSERT INTO video_nodes (node_uuid, executor_type, status, process_uuid, result)
          VALUES ('v1-node', 'render', 'completed', 'p-1', '{"url":"s3://a.mp4"}');
        INSERT INTO webhook_deliveries (id, source, event_type, delivery_id, content_type, body)
          VALUES ('40000000-0000-4000-8000-000000000001', 'github', 'issues', 'v1-delivery', 'application/json', '\\x7b7d');
        INSERT INTO ingress_events (id, type, occurred_at, data, correlation_id)
          VALUES ('%s', 'tooling_job.created', now() - interval '2 days', '{"id":"v1-job","status":"pending"}', 'req-1'),
                 ('%s', 'tooling_job.completed', now() - interval '1 day', '{"id":"v1-job","status":"completed"}', 'req-2'),
                 ('%s', 'test_run.created', now() - interval '1 hour', '{"id":"%s"}', 'req-3');
        INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, expires_at)
          VALUES ('POST /spi/test_runs', 'k-1', 'f', 201, '{"id":"%s"}', now() + interval '1 hour');
        """.formatted(RUNS[0], RUNS[1], RUNS[2], EVENTS[0], EVENTS[1], EVENTS[2], RUNS[2], RUNS[2]));
  }

  private static void readEverythingBack(Http http) {
    Response job = http.get("/spi/tooling_jobs/v1-job");
    assertEquals(200, job.status(), job.body());
    assertEquals("completed", job.json().getString("status"));
    assertEquals("all clean", job.json().getString("output"));
    String[] statuses = {"pass", "fail", "error"};
    for (int i = 0; i < RUNS.length; i++) {
      Response run = http.get("/spi/test_runs/" + RUNS[i]);
      assertEquals(200, run.status(), run.body());
      assertEquals(statuses[i], run.json().getString("status"));
    }
    Response node = http.get("/spi/video_production/nodes/v1-node");
    assertEquals(200, node.status(), node.body());
    assertEquals("completed", node.json().getString("status"));
    JsonObject track = http.get("/spi/analytics/track_metrics/ruby").json();
    assertEquals(3, track.getJsonObject("test_runs").getInteger("total"), track.encode());
    assertEquals(2, track.getInteger("ai_analyses"), track.encode());
    Response latest = http.get("/spi/solution_image_data/ruby/two-fer/ann");
    assertEquals(RUNS[1], latest.json().getJsonObject("latest_test_run").getString("id"), latest.body());

    Response feed = http.get("/internal/ingress/events", AUTH);
    assertEquals(200, feed.status(), feed.body());
    JsonArray items = feed.json().getJsonArray("items");
    assertEquals(List.of(EVENTS[0], EVENTS[1], EVENTS[2]),
        items.stream().map(item -> ((JsonObject) item).getString("id")).toList());
    assertEquals("3", feed.json().getString("next"));

    Response redelivery = signedGithub(http, "v1-delivery");
    assertEquals(200, redelivery.status(), redelivery.body());
    assertEquals(new JsonObject().put("status", "duplicate"), redelivery.json(), "the dedup window survives the migration");
  }

  /** New rows land in the new partitions, and a consumer's pre-migration cursor continues. */
  private static void writesAndTheFeedCarryOn(Http http) {
    Response created = http.post("/spi/tooling_jobs", new JsonObject().put("tooling_job",
        new JsonObject().put("id", "v2-job").put("kind", "lint")));
    assertEquals(201, created.status(), created.body());
    assertEquals(200, http.get("/spi/tooling_jobs/v2-job").status());
    await("the event of a write after the migration follows the V1 events in the feed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> http.get("/internal/ingress/events?after=3", AUTH).json().getJsonArray("items"),
            items -> !items.isEmpty() && "v2-job".equals(items.getJsonObject(0).getJsonObject("data").getString("id")));
  }

  private static Response signedGithub(Http http, String delivery) {
    byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      return http.send(HttpMethod.POST, "/spi/webhooks/github", Map.of("Content-Type", "application/json",
          "X-Hub-Signature-256", signature, "X-GitHub-Event", "issues", "X-GitHub-Delivery", delivery), Buffer.buffer(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
