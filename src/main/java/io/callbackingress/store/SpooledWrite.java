package io.callbackingress.store;

import io.callbackingress.spi.IdempotencyKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A write as it waits in the spool: the operation's name and arguments, the request it came from,
 * and the idempotency key that makes replaying it twice (after a crash between commit and
 * acknowledgement) harmless.
 */
record SpooledWrite(String operation, JsonObject args, String requestId, IdempotencyKey key) {

  Buffer encode() {
    return new JsonObject()
        .put("op", operation)
        .put("args", args)
        .put("requestId", requestId)
        .put("key", new JsonObject().put("scope", key.scope()).put("key", key.key()).put("fingerprint", key.fingerprint()))
        .toBuffer();
  }

  static SpooledWrite decode(Buffer payload) {
    JsonObject json = new JsonObject(payload);
    JsonObject key = json.getJsonObject("key");
    return new SpooledWrite(json.getString("op"), json.getJsonObject("args"), json.getString("requestId"),
        new IdempotencyKey(key.getString("scope"), key.getString("key"), key.getString("fingerprint")));
  }
}
