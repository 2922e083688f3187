package io.callbackingress.store;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.DeadLetterOperations;
import io.callbackingress.spi.toolkit.Storable;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of dead letters (SPEC 16): list, replay, discard, each outcome logged with
 * the dead letter's id beside the request's audit line. A replay goes through the same
 * {@link BatchCommitter} as every write — idempotency key, events, a {@code callback.stale} event
 * for a queued write that turns out not found or refused — with the dead letter removed in its
 * transaction ({@link ClearingWrite}).
 */
public final class DeadLetterReplays implements DeadLetterOperations {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterReplays.class);
  /** The canonical text of a UUID, the only form ids are handed out in; anything else is unknown. */
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  /** As the pipeline's other 503s: long enough for a failover to make progress. */
  private static final long UNAVAILABLE_RETRY_SECONDS = 5;

  private final Pool pool;
  private final DeadLetterTable table;
  private final BatchCommitter committer;
  private final Map<String, WriteOperation<?>> operations;

  public DeadLetterReplays(Pool pool, BatchCommitter committer, Map<String, WriteOperation<?>> operations) {
    this.pool = pool;
    this.table = new DeadLetterTable(pool);
    this.committer = committer;
    this.operations = operations;
  }

  @Override
  public Future<JsonObject> page(Long after, int limit, String family) {
    // No family's name holds U+0000 (which a text parameter cannot carry): such a filter matches nothing.
    return table.page(after, limit, family == null ? null : Storable.safe(family));
  }

  @Override
  public Future<Void> replay(String id, String requestId) {
    UUID deadLetter = parse(id);
    Future<String> applied = deadLetter == null ? Future.failedFuture(ApiException.notFound())
        : table.write(deadLetter).compose(payload -> {
          if (payload == null) {
            return Future.failedFuture(ApiException.notFound());
          }
          SpooledWrite spooled;
          try {
            spooled = SpooledWrite.decode(payload);
          } catch (RuntimeException undecodable) {
            return Future.failedFuture(refused("undecodable: " + undecodable.getMessage()));
          }
          WriteOperation<?> operation = spooled.operation() == null ? null : operations.get(spooled.operation());
          if (operation == null) {
            return Future.failedFuture(refused("no enabled family has the operation " + spooled.operation()));
          }
          return replay(deadLetter, spooled, operation);
        });
    return answered(applied, id, requestId, "replayed");
  }

  @Override
  public Future<Void> discard(String id, String requestId) {
    UUID deadLetter = parse(id);
    Future<String> discarded = deadLetter == null ? Future.failedFuture(ApiException.notFound())
        : table.delete(deadLetter).compose(gone -> gone ? Future.succeededFuture("discarded")
            : Future.failedFuture(ApiException.notFound()));
    return answered(discarded, id, requestId, "discarded");
  }

  /** The write committed with the dead letter's removal; what it answered, for the log. */
  private <T extends Record> Future<String> replay(UUID deadLetter, SpooledWrite spooled, WriteOperation<T> operation) {
    ClearingWrite<T> clearing = new ClearingWrite<>(operation, deadLetter);
    PendingWrite<T> write;
    try {
      write = PendingWrite.replay(spooled, clearing);
    } catch (RuntimeException undecodable) {
      return Future.failedFuture(refused("undecodable: " + undecodable.getMessage()));
    }
    return pool.withConnection(sql -> committer.commit(sql, List.of(write), null, SpoolReplayer::recordOutcome))
        .compose(replies -> {
          String outcome = "applied, " + operation.name() + " answered " + replies.get(0).status();
          if (clearing.ran()) {
            return Future.succeededFuture(outcome);
          }
          return table.delete(deadLetter).compose(gone -> gone
              ? Future.succeededFuture(outcome + " (stored before under its idempotency key)")
              : Future.failedFuture(ApiException.notFound()));
        })
        .recover(failure -> Future.failedFuture(failure instanceof ApiException || Outages.isNotTheWrite(failure) ? failure
            : refused(DeadLetterView.reason(failure))));
  }

  /**
   * Logs the outcome with the dead letter's id. A failure that is not the write's own (an outage,
   * a read-only server, a deadlock) becomes the 503 other reads answer: it says nothing of whether
   * the cause is fixed, so the dead letter stays and the operator tries again.
   */
  private static Future<Void> answered(Future<String> outcome, String id, String requestId, String action) {
    return outcome.transform(done -> {
      if (done.succeeded()) {
        log.info("dead letter {} {} by request {}: {}", id, action, requestId, done.result());
        return Future.succeededFuture();
      }
      Throwable failure = done.cause();
      if (failure instanceof ApiException answer) {
        log.info("dead letter {} not {} by request {}: {} {}", id, action, requestId, answer.status(), answer.body().encode());
        return Future.failedFuture(failure);
      }
      if (Outages.isNotTheWrite(failure)) {
        log.warn("dead letter {} not {} by request {}: Postgres cannot take it now: {}", id, action, requestId,
            failure.toString());
        return Future.failedFuture(ApiException.unavailable("Service unavailable", UNAVAILABLE_RETRY_SECONDS));
      }
      log.error("dead letter {} not {} by request {}", id, action, requestId, failure);
      return Future.failedFuture(failure);
    });
  }

  /** 409 with the reason, made safe to show like every dead letter's text. */
  private static ApiException refused(String reason) {
    return ApiException.conflict(DeadLetterView.safeText(reason));
  }

  private static UUID parse(String id) {
    return id != null && UUID_TEXT.matcher(id).matches() ? UUID.fromString(id) : null;
  }
}
