package io.callbackingress.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** JsonText writes what Vert.x's databind codec writes, byte for byte, for the trees a request stores. */
class JsonTextTest {

  /** Vert.x's own codec: {@code encode()} in this process is JsonText's (json.TextEncodingCodec). */
  private static final DatabindCodec DATABIND = new DatabindCodec();

  @Test
  void aRunsTestsAreWrittenAsTheCodecWritesThem() {
    JsonArray tests = new JsonArray()
        .add(new JsonObject().put("name", "test_two_fer_no_name").put("status", "pass"))
        .add(new JsonObject().put("name", "quotes \" and \\ backslash").put("status", "fail")
            .put("message", "Expected 'One for , one for me.'\nbut got\t\"tabs\" \u0001 \u001f é 日本 \uD83D\uDE00 </script>"));
    assertEquals(DATABIND.toString(tests, false), JsonText.of(tests));
  }

  @Test
  void everyKindOfValueIsWrittenAsTheCodecWritesIt() {
    JsonObject data = new JsonObject()
        .put("id", "01a23182-6254-755a-a439-bfbbb59a3bbe")
        .put("count", 3).put("big", 1L << 40).put("ratio", 0.25).put("tiny", 1e-9).put("exact", new BigDecimal("1.10"))
        .put("yes", true).put("no", false).put("nothing", null)
        .put("at", Instant.parse("2026-12-01T12:00:00Z")).put("bytes", new byte[] {1, 2, 3})
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").addNull().add(new JsonArray())))
        .put("empty", new JsonObject());
    assertEquals(DATABIND.toString(data, false), JsonText.of(data));
  }
}
