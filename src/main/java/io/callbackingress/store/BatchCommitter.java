package io.callbackingress.store;

import io.callbackingress.events.Event;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.http.Reply;
import io.callbackingress.idempotency.IdempotencyKey;
import io.callbackingress.spi.MetricsCollector;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits a batch of writes as one transaction (SPEC 7): BEGIN, every write's statements sent
 * back to back without waiting, the batch's events in one statement, COMMIT — one WAL flush for
 * all of them. Idempotency keys are claimed and answers recorded inside the same transaction, so
 * a key and its write are durable together or not at all.
 */
public final class BatchCommitter {

  /** Called inside the transaction with each write's answer, before COMMIT. */
  @FunctionalInterface
  interface AnswerHook {
    AnswerHook NONE = (write, reply, context) -> { };

    void answered(PendingWrite write, Reply reply, WriteContext context);
  }

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

  private final EventOutbox outbox;
  private final MetricsCollector metrics;
  private final int idempotencyTtlSeconds;

  public BatchCommitter(EventOutbox outbox, MetricsCollector metrics, int idempotencyTtlSeconds) {
    this.outbox = outbox;
    this.metrics = metrics;
    this.idempotencyTtlSeconds = idempotencyTtlSeconds;
  }

  /**
   * The writes' answers, in order, once the transaction has committed; a failure if it did not,
   * reported only after the rollback has finished, so the connection is ready for the next
   * transaction (a retry of the same writes one by one, say).
   */
  Future<List<Reply>> commit(SqlConnection sql, List<PendingWrite> batch, AnswerHook hook) {
    return sql.begin().compose(tx -> {
      List<Event> events = new ArrayList<>();
      List<Future<Reply>> replies = new ArrayList<>(batch.size());
      for (PendingWrite write : batch) {
        WriteContext context = context(write, events);
        replies.add(run(sql, write, context).andThen(done -> {
          if (done.succeeded()) {
            hook.answered(write, done.result(), context);
          }
        }));
      }
      return Future.all(replies)
          .compose(all -> outbox.store(sql, events))
          .compose(v -> tx.commit())
          .recover(failure -> tx.rollback().transform(rolledBack -> Future.<Void>failedFuture(failure)))
          .map(v -> {
            metrics.batch(batch.size());
            outbox.publish(events);
            return replies.stream().map(Future::result).toList();
          });
    });
  }

  private WriteContext context(PendingWrite write, List<Event> events) {
    return new WriteContext() {
      @Override
      public void emit(String type, JsonObject data) {
        events.add(Event.of(type, data, write.requestId()));
      }

      @Override
      public String requestId() {
        return write.requestId();
      }

      @Override
      public MetricsCollector metrics() {
        return metrics;
      }
    };
  }

  /** A write operation that throws instead of failing its future fails that write, inside the transaction. */
  private Future<Reply> run(SqlConnection sql, PendingWrite write, WriteContext context) {
    try {
      return claimAndRun(sql, write, context);
    } catch (RuntimeException bug) {
      return Future.failedFuture(bug);
    }
  }

  private Future<Reply> claimAndRun(SqlConnection sql, PendingWrite write, WriteContext context) {
    IdempotencyKey key = write.key();
    if (key == null) {
      return write.operation().execute(sql, write.args(), context);
    }
    return sql.preparedQuery(CLAIM_KEY)
        .execute(Tuple.of(key.scope(), key.key(), key.fingerprint(), idempotencyTtlSeconds))
        .compose(claim -> claim.rowCount() == 1
            ? write.operation().execute(sql, write.args(), context)
                .compose(reply -> sql.preparedQuery(RECORD_REPLY)
                    .execute(Tuple.of(key.scope(), key.key(), reply.status(), reply.body().encode()))
                    .map(reply))
            : sql.preparedQuery(FIND_KEY)
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
}
