package io.callbackingress.store;

import io.callbackingress.spi.toolkit.Sanitizer;
import io.callbackingress.spi.toolkit.Storable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How a dead letter's kept bytes are shown (SPEC 16: the write as it was acknowledged, with the
 * stored-text rules of SPEC 8). The bytes stay as they were spooled; only what is shown is made
 * safe: the write's input ({@code args} of the spooled write) with every U+0000 and unpaired
 * surrogate, in keys and strings, replaced by U+FFFD and secret values in strings redacted. Bytes
 * that are not a spooled write's JSON are shown as {@code {"unreadable":"<the bytes as UTF-8>"}},
 * made safe the same way (bytes that are not UTF-8 become U+FFFD).
 */
final class DeadLetterView {

  private DeadLetterView() {}

  static JsonObject write(Buffer payload) {
    try {
      if (new JsonObject(payload).getValue("args") instanceof JsonObject input) {
        return safeObject(input);
      }
    } catch (RuntimeException unreadable) {
      // Shown as text below: what an operator needs to see is what was kept, readable or not.
    }
    return new JsonObject().put("unreadable", safeText(new String(payload.getBytes(), StandardCharsets.UTF_8)));
  }

  /**
   * Why a write was refused, in the words an operator can act on: Postgres's own message
   * ({@code ERROR: <text> (<SQLSTATE>)}), or the failure with its type when it has no message.
   */
  static String reason(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }

  /** A text column's value made fit for {@code text}: redacted, U+0000 and unpaired surrogates replaced. */
  static String safeText(String text) {
    return text == null ? null : Sanitizer.sanitize(Storable.safe(text));
  }

  private static JsonObject safeObject(JsonObject object) {
    JsonObject safe = new JsonObject();
    for (Map.Entry<String, Object> field : object) {
      safe.put(Storable.safe(field.getKey()), safeValue(field.getValue()));
    }
    return safe;
  }

  private static Object safeValue(Object value) {
    if (value instanceof String text) {
      return safeText(text);
    }
    if (value instanceof JsonObject object) {
      return safeObject(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray safe = new JsonArray();
      array.forEach(item -> safe.add(safeValue(item)));
      return safe;
    }
    return value;
  }
}
