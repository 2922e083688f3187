package io.callbackingress.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The W1 request body (POST /spi/test_runs) the tests of a packaged jar send under load. */
public final class W1Bodies {

  private W1Bodies() {}

  public static JsonObject testRun(String submission, String userHandle) {
    return new JsonObject().put("test_run", new JsonObject()
        .put("submission_uuid", submission).put("track_slug", "java").put("exercise_slug", "two-fer")
        .put("user_handle", userHandle).put("status", "pass").put("duration_ms", 12)
        .put("tests", new JsonArray().add(new JsonObject().put("name", "t1").put("status", "pass")))
        .put("output", "ok"));
  }
}
