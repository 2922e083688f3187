package io.callbackingress.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process's JSON codec is ours, and encodes as Vert.x's databind codec does. */
class TextEncodingCodecTest {

  private static final DatabindCodec DATABIND = new DatabindCodec();

  @Test
  void vertxPicksTheTextEncodingCodec() {
    assertInstanceOf(TextEncodingCodec.class, Json.CODEC);
  }

  @Test
  void objectsArraysAndOtherValuesEncodeAsDatabindEncodesThem() {
    JsonObject object = new JsonObject().put("id", "a\"b").put("n", 1).put("list", new JsonArray().add(true).addNull())
        .put("map", Map.of("k", List.of(1.5)));
    assertEquals(DATABIND.toString(object, false), object.encode());
    assertEquals(DATABIND.toBuffer(object, false), object.toBuffer());
    assertEquals(DATABIND.toString(object.getJsonArray("list"), false), object.getJsonArray("list").encode());
    assertEquals(DATABIND.toString(object, true), object.encodePrettily());
    assertEquals(DATABIND.toString(List.of("x", 2), false), Json.encode(List.of("x", 2)));
    assertEquals(object, new JsonObject(object.encode()));
  }

  @Test
  void surrogatesPairedOrNotBecomeTheBytesDatabindWrites() {
    JsonObject unpaired = new JsonObject().put("k\uD800", "x\uDC00");
    JsonObject paired = new JsonObject().put("smile", "\uD83D\uDE00");
    assertEquals(DATABIND.toBuffer(unpaired, false), unpaired.toBuffer());
    assertEquals(DATABIND.toBuffer(paired, false), paired.toBuffer());
    assertEquals(DATABIND.toString(unpaired, false), unpaired.encode());
  }
}
