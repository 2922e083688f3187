package io.callbackingress.spi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every failing field of one request body, by dotted path (SPEC 2.6, 11a). */
public final class Violations {

  private final Map<String, List<String>> byField = new LinkedHashMap<>();

  public void add(String path, String message) {
    byField.computeIfAbsent(path, p -> new ArrayList<>(1)).add(message);
  }

  public boolean isEmpty() {
    return byField.isEmpty();
  }

  /** The 422 answer listing every field. */
  public ApiException toException() {
    JsonObject errors = new JsonObject();
    byField.forEach((field, messages) -> errors.put(field, new JsonArray(List.copyOf(messages))));
    return ApiException.unprocessable(errors);
  }
}
