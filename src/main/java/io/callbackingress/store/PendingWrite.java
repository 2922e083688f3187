package io.callbackingress.store;

import io.callbackingress.http.Reply;
import io.callbackingress.idempotency.IdempotencyKey;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/** A write waiting for its batch: what to run, for whom, and the promise its caller waits on. */
record PendingWrite(String requestId, IdempotencyKey key, WriteOperation operation, JsonObject args,
                    Promise<Reply> promise) {

  static PendingWrite of(String requestId, IdempotencyKey key, WriteOperation operation, JsonObject args) {
    return new PendingWrite(requestId, key, operation, args, Promise.promise());
  }
}
