package io.callbackingress.store;

import io.callbackingress.spi.IdempotencyKey;
import io.callbackingress.spi.Reply;
import io.callbackingress.spi.WriteOperation;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * A write waiting for its batch: what to run, for whom, and the promise its caller waits on. A
 * replayed write may carry the {@link CommitMarker} of a batch it was part of, whose outcome was
 * unknown; null otherwise.
 */
record PendingWrite<T extends Record>(String requestId, IdempotencyKey key, WriteOperation<T> operation, T input,
                                      IdempotencyKey marker, Promise<Reply> promise) {

  static <T extends Record> PendingWrite<T> of(String requestId, IdempotencyKey key, WriteOperation<T> operation,
                                               T input) {
    return new PendingWrite<>(requestId, key, operation, input, null, Promise.promise());
  }

  Reply answerInAdvance() {
    return operation.answerInAdvance(input);
  }

  Reply whenSpooled() {
    return operation.whenSpooled(input);
  }

  /** The input as JSON, as the spool keeps it. */
  JsonObject inputAsJson() {
    return RecordCodec.of(operation.input()).encode(input);
  }

  /** The write as it is spooled, with the marker of the batch it may have committed in (or null). */
  SpooledWrite spooled(IdempotencyKey spooledKey, IdempotencyKey batchMarker) {
    return new SpooledWrite(operation.name(), inputAsJson(), requestId, spooledKey, batchMarker);
  }

  /** A spooled write, to replay. Throws when its input is not one of the operation's. */
  static <T extends Record> PendingWrite<T> replay(SpooledWrite spooled, WriteOperation<T> operation) {
    return new PendingWrite<>(spooled.requestId(), spooled.key(), operation, RecordCodec.of(operation.input()).decode(spooled.args()),
        spooled.marker(), Promise.promise());
  }
}
