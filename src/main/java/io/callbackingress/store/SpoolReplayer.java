package io.callbackingress.store;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.RetryPolicy;
import io.callbackingress.spi.WriteContext;
import io.callbackingress.spi.WriteOperation;
import io.callbackingress.spool.Spool;
import io.callbackingress.spool.SpoolRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool into Postgres in order (SPEC 7), one batch at a time through the same
 * committer as live writes, acknowledging a batch only after it committed. A crash between the
 * commit and the acknowledgement replays the batch again; the writes' idempotency keys make that
 * second run answer from what the first stored instead of writing twice.
 *
 * <p>A spooled write whose outcome depends on stored state was answered {@code 202 queued}; when
 * it turns out not found or refused, that outcome is recorded as a {@code callback.stale} event,
 * in the same transaction, for whoever watches the events. While Postgres stays away the
 * replayer backs off by the configured retry policy, capped at {@code retry.maxMs}.
 */
public final class SpoolReplayer extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(SpoolReplayer.class);
  /** How often an empty spool is looked at again: new records arrive only during an outage. */
  private static final long IDLE_MILLIS = 250;

  private final Spool spool;
  private final Database database;
  private final PostgresCircuit circuit;
  private final BatchCommitter committer;
  private final Map<String, WriteOperation<?>> operations;
  private final RetryPolicy retryPolicy;
  private final IngressConfig.Retry retrySettings;
  private final int maxRows;
  private final DeadLetterShelf deadLetters;

  private DedicatedConnection connection;
  private boolean stopped;
  private int failedAttempts;
  private Promise<Void> roundDone = Promise.promise();

  public SpoolReplayer(Spool spool, Database database, PostgresCircuit circuit, BatchCommitter committer,
                       Map<String, WriteOperation<?>> operations, RetryPolicy retryPolicy, IngressConfig.Retry retrySettings,
                       int maxRows, DeadLetterShelf deadLetters) {
    this.spool = spool;
    this.database = database;
    this.circuit = circuit;
    this.committer = committer;
    this.operations = operations;
    this.retryPolicy = retryPolicy;
    this.retrySettings = retrySettings;
    this.maxRows = maxRows;
    this.deadLetters = deadLetters;
  }

  @Override
  public Future<?> start() {
    connection = new DedicatedConnection(vertx, database);
    roundDone.complete();
    round();
    return Future.succeededFuture();
  }

  /** Lets the round in progress finish: a batch is either committed and acknowledged, or left for next time. */
  @Override
  public Future<?> stop() {
    stopped = true;
    return roundDone.future().eventually(() -> connection.close());
  }

  private void round() {
    if (stopped) {
      return;
    }
    roundDone = Promise.promise();
    spool.next(maxRows)
        .compose(records -> records.isEmpty() ? Future.succeededFuture(0) : replay(records)
            .compose(v -> spool.acknowledge(records.get(records.size() - 1).position()))
            .map(records.size()))
        .onComplete(result -> {
          roundDone.tryComplete();
          if (stopped) {
            return;
          }
          if (result.succeeded()) {
            failedAttempts = 0;
            if (result.result() > 0) {
              log.info("replayed {} spooled writes into Postgres", result.result());
              vertx.runOnContext(v -> round());
            } else {
              vertx.setTimer(IDLE_MILLIS, id -> round());
            }
          } else {
            if (failedAttempts == 0) {
              log.warn("replaying the spool failed, retrying until Postgres takes the writes: {}", result.cause().getMessage());
            }
            failedAttempts++;
            long delay = retryPolicy.delayMillis(failedAttempts, retrySettings);
            vertx.setTimer(Math.max(IDLE_MILLIS, delay < 0 ? retrySettings.maxMs() : delay), id -> round());
          }
        });
  }

  /**
   * Commits the records as one batch. A batch the server refuses is retried record by record, and
   * a record that still fails for a reason of its own — or cannot be decoded, or names an
   * operation no enabled family has — becomes a dead letter: kept and counted, never retried, so
   * it cannot hold up the records behind it. A failure that is not the writes' own (an outage, a
   * standby still in recovery, a deadlock) fails the round, to be retried whole: only a writable
   * primary refusing a write for its content makes a dead letter.
   */
  private Future<Void> replay(List<SpoolRecord> records) {
    List<PendingWrite<?>> writes = new ArrayList<>(records.size());
    List<SpoolRecord> replayed = new ArrayList<>(records.size());
    Future<Void> setAside = Future.succeededFuture();
    for (SpoolRecord record : records) {
      SpooledWrite spooled;
      try {
        spooled = SpooledWrite.decode(record.payload());
      } catch (RuntimeException undecodable) {
        setAside = setAside.compose(v -> deadLetter(record, "undecodable: " + undecodable.getMessage()));
        continue;
      }
      WriteOperation<?> operation = operations.get(spooled.operation());
      if (operation == null) {
        setAside = setAside.compose(v -> deadLetter(record, "no enabled family has the operation " + spooled.operation()));
        continue;
      }
      try {
        writes.add(PendingWrite.replay(spooled, operation));
      } catch (RuntimeException undecodable) {
        setAside = setAside.compose(v -> deadLetter(record, "undecodable: " + undecodable.getMessage()));
        continue;
      }
      replayed.add(record);
    }
    return setAside.compose(v -> commit(writes).recover(failure -> {
      if (Outages.isNotTheWrite(failure)) {
        return retryLater(failure);
      }
      if (writes.size() == 1) {
        return deadLetter(replayed.get(0), failure);
      }
      log.warn("Postgres refused a replayed batch of {} writes; replaying each in its own transaction", writes.size());
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < writes.size(); i++) {
        PendingWrite<?> write = writes.get(i);
        SpoolRecord record = replayed.get(i);
        chain = chain.compose(done -> commit(List.of(write))
            .recover(f -> Outages.isNotTheWrite(f) ? retryLater(f) : deadLetter(record, f)));
      }
      return chain;
    }));
  }

  private Future<Void> commit(List<PendingWrite<?>> writes) {
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    return circuit.attempt(() -> connection.get().compose(sql -> committer.commit(sql, writes, null, SpoolReplayer::recordOutcome)))
        .mapEmpty();
  }

  /**
   * Fails the round over a failure that is not the writes' own — an outage, a read-only server, a
   * deadlock — so the same records are tried again later, on a new connection.
   */
  private Future<Void> retryLater(Throwable failure) {
    connection.close();
    return Future.failedFuture(failure);
  }

  private Future<Void> deadLetter(SpoolRecord record, Throwable failure) {
    return deadLetter(record, "refused by Postgres: " + DeadLetterView.reason(failure));
  }

  private Future<Void> deadLetter(SpoolRecord record, String reason) {
    return deadLetters.setAside(record, reason);
  }

  /** SPEC 7: a queued write that turns out not found or refused becomes an event. */
  static void recordOutcome(PendingWrite<?> write, Reply reply, WriteContext context) {
    if (reply.status() < 400 || reply.replayed()) {
      return;
    }
    JsonObject data = new JsonObject()
        .put("operation", write.operation().name())
        .put("status", reply.status())
        .put("error", reply.body().getValue("error"));
    JsonObject input = write.inputAsJson();
    for (String idField : new String[] {"id", "node_uuid"}) {
      if (input.containsKey(idField)) {
        data.put(idField, input.getValue(idField));
      }
    }
    context.emit("callback.stale", data);
  }
}
