package io.callbackingress.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A spooled write's input is JSON with snake_case keys, as the spool has always kept it. */
class RecordCodecTest {

  record Input(String id, String submissionUuid, Long durationMs, Integer attempts, Double confidence, Boolean final_,
               JsonObject metadata, JsonArray tests, byte[] body) {}

  record Unspoolable(Instant at) {}

  private final RecordCodec<Input> codec = RecordCodec.of(Input.class);

  @Test
  void aRecordBecomesSnakeCaseJsonAndComesBackEqual() {
    Input input = new Input("r-1", "s-1", 1234L, 3, 0.5, true, new JsonObject().put("k", "v"),
        new JsonArray().add(new JsonObject().put("name", "a")), new byte[] {0, 1, (byte) 0xff});

    JsonObject json = codec.encode(input);
    assertEquals("s-1", json.getString("submission_uuid"));
    assertEquals(1234L, json.getLong("duration_ms"));
    assertEquals("AAH_", json.getString("body"), "bytes as Vert.x JSON keeps them: base64url");

    Input back = codec.decode(new JsonObject(json.encode()));
    assertEquals(input.id(), back.id());
    assertEquals(input.durationMs(), back.durationMs());
    assertEquals(input.attempts(), back.attempts());
    assertEquals(input.confidence(), back.confidence());
    assertEquals(input.final_(), back.final_());
    assertEquals(input.metadata(), back.metadata());
    assertEquals(input.tests(), back.tests());
    assertArrayEquals(input.body(), back.body());
  }

  @Test
  void absentAndNullKeysAreNullComponents() {
    Input back = codec.decode(new JsonObject().put("id", "r-2").putNull("metadata"));
    assertEquals("r-2", back.id());
    assertNull(back.metadata());
    assertNull(back.durationMs());
  }

  @Test
  void aComponentOfAnotherTypeIsRefusedWhenTheOperationIsDeclared() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RecordCodec.of(Unspoolable.class));
    assertEquals(true, refused.getMessage().contains("Unspoolable.at"), refused.getMessage());
  }

  @Test
  void aValueOfTheWrongJsonTypeIsRefusedOnDecode() {
    assertThrows(ClassCastException.class, () -> codec.decode(new JsonObject().put("duration_ms", "soon")));
  }
}
