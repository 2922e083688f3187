package io.callbackingress.spi.toolkit;

import io.callbackingress.spi.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** A body that must be one JSON object, or {@code 400 Malformed JSON: <short reason>} (SPEC 2.5). */
public final class JsonBodies {

  /** Enough for Jackson's first sentence; what follows it echoes the input. */
  private static final int MAX_REASON_LENGTH = 120;

  private JsonBodies() {}

  public static JsonObject object(Buffer body) {
    if (body.length() == 0) {
      throw ApiException.malformedJson("empty body");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiException.malformedJson(reason(e));
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.malformedJson("the body must be a JSON object");
    }
    return object;
  }

  /** Jackson's first sentence, without the echo of the input that follows it. */
  private static String reason(DecodeException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = String.valueOf(cause.getMessage());
    int cut = message.length();
    for (String marker : new String[] {"\n", " at [Source", "; line:"}) {
      int at = message.indexOf(marker);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    String reason = message.substring(0, cut).replace("Failed to decode:", "").trim();
    if (reason.isEmpty()) {
      reason = "invalid JSON";
    }
    return reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
  }
}
