package io.callbackingress.family.ai;

import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.toolkit.Sanitizer;
import io.callbackingress.spi.toolkit.TextRule;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.callbackingress.spi.Violations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The request bodies of the ai family (SPEC 3.3), validated. */
final class AiRequests {

  private static final int MAX_PATTERN = 255;

  private AiRequests() {}

  /** Ids are generated before the write, so a spooled insert keeps the id its caller got. */
  record Response(String id, String submissionUuid, String model, String content, String requestId, JsonObject usage) {}

  record Analysis(String id, String submissionUuid, String trackSlug, String exerciseSlug, JsonArray patterns,
                  Double confidence, String summary) {}

  static Response response(JsonObject body, Violations violations, int maxOutputBytes) {
    JsonInput response = JsonInput.root(body, "chatgpt_response", violations);
    String submissionUuid = response.requiredString("submission_uuid", TextRule.SHORT_TEXT);
    String model = response.requiredString("model", TextRule.SHORT_TEXT);
    String content = response.requiredText("content", maxOutputBytes);
    String requestId = response.optionalString("request_id", TextRule.SHORT_TEXT);
    JsonObject usage = null;
    if (response.has("usage")) {
      JsonObject raw = response.optionalObject("usage");
      if (raw != null) {
        JsonInput tokens = JsonInput.nested(raw, "chatgpt_response.usage", violations);
        Long prompt = tokens.requiredInteger("prompt_tokens", 0);
        Long completion = tokens.requiredInteger("completion_tokens", 0);
        usage = new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion);
      }
    }
    return violations.isEmpty()
        ? new Response(TimeOrderedIds.next().toString(), submissionUuid, model, Sanitizer.sanitize(content), requestId, usage)
        : null;
  }

  static Analysis analysis(JsonObject body, Violations violations, int maxOutputBytes) {
    JsonInput analysis = JsonInput.root(body, "ai_analysis", violations);
    String submissionUuid = analysis.requiredString("submission_uuid", TextRule.SHORT_TEXT);
    String track = analysis.requiredString("track_slug", TextRule.SLUG);
    String exercise = analysis.requiredString("exercise_slug", TextRule.SLUG);
    List<String> patterns = analysis.requiredStrings("patterns", MAX_PATTERN);
    Double confidence = analysis.optionalNumber("confidence", 0, 1);
    String summary = analysis.optionalText("summary", maxOutputBytes);
    return violations.isEmpty()
        ? new Analysis(TimeOrderedIds.next().toString(), submissionUuid, track, exercise, new JsonArray(patterns), confidence,
            Sanitizer.sanitize(summary))
        : null;
  }
}
