package io.callbackingress.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callbackingress.spi.Violations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lengths count characters as the OpenAPI document's JSON Schema does: code points, not UTF-16 units. */
class JsonInputTest {

  private static final String EMOJI = "\uD83D\uDE80";

  @Test
  void aStringOfMaxLengthCharactersOutsideTheBmpIsAccepted() {
    Violations violations = new Violations();
    JsonInput input = JsonInput.top(new JsonObject().put("kind", EMOJI.repeat(64)), violations);

    assertEquals(EMOJI.repeat(64), input.requiredString("kind", 1, 64));
    assertTrue(violations.isEmpty());
  }

  @Test
  void oneCharacterMoreIsRefusedWhateverItIs() {
    Violations violations = new Violations();
    JsonInput input = JsonInput.top(new JsonObject().put("kind", EMOJI.repeat(65)), violations);

    assertNull(input.requiredString("kind", 1, 64));
    assertEquals(List.of("must be 1 to 64 characters"), violations.toException().body().getJsonObject("errors")
        .getJsonArray("kind").getList());
  }

  @Test
  void aMinimumCountsCharactersToo() {
    Violations violations = new Violations();
    JsonInput input = JsonInput.top(new JsonObject().put("code", EMOJI), violations);

    assertNull(input.requiredString("code", 2, 8));
    assertEquals(new JsonArray().add("must be 2 to 8 characters"),
        violations.toException().body().getJsonObject("errors").getJsonArray("code"));
  }
}
