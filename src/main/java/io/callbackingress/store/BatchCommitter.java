package io.callbackingress.store;

import io.callbackingress.events.Event;
import io.callbackingress.events.EventOutbox;
import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.toolkit.InsertOperation;
import io.callbackingress.spi.MetricsCollector;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.WriteContext;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch of writes as one transaction (SPEC 7) — one WAL flush for all of them — in a
 * fixed number of statements whatever the batch size: BEGIN, claim every idempotency key, run
 * the writes (consecutive writes of one operation together, one statement for an
 * {@link InsertOperation}), record the answers and look up the keys taken before, store the
 * batch's events, COMMIT. Keys are claimed and answers recorded inside the same transaction, so a
 * key and its write are durable together or not at all.
 *
 * <p>Implementation notes. The transaction is driven with plain BEGIN/COMMIT so that statements
 * that do not depend on each other's results leave pipelined: BEGIN with the claim, and the
 * events with COMMIT — three round trips for a batch of inserts with idempotency keys, one
 * without. The writes wait for the claim only to learn which keys are theirs; the events and
 * COMMIT wait for the writes only when an operation emits events from what a statement answers
 * ({@link WriteOperation#emitsWhenSent()}). Postgres answers a COMMIT of a transaction that an
 * earlier statement aborted with ROLLBACK, not an error, so the batch counts as committed only
 * when every one of its statements succeeded; after any failure it sends ROLLBACK and waits for
 * it, leaving the connection ready for the next transaction.
 *
 * <p>A live batch claims a {@link CommitMarker} with its keys, at no extra round trip; replayed
 * writes that carry the marker of a batch whose outcome was unknown claim it first, one round trip
 * more, and are skipped when that batch did commit.
 */
public final class BatchCommitter {

  private static final Logger log = LoggerFactory.getLogger(BatchCommitter.class);

  /** Called inside the transaction with each write's answer, before COMMIT. */
  @FunctionalInterface
  interface AnswerHook {
    AnswerHook NONE = (write, reply, context) -> { };

    void answered(PendingWrite<?> write, Reply reply, WriteContext context);
  }

  private final EventOutbox outbox;
  private final MetricsCollector metrics;
  private final IdempotencyLedger ledger;

  public BatchCommitter(EventOutbox outbox, MetricsCollector metrics, int idempotencyTtlSeconds) {
    this.outbox = outbox;
    this.metrics = metrics;
    this.ledger = new IdempotencyLedger(idempotencyTtlSeconds);
  }

  /**
   * The writes' answers, in order, once the transaction has committed; a failure if it did not,
   * reported only after the rollback has finished, so the connection is ready for the next
   * transaction (a retry of the same writes one by one, say).
   */
  Future<List<Reply>> commit(SqlConnection sql, List<PendingWrite<?>> batch, IdempotencyKey marker, AnswerHook hook) {
    Run run = new Run(sql, batch, marker, hook);
    Future<List<Reply>> committed;
    try {
      committed = run.execute(sql.query("BEGIN").execute().mapEmpty());
    } catch (RuntimeException bug) {
      committed = Future.failedFuture(bug);
    }
    return committed
        .recover(failure -> sql.query("ROLLBACK").execute().transform(rolledBack -> Future.<List<Reply>>failedFuture(failure)))
        .onSuccess(replies -> {
          metrics.batch(batch.size());
          outbox.publish(run.events);
          run.afterCommit.forEach(Runnable::run);
        });
  }

  /** One batch inside its transaction. */
  private final class Run {
    /** The answer of a replayed write that a batch whose outcome was unknown had committed after all. */
    static final Reply COMMITTED_BEFORE = new Reply(200, new JsonObject(), true);

    final SqlConnection sql;
    final List<PendingWrite<?>> batch;
    /** This batch's own commit marker, or null when nobody will ask whether it committed. */
    final IdempotencyKey marker;
    final AnswerHook hook;
    final List<Event> events = new ArrayList<>();
    final List<Runnable> afterCommit = new ArrayList<>();
    final List<WriteContext> contexts;
    final Reply[] replies;
    /** The writes a batch whose outcome was unknown had committed after all. */
    final boolean[] committedBefore;
    /** The batch positions of writes with an idempotency key, their keys, and answers known in advance. */
    final List<Integer> keyed = new ArrayList<>();
    final List<IdempotencyKey> keys = new ArrayList<>();
    final List<Reply> inAdvance = new ArrayList<>();

    Run(SqlConnection sql, List<PendingWrite<?>> batch, IdempotencyKey marker, AnswerHook hook) {
      this.sql = sql;
      this.batch = batch;
      this.marker = marker;
      this.hook = hook;
      this.contexts = batch.stream().map(this::context).toList();
      this.replies = new Reply[batch.size()];
      this.committedBefore = new boolean[batch.size()];
    }

    /** Everything after BEGIN ({@code begun}, in flight), COMMIT included. */
    Future<List<Reply>> execute(Future<Void> begun) {
      List<IdempotencyKey> carried = carriedMarkers();
      if (carried.isEmpty()) {
        return claimAndWrite(begun);
      }
      Future<boolean[]> free = ledger.claim(sql, carried, Collections.nCopies(carried.size(), CommitMarker.ANSWER));
      return Future.all(begun, free).compose(started -> {
        skipCommitted(carried, free.result());
        return claimAndWrite(Future.succeededFuture());
      });
    }

    /** The distinct markers replayed writes carry; none for a live batch, found without allocating. */
    private List<IdempotencyKey> carriedMarkers() {
      Set<IdempotencyKey> markers = null;
      for (PendingWrite<?> write : batch) {
        if (write.marker() != null) {
          if (markers == null) {
            markers = new LinkedHashSet<>();
          }
          markers.add(write.marker());
        }
      }
      return markers == null ? List.of() : List.copyOf(markers);
    }

    /** Marks the writes whose earlier batch did commit: its marker was taken. */
    private void skipCommitted(List<IdempotencyKey> carried, boolean[] free) {
      Set<IdempotencyKey> committed = new HashSet<>();
      for (int m = 0; m < carried.size(); m++) {
        if (!free[m]) {
          committed.add(carried.get(m));
        }
      }
      int skipped = 0;
      for (int i = 0; i < batch.size(); i++) {
        if (committed.contains(batch.get(i).marker())) {
          committedBefore[i] = true;
          replies[i] = COMMITTED_BEFORE;
          skipped++;
        }
      }
      if (skipped > 0) {
        log.info("{} spooled writes had committed before their connection was lost; not applied again", skipped);
      }
    }

    /** Claims this batch's marker and its writes' keys, runs the writes, settles the keys, commits. */
    private Future<List<Reply>> claimAndWrite(Future<Void> begun) {
      for (int i = 0; i < batch.size(); i++) {
        PendingWrite<?> write = batch.get(i);
        if (write.key() != null && !committedBefore[i]) {
          keyed.add(i);
          keys.add(write.key());
          inAdvance.add(write.answerInAdvance());
        }
      }
      Future<boolean[]> claimed = marker == null ? ledger.claim(sql, keys, inAdvance) : claimWithMarker();
      if (keys.isEmpty()) {
        // No write waits for a claim: the writes leave with BEGIN and the marker, a round trip less.
        Future<Void> written = runWrites(new boolean[0]);
        // And when no event waits for an answer, the events and COMMIT leave with them too.
        Future<?> committed = hook == AnswerHook.NONE && emittedWhenSent()
            ? Future.all(begun, claimed, written, eventsAndCommit())
            : Future.all(begun, claimed, written).compose(v -> eventsAndCommit());
        return committed.map(v -> Arrays.asList(replies));
      }
      return Future.all(begun, claimed)
          .compose(started -> runWrites(claimed.result()))
          .compose(v -> settleKeys(claimed.result()))
          .compose(v -> eventsAndCommit())
          .map(v -> Arrays.asList(replies));
    }

    /** Whether every write of the batch has emitted its events by the time it is sent. */
    private boolean emittedWhenSent() {
      for (PendingWrite<?> write : batch) {
        if (!write.operation().emitsWhenSent()) {
          return false;
        }
      }
      return true;
    }

    /** The writes' keys claimed in the same statement as the marker, which goes first. */
    private Future<boolean[]> claimWithMarker() {
      List<IdempotencyKey> withMarker = new ArrayList<>(keys.size() + 1);
      List<Reply> answers = new ArrayList<>(keys.size() + 1);
      withMarker.add(marker);
      answers.add(CommitMarker.ANSWER);
      withMarker.addAll(keys);
      answers.addAll(inAdvance);
      return ledger.claim(sql, withMarker, answers).map(owned -> Arrays.copyOfRange(owned, 1, owned.length));
    }

    /**
     * Records the answers of claimed keys not known in advance, and answers the writes whose key
     * was taken before from what it holds. Sent in this order on one connection, so a key repeated
     * within the batch finds the answer just recorded.
     */
    private Future<Void> settleKeys(boolean[] owned) {
      List<IdempotencyKey> toRecord = new ArrayList<>();
      List<Reply> answers = new ArrayList<>();
      List<Integer> taken = new ArrayList<>();
      for (int k = 0; k < keyed.size(); k++) {
        int i = keyed.get(k);
        if (!owned[k]) {
          taken.add(i);
        } else if (inAdvance.get(k) == null) {
          toRecord.add(keys.get(k));
          answers.add(replies[i]);
        }
      }
      Future<Void> recorded = ledger.record(sql, toRecord, answers);
      Future<List<Reply>> earlier = ledger.earlier(sql, taken.stream().map(i -> batch.get(i).key()).toList());
      return Future.all(recorded, earlier).map(both -> {
        for (int t = 0; t < taken.size(); t++) {
          replies[taken.get(t)] = earlier.result().get(t);
        }
        return null;
      });
    }

    /** The batch's events and COMMIT leave together: COMMIT only counts if every statement succeeded. */
    private Future<Void> eventsAndCommit() {
      for (int i = 0; i < batch.size(); i++) {
        hook.answered(batch.get(i), replies[i], contexts.get(i));
      }
      Future<Void> stored = outbox.store(sql, events);
      Future<Void> committed = sql.query("COMMIT").execute().mapEmpty();
      return Future.all(stored, committed).mapEmpty();
    }

    /**
     * Sends the writes that run — those without a key and those whose key this batch owns — in
     * batch order, consecutive writes of one operation together.
     */
    private Future<Void> runWrites(boolean[] owned) {
      boolean[] runs = new boolean[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        runs[i] = !committedBefore[i];
      }
      for (int k = 0; k < keyed.size(); k++) {
        runs[keyed.get(k)] = owned[k];
      }
      List<Future<?>> segments = new ArrayList<>();
      int i = 0;
      while (i < batch.size()) {
        if (!runs[i]) {
          i++;
          continue;
        }
        WriteOperation<?> operation = batch.get(i).operation();
        List<Integer> members = new ArrayList<>();
        while (i < batch.size() && (!runs[i] || batch.get(i).operation() == operation)) {
          if (runs[i]) {
            members.add(i);
          }
          i++;
        }
        segments.add(runSegment(operation, members));
      }
      return Future.all(segments).mapEmpty();
    }

    /**
     * An operation that throws instead of failing its future fails the batch, inside the
     * transaction. The members were grouped by operation, so their inputs are of its type.
     */
    @SuppressWarnings("unchecked")
    private <T extends Record> Future<Void> runSegment(WriteOperation<T> operation, List<Integer> members) {
      List<T> inputs = members.stream().map(i -> (T) batch.get(i).input()).toList();
      List<WriteContext> segmentContexts = members.stream().map(contexts::get).toList();
      Future<List<Reply>> answered;
      try {
        answered = operation.executeAll(sql, inputs, segmentContexts);
      } catch (RuntimeException bug) {
        answered = Future.failedFuture(bug);
      }
      return answered.map(answers -> {
        for (int m = 0; m < members.size(); m++) {
          replies[members.get(m)] = answers.get(m);
        }
        return null;
      });
    }

    private WriteContext context(PendingWrite<?> write) {
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

        @Override
        public void afterCommit(Runnable action) {
          afterCommit.add(action);
        }
      };
    }
  }
}
