package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.config.ConfigNode;
import io.callbackingress.config.IngressConfig;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.metrics.NoopMetricsCollector;
import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.toolkit.InsertOperation;
import io.callbackingress.spi.toolkit.RowInsert;
import io.callbackingress.support.TestServices;
import io.callbackingress.support.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live batch of inserts without idempotency keys leaves in one flight — BEGIN, its commit
 * marker, the inserts, their events and COMMIT, in one write — and is still one transaction: when
 * one insert fails, nothing of the batch is stored (no row, no event, no marker), and the
 * connection takes the next batch.
 */
class OneFlightCommitTest {

  record Row(String name) {}

  /** Postgres refuses this name (a CHECK constraint): an insert that fails after the flight has left. */
  private static final String REFUSED = "refused";
  private static final InsertOperation<Row> INSERT = new InsertOperation<>("flight.insert", Row.class,
      RowInsert.into("flight_rows", RowInsert.text("name")),
      row -> new Object[] {row.name()},
      (row, context) -> context.emit("flight.inserted", new JsonObject().put("name", row.name())),
      row -> Reply.created(new JsonObject().put("name", row.name())));

  private static Vertx vertx;
  private static Context loop;
  private static String uri;
  private static SqlConnection sql;
  private static BatchCommitter committer;

  @BeforeAll
  static void start() throws Exception {
    uri = TestServices.newDatabase("one_flight");
    IngressConfig.Postgres defaults = IngressConfig.read(ConfigNode.root(new JsonObject(), Map.of())).postgres();
    Database database = Database.of(uri, defaults, Map.of());
    Migrations.migrate(database, List.of());
    TestServices.sql(uri, "CREATE TABLE flight_rows (name text NOT NULL CHECK (name <> '" + REFUSED + "'))");
    vertx = TestVertx.create(TestVertx.registry());
    loop = vertx.getOrCreateContext();
    PgConnection connection = onLoop(() -> database.connect(vertx));
    CoalescedFlushes.install(connection);
    sql = connection;
    committer = new BatchCommitter(new EventOutbox(vertx.eventBus()), new NoopMetricsCollector(), 60);
  }

  @AfterAll
  static void stop() throws Exception {
    onLoop(() -> sql.close());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBatchOfInsertsCommitsItsRowsItsEventsAndItsMarker() throws Exception {
    IdempotencyKey marker = CommitMarker.next();

    List<Reply> replies = commit(marker, "ada", "grace");

    assertEquals(List.of(201, 201), replies.stream().map(Reply::status).toList());
    assertEquals("grace", replies.get(1).body().getString("name"));
    assertEquals(List.of("ada", "grace"), strings("SELECT name FROM flight_rows WHERE name IN ('ada', 'grace') ORDER BY name"));
    assertEquals(List.of("ada", "grace"),
        strings("SELECT data::jsonb->>'name' FROM ingress_events WHERE data::jsonb->>'name' IN ('ada', 'grace') ORDER BY 1"));
    assertEquals(List.of(marker.key()), strings("SELECT key FROM idempotency_keys WHERE key = '" + marker.key() + "'"));
  }

  @Test
  void anInsertThatFailsLeavesNothingOfItsBatchAndTheConnectionWorksOn() throws Exception {
    IdempotencyKey marker = CommitMarker.next();

    ExecutionException failure = assertThrows(ExecutionException.class, () -> commit(marker, "alan", REFUSED, "edsger"));

    assertTrue(failure.getCause().getMessage().contains("flight_rows"), failure.getCause().getMessage());
    assertEquals(List.of(), strings("SELECT name FROM flight_rows WHERE name IN ('alan', 'edsger')"));
    assertEquals(List.of(), strings("SELECT data::jsonb->>'name' FROM ingress_events WHERE data::jsonb->>'name' IN ('alan', 'edsger')"));
    assertEquals(List.of(), strings("SELECT key FROM idempotency_keys WHERE key = '" + marker.key() + "'"));

    assertEquals(List.of(201), commit(CommitMarker.next(), "barbara").stream().map(Reply::status).toList());
    assertEquals(List.of("barbara"), strings("SELECT name FROM flight_rows WHERE name = 'barbara'"));
  }

  private static List<Reply> commit(IdempotencyKey marker, String... names) throws Exception {
    List<PendingWrite<?>> batch = new ArrayList<>();
    for (String name : names) {
      batch.add(PendingWrite.of("request-" + name, null, INSERT, new Row(name)));
    }
    return onLoop(() -> committer.commit(sql, batch, marker, BatchCommitter.AnswerHook.NONE));
  }

  /** Runs {@code action} on the connection's event loop, as the writer does, and waits for its outcome. */
  private static <T> T onLoop(Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> outcome = new CompletableFuture<>();
    loop.runOnContext(v -> action.get().onComplete(result -> {
      if (result.succeeded()) {
        outcome.complete(result.result());
      } else {
        outcome.completeExceptionally(result.cause());
      }
    }));
    return outcome.get(10, TimeUnit.SECONDS);
  }

  private static List<String> strings(String query) throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection jdbc = TestServices.jdbc(uri); ResultSet rows = jdbc.createStatement().executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
