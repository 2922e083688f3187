package io.callbackingress.retention;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.metrics.MicrometerMetricsCollector;
import io.callbackingress.store.Database;
import io.callbackingress.support.Db;
import io.callbackingress.support.Http;
import io.callbackingress.support.Http.Response;
import io.callbackingress.support.IngressServer;
import io.callbackingress.support.TestServices;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 14: what is past retention leaves — outbox and family rows by whole partitions, keys,
 * deliveries and state rows in bounded batches — by one replica at a time, and a feed cursor older
 * than what is kept answers 410 while newer cursors keep working. The server's own maintenance is
 * off; each test drives a {@link Retention} whose clock it moves.
 */
class RetentionTest {

  private static final String TOKEN = "retention-test-token-0123456789abcdef";
  private static final Map<String, String> AUTH = Map.of("X-Internal-Auth", TOKEN);
  /**
   * The feed holds rows back while older transactions anywhere in the cluster run (EventFeed), and
   * the statistics learn of a vacuum a moment after it ran.
   */
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final JsonObject CONFIG = new JsonObject()
      .put("idempotency", new JsonObject().put("ttlSeconds", 1))
      .put("retention", new JsonObject()
          .put("enabled", false)
          .put("eventsSeconds", 3600)
          .put("partitionSeconds", 600)
          .put("batchRows", 2));

  private IngressServer server;
  private Http http;
  private Db db;
  private MovableClock clock;
  private Retention retention;

  @BeforeEach
  void start() {
    Instant started = Instant.now();
    server = IngressServer.start("retention", CONFIG, Map.of("INGRESS_INTERNAL_AUTH_TOKENS", TOKEN));
    http = server.http();
    db = new Db(server.databaseUri);
    clock = new MovableClock(midPartitionTwoAfter(started));
    MicrometerMetricsCollector metrics = new MicrometerMetricsCollector();
    metrics.bind(server.registry);
    retention = new Retention(server.vertx, Database.of(server.databaseUri, server.config.postgres(), Map.of()),
        RetentionPlan.of(server.config), metrics, clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void partitionsAreMadeTwoWidthsAheadAndRowsWaitingInTheDefaultPartitionMoveIntoThem() {
    String run = createTestRun();
    assertEquals("test_runs_default", db.scalar("SELECT tableoid::regclass::text FROM test_runs WHERE id = '" + run + "'"),
        "before any maintenance, rows wait in the DEFAULT partition");

    RetentionReport report = retention.run().await();

    assertEquals(Map.of(), report.failed());
    assertTrue(report.created().stream().anyMatch(p -> p.startsWith("ingress_events_p")), report.created().toString());
    String partition = (String) db.scalar("SELECT tableoid::regclass::text FROM test_runs WHERE id = '" + run + "'");
    assertTrue(partition.startsWith("test_runs_p"), partition);
    Object coveredUntil = db.scalar("SELECT max((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz)"
        + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'test_runs'::regclass");
    assertTrue(((java.sql.Timestamp) coveredUntil).toInstant().isAfter(clock.instant().plus(Duration.ofMinutes(20))),
        "covered until " + coveredUntil);
    assertEquals(200, http.get("/spi/test_runs/" + run).status(), "the moved row reads back");

    assertEquals(List.of(), retention.run().await().created(), "a second run has nothing to make");
  }

  /**
   * The first run after the migration makes the partition for now while writes pour into the
   * DEFAULT partition: no write may be refused for landing there on a stale partition map.
   */
  @Test
  void writesWhileThePartitionForNowIsMadeAreAllStored() {
    AtomicBoolean running = new AtomicBoolean(true);
    Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    List<Future<Void>> writers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      writers.add(keepWriting(running, statuses));
    }
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));

    RetentionReport report = retention.run().await();
    running.set(false);
    Future.all(writers).await();

    assertEquals(Map.of(), report.failed());
    assertTrue(report.created().stream().anyMatch(p -> p.startsWith("test_runs_p")), report.created().toString());
    Map<Integer, Long> byStatus = statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    assertEquals(Set.of(201), byStatus.keySet(), byStatus.toString());
    long answered = byStatus.get(201);
    assertEquals(answered, db.count("SELECT count(*) FROM test_runs") + db.count("SELECT count(*) FROM ai_analyses"));
    assertEquals(0, db.count("SELECT count(*) FROM test_runs_default") + db.count("SELECT count(*) FROM ai_analyses_default"),
        "the rows that waited in the DEFAULT partition moved into the new one");
  }

  /** Alternates test runs and AI analyses (each with its event) until told to stop. */
  private Future<Void> keepWriting(AtomicBoolean running, Queue<Integer> statuses) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    boolean run = statuses.size() % 2 == 0;
    JsonObject body = run ? testRun() : new JsonObject().put("ai_analysis", new JsonObject().put("submission_uuid", "s-1")
        .put("track_slug", "ruby").put("exercise_slug", "two-fer").put("patterns", new JsonArray().add("guard-clause")));
    return http.request(HttpMethod.POST, run ? "/spi/test_runs" : "/spi/ai_analysis", Http.json(), body.toBuffer())
        .compose(response -> {
          statuses.add(response.status());
          return keepWriting(running, statuses);
        });
  }

  @Test
  void eventsPastRetentionLeaveWithTheirPartitionAndAnOlderCursorAnswersCursorExpired() {
    String job = "kept-until-dropped-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/tooling_jobs", toolingJob(job)).status());
    JsonObject event = await("the event of " + job + " in the feed")
        .atMost(SETTLE)
        .until(() -> feed("").stream().filter(e -> mentions(e, job)).findFirst().orElse(null), Objects::nonNull);
    long seq = (long) db.scalar("SELECT seq FROM ingress_events WHERE id = '" + event.getString("id") + "'");
    retention.run().await();
    String partition = (String) db.scalar("SELECT tableoid::regclass::text FROM ingress_events WHERE seq = " + seq);
    assertTrue(partition.startsWith("ingress_events_p"), partition);

    clock.advance(Duration.ofHours(2));
    RetentionReport report = retention.run().await();

    assertEquals(Map.of(), report.failed());
    assertTrue(report.dropped().contains(partition), report.dropped().toString());
    assertEquals(0, db.count("SELECT count(*) FROM ingress_events WHERE seq = " + seq));
    assertEquals(seq, db.scalar("SELECT expired_through FROM ingress_events_horizon"));

    Response expired = http.get("/internal/ingress/events?after=" + (seq - 1), AUTH);
    assertEquals(410, expired.status(), expired.body());
    assertEquals(new JsonObject().put("error", "Cursor expired"), expired.json());
    assertEquals(410, http.get("/internal/ingress/events?after=0", AUTH).status());

    Response caughtUp = http.get("/internal/ingress/events?after=" + seq, AUTH);
    assertEquals(200, caughtUp.status(), caughtUp.body());
    assertEquals(new JsonObject().put("items", new JsonArray()).put("next", Long.toString(seq)), caughtUp.json());
    String later = "after-the-drop-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/tooling_jobs", toolingJob(later)).status());
    JsonObject next = await("an event after the cursor " + seq)
        .atMost(SETTLE)
        .until(() -> http.get("/internal/ingress/events?after=" + seq, AUTH).json().getJsonArray("items"), items -> !items.isEmpty())
        .getJsonObject(0);
    assertTrue(mentions(next, later), next.encode());
    assertTrue(feed("").stream().noneMatch(e -> mentions(e, job)), "no cursor: from the oldest event kept");
  }

  @Test
  void expiredIdempotencyKeysLeaveInBatchesOfBatchRows() {
    for (int i = 0; i < 5; i++) {
      assertEquals(201, http.post("/spi/test_runs", testRun(), Map.of("Idempotency-Key", "expiring-" + i)).status());
    }
    assertEquals(5, db.count("SELECT count(*) FROM idempotency_keys WHERE scope <> 'commit'"));
    assertEquals(5, db.count("SELECT count(*) FROM idempotency_keys WHERE scope = 'commit'"), "a commit marker per batch");

    RetentionReport report = retention.run().await();

    assertEquals(10L, report.deleted().get("idempotency_keys"), "batches of 2 until one comes back short: " + report.deleted());
    assertEquals(0, db.count("SELECT count(*) FROM idempotency_keys"));
    assertEquals(5, db.count("SELECT count(*) FROM test_runs"), "the writes themselves stay");
    String metrics = http.get("/metrics").body();
    assertTrue(metrics.contains("ingress_retention_rows_deleted_total{table=\"idempotency_keys\"} 10.0"), metrics);
    // From the oldest event's bound to the partition of now, that one, and two ahead (midPartitionTwoAfter).
    assertTrue(metrics.contains("ingress_retention_partitions_total{change=\"created\",table=\"ingress_events\"} 4.0"), metrics);
    assertTrue(metrics.matches("(?s).*ingress_retention_oldest_row_age_seconds\\{table=\"test_runs\"} [1-9][0-9.]*\n.*"), metrics);
  }

  @Test
  void deliveriesAndStateRowsPastTheirPeriodLeaveAndYoungerOnesStay() {
    String oldJob = "old-" + UUID.randomUUID();
    String newJob = "new-" + UUID.randomUUID();
    assertEquals(201, http.post("/spi/tooling_jobs", toolingJob(oldJob)).status());
    assertEquals(201, http.post("/spi/tooling_jobs", toolingJob(newJob)).status());
    TestServices.sql(server.databaseUri, "UPDATE tooling_jobs SET created_at = now() - interval '31 days' WHERE id = '" + oldJob + "'");
    TestServices.sql(server.databaseUri, "INSERT INTO webhook_deliveries (id, source, event_type, delivery_id, content_type, body, received_at)"
        + " VALUES (gen_random_uuid(), 'github', 'push', 'old', 'application/json', '\\x7b7d', now() - interval '8 days'),"
        + " (gen_random_uuid(), 'github', 'push', 'recent', 'application/json', '\\x7b7d', now() - interval '6 days')");

    RetentionReport report = retention.run().await();

    assertEquals(1L, report.deleted().get("tooling_jobs"), report.deleted().toString());
    assertEquals(1L, report.deleted().get("webhook_deliveries"), report.deleted().toString());
    assertEquals(404, http.get("/spi/tooling_jobs/" + oldJob).status());
    assertEquals(200, http.get("/spi/tooling_jobs/" + newJob).status());
    assertEquals("recent", db.scalar("SELECT string_agg(delivery_id, ',') FROM webhook_deliveries"));
    await("the tables that lost rows vacuumed")
        .atMost(SETTLE)
        .until(() -> db.count("SELECT count(*) FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL"
            + " AND relname IN ('tooling_jobs', 'webhook_deliveries')") == 2);
    assertEquals(0, db.count("SELECT count(*) FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL AND relname = 'video_nodes'"),
        "only what lost rows is vacuumed");
  }

  @Test
  void aReplicaWhoseNeighbourHoldsTheLockDoesNothing() throws SQLException {
    String run = createTestRun();
    try (Connection neighbour = TestServices.jdbc(server.databaseUri); Statement s = neighbour.createStatement()) {
      // The neighbour's run holds the lock per transaction, as behind a transaction pooler.
      neighbour.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(" + Retention.LOCK_KEY + ")");

      RetentionReport report = retention.run().await();

      assertTrue(report.skipped());
      assertEquals(List.of(), report.created());
      assertEquals("test_runs_default", db.scalar("SELECT tableoid::regclass::text FROM test_runs WHERE id = '" + run + "'"));
      neighbour.commit();
      assertFalse(retention.run().await().skipped(), "the lock goes with the neighbour's transaction");
    }
    assertEquals(0, db.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
        "a run leaves no lock behind in a server session");
  }

  private String createTestRun() {
    Response created = http.post("/spi/test_runs", testRun());
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
  }

  private static JsonObject testRun() {
    return new JsonObject().put("test_run", new JsonObject().put("submission_uuid", "s-1").put("track_slug", "ruby")
        .put("exercise_slug", "two-fer").put("status", "pass"));
  }

  private static JsonObject toolingJob(String id) {
    return new JsonObject().put("tooling_job", new JsonObject().put("id", id).put("kind", "lint"));
  }

  private static boolean mentions(JsonObject event, String id) {
    return id.equals(event.getJsonObject("data").getString("id"));
  }

  /** The whole feed from {@code query}'s start, paged as a consumer would. */
  private List<JsonObject> feed(String query) {
    Response page = http.get("/internal/ingress/events?limit=1000" + query, AUTH);
    assertEquals(200, page.status(), page.body());
    return page.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  /**
   * The middle of the partition two widths after the one holding {@code started}, the moment before
   * the test's database was made: a first run then makes one partition from the bound before the
   * oldest row waiting in the DEFAULT partition up to that one, that one and two ahead, whatever the
   * test wrote and wherever the wall clock stands in a partition. Every write of a test lands before
   * it, so every idempotency key has expired by it.
   */
  private Instant midPartitionTwoAfter(Instant started) {
    long width = CONFIG.getJsonObject("retention").getLong("partitionSeconds");
    long partitionOfTheStart = Math.floorDiv(started.getEpochSecond(), width) * width;
    return Instant.ofEpochSecond(partitionOfTheStart + 2 * width + width / 2);
  }

  /** The maintenance's idea of now, moved by the test instead of waiting hours. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
