package io.callbackingress.family.testruns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callbackingress.store.RecordCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A test run spooled before writes were typed (by toArgs) replays as the same run. */
class SpooledTestRunTest {

  private static final JsonObject SPOOLED_BY_THE_PREVIOUS_VERSION = new JsonObject("""
      {"id":"0193f0a4-9c1e-7c3a-8f00-5a1b2c3d4e5f","submission_uuid":"s-1","track_slug":"ruby",
       "exercise_slug":"two-fer","user_handle":null,"status":"fail",
       "tests":[{"name":"a","status":"fail","message":"expected 1"}],"duration_ms":1234,"output":"out"}""");

  @Test
  void theRunDecodesFieldForFieldAndEncodesBackToTheSameJson() {
    TestRunRequests.Submission run = RecordCodec.of(TestRunsFamily.CREATE.input()).decode(SPOOLED_BY_THE_PREVIOUS_VERSION);

    assertEquals(new TestRunRequests.Submission("0193f0a4-9c1e-7c3a-8f00-5a1b2c3d4e5f", "s-1", "ruby", "two-fer", null,
        "fail", new JsonArray().add(new JsonObject().put("name", "a").put("status", "fail").put("message", "expected 1")),
        1234L, "out"), run);
    assertEquals(SPOOLED_BY_THE_PREVIOUS_VERSION, RecordCodec.of(TestRunsFamily.CREATE.input()).encode(run));
  }
}
