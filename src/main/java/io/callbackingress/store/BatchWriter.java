package io.callbackingress.store;

import io.callbackingress.spi.ApiException;
import io.callbackingress.store.BatchCommitter.AnswerHook;
import io.callbackingress.spi.Call;
import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.WriteOperation;
import io.callbackingress.spi.Writer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
 * transaction ({@link BatchCommitter}). Each write's promise completes only after COMMIT, so an
 * answer always means durable.
 *
 * <p>An idle loop adds no delay: the first write leaves at once. Under a burst, writes pile up
 * while a batch commits and leave together in the next one; after a batch of several rows the
 * writer lingers up to {@code maxDelayMs} for the next batch to grow as large as that one, which
 * trades a bounded delay for fewer, larger commits exactly when traffic is dense.
 *
 * <p>Writes report their outcomes (404, 409, stale, replay) as replies, not errors, so one item's
 * bad luck never aborts the others. If the server rejects a batch anyway (a deadlock, a constraint
 * no statement anticipated), its writes are retried one transaction each, so only the culprit
 * fails. If Postgres cannot take writes — the circuit is open, the connection drops, a commit times
 * out, the server is read-only or in recovery ({@link Outages}) — the batch goes to the spool
 * instead, with its {@link CommitMarker} in case it committed after all, and so does every write
 * after it until the spool has drained ({@link SpoolReplayer}), which keeps writes in order. A
 * write that fails alone for a passing reason (a deadlock, a pooler's session state) is spooled
 * too: it is not the write's fault, and the caller was promised durability, not a 500.
 */
public final class BatchWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  private final Vertx vertx;
  private final DedicatedConnection connection;
  private final PostgresCircuit circuit;
  private final BatchCommitter committer;
  private final Spooler spooler;
  private final int maxRows;
  private final int maxDelayMs;

  private final ArrayDeque<PendingWrite<?>> queue = new ArrayDeque<>();
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private boolean busy;
  private long lingerTimer = -1;
  private int lastBatchSize;

  public BatchWriter(Vertx vertx, Database database, PostgresCircuit circuit, BatchCommitter committer,
                     Spooler spooler, int maxRows, int maxDelayMs) {
    this.vertx = vertx;
    this.connection = new DedicatedConnection(vertx, database);
    this.circuit = circuit;
    this.committer = committer;
    this.spooler = spooler;
    this.maxRows = maxRows;
    this.maxDelayMs = maxDelayMs;
  }

  @Override
  public <T extends Record> Future<Reply> write(Call call, WriteOperation<T> operation, T input) {
    PendingWrite<T> write = PendingWrite.of(call.requestId(), call.idempotencyKey(), operation, input);
    queue.add(write);
    if (lingerTimer >= 0 && queue.size() >= lingerTarget()) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    schedule();
    return write.promise().future();
  }

  /** Completes when every queued write has been answered. */
  public Future<Void> drain() {
    if (queue.isEmpty() && !busy) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    drainWaiters.add(drained);
    return drained.future();
  }

  private void schedule() {
    if (busy || lingerTimer >= 0) {
      return;
    }
    if (queue.isEmpty()) {
      drainWaiters.forEach(Promise::tryComplete);
      drainWaiters.clear();
      return;
    }
    if (lastBatchSize > 1 && maxDelayMs > 0 && queue.size() < lingerTarget()) {
      lingerTimer = vertx.setTimer(maxDelayMs, id -> {
        lingerTimer = -1;
        flush();
      });
      return;
    }
    flush();
  }

  /**
   * A lingering batch leaves as soon as it is as large as the last one: the callers that batch
   * answered are back, and waiting longer would only add their latency.
   */
  private int lingerTarget() {
    return Math.min(maxRows, lastBatchSize);
  }

  private void flush() {
    if (busy || queue.isEmpty()) {
      return;
    }
    busy = true;
    List<PendingWrite<?>> batch = new ArrayList<>(Math.min(queue.size(), maxRows));
    while (!queue.isEmpty() && batch.size() < maxRows) {
      batch.add(queue.poll());
    }
    Future<Void> done = spooler.isActive() || !circuit.isClosed()
        ? spooler.spool(batch)
        : commitOrSpool(batch);
    done.onComplete(v -> {
      busy = false;
      lastBatchSize = batch.size();
      schedule();
    });
  }

  private Future<Void> commitOrSpool(List<PendingWrite<?>> batch) {
    IdempotencyKey marker = CommitMarker.next();
    return circuit.attempt(() -> connection.get().compose(conn -> committer.commit(conn, batch, marker, AnswerHook.NONE)))
        .map(replies -> {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).promise().tryComplete(replies.get(i));
          }
          return (Void) null;
        })
        .recover(failure -> {
          if (!Outages.isNotTheWrite(failure)) {
            return batch.size() > 1 ? oneByOne(batch) : fail(batch.get(0), failure);
          }
          // The server may be read-only now, or the session broken: the next batch connects afresh.
          connection.close();
          if (Outages.isOutage(failure)) {
            log.warn("Postgres cannot take writes ({}): {} writes go to the spool", failure.getMessage(), batch.size());
            return spooler.spool(batch, marker);
          }
          if (batch.size() > 1) {
            return oneByOne(batch);
          }
          log.warn("write of request {} met a passing failure ({}): it goes to the spool", batch.get(0).requestId(),
              failure.getMessage());
          return spooler.spool(batch, marker);
        });
  }

  private Future<Void> oneByOne(List<PendingWrite<?>> batch) {
    log.warn("Postgres refused a batch of {} writes; retrying each in its own transaction", batch.size());
    Future<Void> chain = Future.succeededFuture();
    for (PendingWrite<?> write : batch) {
      chain = chain.compose(v -> commitOrSpool(List.of(write)));
    }
    return chain;
  }

  private static Future<Void> fail(PendingWrite<?> write, Throwable failure) {
    log.error("write of request {} failed", write.requestId(), failure);
    write.promise().tryFail(failure instanceof ApiException ? failure : new IllegalStateException("write failed", failure));
    return Future.succeededFuture();
  }

}
