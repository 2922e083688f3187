package io.callbackingress.family.testruns;

import io.callbackingress.spi.toolkit.JsonInput;
import io.callbackingress.spi.toolkit.Sanitizer;
import io.callbackingress.spi.toolkit.TextRule;
import io.callbackingress.spi.toolkit.TimeOrderedIds;
import io.callbackingress.spi.Violations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The request bodies of the test_runs family (SPEC 3.2), validated. */
final class TestRunRequests {

  private static final Set<String> STATUSES = Set.of("queued", "running", "pass", "fail", "error");
  private static final Set<String> TEST_STATUSES = Set.of("pass", "fail", "error");
  private static final int MAX_TEST_NAME = 1024;

  private TestRunRequests() {}

  /** A run to store under {@code id}, generated before the write so a spooled run keeps the id its caller got. */
  record Submission(String id, String submissionUuid, String trackSlug, String exerciseSlug, String userHandle,
                    String status, JsonArray tests, Long durationMs, String output) {}

  record Update(String id, String status, JsonArray tests, Long durationMs, String output) {}

  static Submission submission(JsonObject body, Violations violations, int maxOutputBytes) {
    JsonInput run = JsonInput.root(body, "test_run", violations);
    String submissionUuid = run.requiredString("submission_uuid", TextRule.SHORT_TEXT);
    String track = run.requiredString("track_slug", TextRule.SLUG);
    String exercise = run.requiredString("exercise_slug", TextRule.SLUG);
    String user = run.optionalString("user_handle", TextRule.SHORT_TEXT);
    String status = run.requiredEnum("status", STATUSES);
    JsonArray tests = tests(run, violations);
    Long duration = run.optionalInteger("duration_ms", 0);
    String output = run.optionalText("output", maxOutputBytes);
    return violations.isEmpty()
        ? new Submission(TimeOrderedIds.next().toString(), submissionUuid, track, exercise, user, status, tests, duration,
            Sanitizer.sanitize(output))
        : null;
  }

  static Update update(String id, JsonObject body, Violations violations, int maxOutputBytes) {
    JsonInput run = JsonInput.root(body, "test_run", violations);
    String status = run.optionalEnum("status", STATUSES);
    JsonArray tests = tests(run, violations);
    Long duration = run.optionalInteger("duration_ms", 0);
    String output = run.optionalText("output", maxOutputBytes);
    return violations.isEmpty() ? new Update(id, status, tests, duration, Sanitizer.sanitize(output)) : null;
  }

  /** {@code tests}: each {@code {"name", "status", "message"?}}, reported by index when invalid. */
  private static JsonArray tests(JsonInput run, Violations violations) {
    List<JsonInput> items = run.optionalObjects("tests");
    if (items == null) {
      return null;
    }
    JsonArray tests = new JsonArray();
    for (JsonInput item : items) {
      String name = item.requiredString("name", 1, MAX_TEST_NAME);
      String status = item.requiredEnum("status", TEST_STATUSES);
      String message = item.optionalText("message", MAX_TEST_NAME * 64);
      JsonObject test = new JsonObject().put("name", name).put("status", status);
      if (message != null) {
        test.put("message", Sanitizer.sanitize(message));
      }
      tests.add(test);
    }
    return violations.isEmpty() ? tests : null;
  }
}
