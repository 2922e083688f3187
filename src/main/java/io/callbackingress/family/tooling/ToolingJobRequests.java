package io.callbackingress.family.tooling;

import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.toolkit.Sanitizer;
import io.callbackingress.spi.toolkit.TextRule;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.callbackingress.spi.Violations;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The two request bodies of the tooling family (SPEC 3.1), validated. */
final class ToolingJobRequests {

  static final Set<String> STATUSES = Set.of("pending", "running", "completed", "failed", "cancelled");
  static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");
  private static final int MAX_KIND = 64;

  private ToolingJobRequests() {}

  record Registration(String id, String kind, String submissionUuid, JsonObject metadata) {}

  /** {@code output} is already sanitized: what is compared and stored is the redacted text. */
  record Update(String id, String status, String output, JsonObject metadata) {}

  static Registration registration(JsonObject body, Violations violations) {
    JsonInput job = JsonInput.root(body, "tooling_job", violations);
    String id = job.optionalString("id", TextRule.CALLER_ID);
    String kind = job.requiredString("kind", 1, MAX_KIND);
    String submissionUuid = job.optionalString("submission_uuid", TextRule.SHORT_TEXT);
    JsonObject metadata = job.optionalObject("metadata");
    if (!violations.isEmpty()) {
      return null;
    }
    return new Registration(id != null ? id : TimeOrderedIds.next().toString(), kind, submissionUuid,
        metadata != null ? metadata : new JsonObject());
  }

  /** The update for job {@code id}; the path names the job, the body says what changes. */
  static Update update(String id, JsonObject body, Violations violations, int maxOutputBytes) {
    JsonInput job = JsonInput.root(body, "tooling_job", violations);
    String status = job.requiredEnum("status", STATUSES);
    String output = job.optionalText("output", maxOutputBytes);
    JsonObject metadata = job.optionalObject("metadata");
    return violations.isEmpty() ? new Update(id, status, Sanitizer.sanitize(output), metadata) : null;
  }
}
