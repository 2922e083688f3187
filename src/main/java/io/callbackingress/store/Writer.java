package io.callbackingress.store;

import io.callbackingress.http.Call;
import io.callbackingress.http.Reply;
import io.vertx.core.Future;

/**
 * The durable write path of one event loop (SPEC 7). Writes that arrive together are committed
 * together; idempotency keys are claimed and answers recorded in the same transaction.
 */
public interface Writer {

  /**
   * Runs {@code operation} in this loop's next batch. The future completes when the batch is
   * durable, with the answer the operation produced or the one recorded for the call's
   * idempotency key; it fails with a 503 {@link io.callbackingress.http.ApiException} when the
   * writer is over {@code limits.maxInFlightWrites}.
   */
  Future<Reply> write(Call call, WriteOperation operation);
}
