package io.callbackingress.family.video;

import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.toolkit.Sanitizer;
import io.callbackingress.spi.toolkit.TextRule;
import io.callbackingress.spi.Violations;
import io.vertx.core.json.JsonObject;

/** The request bodies of the video_production family (SPEC 3.4): bare objects, no wrapper key. */
final class VideoRequests {

  private VideoRequests() {}

  record Registration(String nodeUuid, String executorType, String processUuid) {}

  /** Exactly one of {@code result} and {@code error}; {@code error} is already sanitized. */
  record Callback(String nodeUuid, String executorType, String processUuid, JsonObject result, String error,
                  String errorType) {
    boolean succeeded() {
      return result != null;
    }
  }

  static Registration registration(JsonObject body, Violations violations) {
    JsonInput node = JsonInput.top(body, violations);
    String nodeUuid = node.requiredString("node_uuid", TextRule.SHORT_TEXT);
    String executorType = node.requiredString("executor_type", TextRule.SHORT_TEXT);
    String processUuid = node.requiredString("process_uuid", TextRule.SHORT_TEXT);
    return violations.isEmpty() ? new Registration(nodeUuid, executorType, processUuid) : null;
  }

  static Callback callback(JsonObject body, Violations violations, int maxOutputBytes) {
    JsonInput callback = JsonInput.top(body, violations);
    String nodeUuid = callback.requiredString("node_uuid", TextRule.SHORT_TEXT);
    String executorType = callback.requiredString("executor_type", TextRule.SHORT_TEXT);
    String processUuid = callback.optionalString("process_uuid", TextRule.SHORT_TEXT);
    JsonObject result = callback.optionalObject("result");
    String error = callback.optionalText("error", maxOutputBytes);
    String errorType = callback.optionalString("error_type", TextRule.SHORT_TEXT);
    if (callback.has("result") == callback.has("error")) {
      // SPEC 11a: the exactly-one-of rule is reported on "result".
      callback.reject("result", "exactly one of result and error is required");
    }
    return violations.isEmpty()
        ? new Callback(nodeUuid, executorType, processUuid, result, Sanitizer.sanitize(error), errorType)
        : null;
  }
}
