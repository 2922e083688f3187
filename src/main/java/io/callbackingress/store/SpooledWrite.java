package io.callbackingress.store;

import io.callbackingress.spi.IdempotencyKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A write as it waits in the spool: the operation's name and arguments, the request it came from,
 * the idempotency key that makes replaying it twice (after a crash between commit and
 * acknowledgement) harmless, and — when it was spooled after a commit whose outcome is unknown —
 * that batch's {@link CommitMarker}, else null.
 */
record SpooledWrite(String operation, JsonObject args, String requestId, IdempotencyKey key, IdempotencyKey marker) {

  Buffer encode() {
    JsonObject json = new JsonObject()
        .put("op", operation)
        .put("args", args)
        .put("requestId", requestId)
        .put("key", encode(key));
    if (marker != null) {
      json.put("marker", encode(marker));
    }
    return json.toBuffer();
  }

  static SpooledWrite decode(Buffer payload) {
    JsonObject json = new JsonObject(payload);
    return new SpooledWrite(json.getString("op"), json.getJsonObject("args"), json.getString("requestId"),
        decode(json.getJsonObject("key")), json.containsKey("marker") ? decode(json.getJsonObject("marker")) : null);
  }

  private static JsonObject encode(IdempotencyKey key) {
    return new JsonObject().put("scope", key.scope()).put("key", key.key()).put("fingerprint", key.fingerprint());
  }

  private static IdempotencyKey decode(JsonObject key) {
    return new IdempotencyKey(key.getString("scope"), key.getString("key"), key.getString("fingerprint"));
  }
}
