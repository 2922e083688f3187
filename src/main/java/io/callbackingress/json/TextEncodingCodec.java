package io.callbackingress.json;

import io.callbackingress.json.JsonText;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

/**
 * Vert.x's JSON codec for the whole process ({@code JsonObject.encode()}, {@code toBuffer()},
 * {@code Json.encode}), with compact objects and arrays written by {@link JsonText} rather than
 * through jackson-databind's ObjectMapper, which looks a serializer up for every value: in an
 * async-profiler run of W1 that encoding was 7 % of the event loops. Decoding, pretty printing and
 * everything else stay databind's.
 */
final class TextEncodingCodec extends DatabindCodec {

  @Override
  public String toString(Object object, boolean pretty) {
    if (!pretty && object instanceof JsonObject json) {
      return JsonText.of(json);
    }
    if (!pretty && object instanceof JsonArray json) {
      return JsonText.of(json);
    }
    return super.toString(object, pretty);
  }

  /**
   * Bytes of the same text, except where it holds a surrogate: databind's byte encoder writes an
   * unpaired one as {@code \\uD800} where String → UTF-8 would write {@code ?}, so that rare text
   * is left to databind.
   */
  @Override
  public Buffer toBuffer(Object object, boolean pretty) {
    if (!pretty && (object instanceof JsonObject || object instanceof JsonArray)) {
      String text = toString(object, false);
      if (!hasSurrogate(text)) {
        return Buffer.buffer(text);
      }
    }
    return super.toBuffer(object, pretty);
  }

  private static boolean hasSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
