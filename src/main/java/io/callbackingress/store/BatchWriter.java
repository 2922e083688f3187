package io.callbackingress.store;

import io.callbackingress.events.Event;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.http.ApiException;
import io.callbackingress.http.Call;
import io.callbackingress.http.Reply;
import io.callbackingress.idempotency.IdempotencyKey;
import io.callbackingress.spi.MetricsCollector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on one event loop (SPEC 7).
 *
 * <p>Implementation notes. The loop owns one dedicated, pipelined connection. A write is queued;
 * when the connection is free the queued writes (at most {@code maxRows}) leave as one
 * transaction: BEGIN, every write's statements sent back to back without waiting, the batch's
 * events in one statement, COMMIT — one WAL flush for all of them. Each write's promise completes
 * only after COMMIT, so an answer always means durable.
 *
 * <p>An idle loop adds no delay: the first write leaves at once. Under a burst, writes pile up
 * while a batch commits and leave together in the next one; after a batch of several rows the
 * writer lingers up to {@code maxDelayMs} for the next batch to fill, which trades a bounded delay
 * for fewer, larger commits exactly when traffic is dense.
 *
 * <p>Writes report their outcomes (404, 409, stale, replay) as replies, not errors, so one item's
 * bad luck never aborts the others. If a batch fails anyway (a deadlock, a constraint no statement
 * anticipated), its writes are retried one transaction each, so only the culprit fails.
 */
public final class BatchWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  private static final String CLAIM_KEY = """
      INSERT INTO idempotency_keys (scope, key, fingerprint, expires_at)
      VALUES ($1, $2, $3, now() + make_interval(secs => $4))
      ON CONFLICT (scope, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, status = NULL, body = NULL, expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at < now()
      RETURNING 1""";
  private static final String FIND_KEY =
      "SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2";
  private static final String RECORD_REPLY =
      "UPDATE idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2";

  private final Vertx vertx;
  private final Database database;
  private final WriteBudget budget;
  private final EventOutbox outbox;
  private final MetricsCollector metrics;
  private final int maxRows;
  private final int maxDelayMs;
  private final int idempotencyTtlSeconds;

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private PgConnection connection;
  private boolean busy;
  private long lingerTimer = -1;
  private int lastBatchSize;

  public BatchWriter(Vertx vertx, Database database, WriteBudget budget, EventOutbox outbox,
                     MetricsCollector metrics, int maxRows, int maxDelayMs, int idempotencyTtlSeconds) {
    this.vertx = vertx;
    this.database = database;
    this.budget = budget;
    this.outbox = outbox;
    this.metrics = metrics;
    this.maxRows = maxRows;
    this.maxDelayMs = maxDelayMs;
    this.idempotencyTtlSeconds = idempotencyTtlSeconds;
  }

  @Override
  public Future<Reply> write(Call call, WriteOperation operation) {
    if (!budget.tryAcquire()) {
      return Future.failedFuture(ApiException.overloaded(1));
    }
    Pending pending = new Pending(call.requestId(), call.idempotencyKey(), operation);
    queue.add(pending);
    if (lingerTimer >= 0 && queue.size() >= maxRows) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    schedule();
    return pending.promise.future().andThen(done -> budget.release());
  }

  /** Completes when every queued write has been answered. */
  public Future<Void> drain() {
    if (queue.isEmpty() && !busy) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    vertx.setTimer(5, id -> drain().onComplete(drained));
    return drained.future();
  }

  private void schedule() {
    if (busy || queue.isEmpty() || lingerTimer >= 0) {
      return;
    }
    if (lastBatchSize > 1 && maxDelayMs > 0 && queue.size() < maxRows) {
      lingerTimer = vertx.setTimer(maxDelayMs, id -> {
        lingerTimer = -1;
        flush();
      });
      return;
    }
    flush();
  }

  private void flush() {
    if (busy || queue.isEmpty()) {
      return;
    }
    busy = true;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxRows));
    while (!queue.isEmpty() && batch.size() < maxRows) {
      batch.add(queue.poll());
    }
    connection()
        .compose(conn -> commit(conn, batch)
            .recover(failure -> batch.size() > 1 && conn == connection
                ? oneByOne(conn, batch)
                : Future.failedFuture(failure)))
        .onComplete(done -> {
          if (done.failed()) {
            log.error("batch of {} writes failed", batch.size(), done.cause());
            ApiException unavailable = ApiException.unavailable("Service unavailable", 1);
            batch.forEach(p -> p.promise.tryFail(unavailable));
          }
          busy = false;
          lastBatchSize = batch.size();
          schedule();
        });
  }

  private Future<Void> oneByOne(SqlConnection conn, List<Pending> batch) {
    log.warn("batch of {} writes failed; retrying each in its own transaction", batch.size());
    Future<Void> chain = Future.succeededFuture();
    for (Pending pending : batch) {
      chain = chain.compose(v -> commit(conn, List.of(pending))
          .recover(failure -> {
            log.error("write of request {} failed", pending.requestId, failure);
            pending.promise.tryFail(failure);
            return Future.succeededFuture();
          }));
    }
    return chain;
  }

  /** One transaction for the whole batch; completes the writes' promises only after COMMIT. */
  private Future<Void> commit(SqlConnection conn, List<Pending> batch) {
    return conn.begin().compose(tx -> {
      List<Event> events = new ArrayList<>();
      List<Future<Reply>> replies = new ArrayList<>(batch.size());
      for (Pending pending : batch) {
        replies.add(run(conn, pending, (type, data) -> events.add(Event.of(type, data, pending.requestId))));
      }
      return Future.all(replies)
          .compose(all -> outbox.store(conn, events))
          .compose(v -> tx.commit())
          .onFailure(failure -> tx.rollback())
          .map(v -> {
            metrics.batch(batch.size());
            for (int i = 0; i < batch.size(); i++) {
              batch.get(i).promise.tryComplete(replies.get(i).result());
            }
            outbox.publish(events);
            return null;
          });
    });
  }

  private Future<Reply> run(SqlConnection conn, Pending pending, EventSink events) {
    IdempotencyKey key = pending.key;
    if (key == null) {
      return pending.operation.execute(conn, events);
    }
    return conn.preparedQuery(CLAIM_KEY)
        .execute(Tuple.of(key.scope(), key.key(), key.fingerprint(), idempotencyTtlSeconds))
        .compose(claim -> claim.rowCount() == 1
            ? pending.operation.execute(conn, events)
                .compose(reply -> conn.preparedQuery(RECORD_REPLY)
                    .execute(Tuple.of(key.scope(), key.key(), reply.status(), reply.body().encode()))
                    .map(reply))
            : conn.preparedQuery(FIND_KEY)
                .execute(Tuple.of(key.scope(), key.key()))
                .map(rows -> earlier(key, rows.iterator().next())));
  }

  /** The answer to a key seen before (SPEC 6). */
  private static Reply earlier(IdempotencyKey key, Row stored) {
    if (!key.fingerprint().equals(stored.getString("fingerprint"))) {
      return new Reply(422, new JsonObject().put("error", "Idempotency-Key reused with a different payload"));
    }
    Integer status = stored.getInteger("status");
    if (status == null) {
      return new Reply(409, new JsonObject().put("error", "A request with this Idempotency-Key is in progress"));
    }
    return new Reply(status, new JsonObject(stored.getString("body")), true);
  }

  private Future<PgConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return database.connect(vertx).map(conn -> {
      connection = conn;
      conn.closeHandler(v -> {
        if (connection == conn) {
          connection = null;
        }
      });
      return conn;
    });
  }

  private static final class Pending {
    final String requestId;
    final IdempotencyKey key;
    final WriteOperation operation;
    final Promise<Reply> promise = Promise.promise();

    Pending(String requestId, IdempotencyKey key, WriteOperation operation) {
      this.requestId = requestId;
      this.key = key;
      this.operation = operation;
    }
  }
}
