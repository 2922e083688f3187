package io.callbackingress.spi;

import io.vertx.core.json.JsonObject;

/**
 * A successful answer: the status and the JSON body. {@code replayed} marks an answer repeated
 * for an {@code Idempotency-Key} seen before (SPEC 6).
 */
public record Reply(int status, JsonObject body, boolean replayed) {

  /**
   * An answer the endpoint wrote itself — a WebSocket upgrade, a non-JSON body — so the pipeline
   * only records it. Its body is null.
   */
  public static Reply written(int status) {
    return new Reply(status, null, false);
  }

  public boolean isWritten() {
    return body == null;
  }

  public Reply(int status, JsonObject body) {
    this(status, body, false);
  }

  public static Reply ok(JsonObject body) {
    return new Reply(200, body);
  }

  public static Reply created(JsonObject body) {
    return new Reply(201, body);
  }

  /** {@code 204}: the pipeline sends no body. */
  public static Reply noContent() {
    return new Reply(204, new JsonObject());
  }

  public static Reply accepted(JsonObject body) {
    return new Reply(202, body);
  }

  public Reply asReplay() {
    return new Reply(status, body, true);
  }
}
