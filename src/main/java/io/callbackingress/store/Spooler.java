package io.callbackingress.store;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spool.Spool;
import io.callbackingress.spool.SpoolFullException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts writes into the spool while Postgres is away (SPEC 7) and answers them once fsynced. Every
 * spooled write carries an idempotency key — the caller's, or one made for it — because a replay
 * may run twice after a crash between its commit and its acknowledgement.
 */
public final class Spooler {

  private static final Logger log = LoggerFactory.getLogger(Spooler.class);
  /** The scope of keys made for spooled writes that came without one. */
  static final String IMPLICIT_SCOPE = "spool";

  private final Spool spool;

  public Spooler(Spool spool) {
    this.spool = spool;
  }

  /** True while earlier writes still wait in the spool: later ones must queue behind them. */
  boolean isActive() {
    return spool.stats().depth() > 0;
  }

  /** Appends each write, then answers it with its spooled reply; never fails as a whole. */
  Future<Void> spool(List<PendingWrite<?>> batch) {
    return spool(batch, null);
  }

  /**
   * The same for the writes of a batch whose commit was attempted: {@code marker} is its
   * {@link CommitMarker}, for the replay to find out whether it committed after all.
   */
  Future<Void> spool(List<PendingWrite<?>> batch, IdempotencyKey marker) {
    List<Future<Void>> appends = new ArrayList<>(batch.size());
    for (PendingWrite<?> write : batch) {
      IdempotencyKey key = write.key() != null ? write.key()
          : new IdempotencyKey(IMPLICIT_SCOPE, UUID.randomUUID().toString(), "");
      appends.add(spool.append(write.spooled(key, marker).encode())
          .onSuccess(v -> write.promise().tryComplete(write.whenSpooled()))
          .onFailure(failure -> write.promise().tryFail(refusal(write, failure))));
    }
    return Future.join(appends).otherwiseEmpty().mapEmpty();
  }

  private static ApiException refusal(PendingWrite<?> write, Throwable failure) {
    if (failure instanceof SpoolFullException) {
      return ApiException.overloaded(5);
    }
    log.error("spool append of request {} failed", write.requestId(), failure);
    return ApiException.unavailable("Service unavailable", 5);
  }
}
