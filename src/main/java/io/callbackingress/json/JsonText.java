package io.callbackingress.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Compact JSON text of a JsonObject or JsonArray tree, written straight into a StringBuilder: what
 * the process's JSON codec writes for {@code encode()} and {@code toBuffer()} (see
 * {@code json.TextEncodingCodec}), and how the audit line escapes its strings.
 * Strings are escaped as Jackson escapes them. Values other than strings, numbers, booleans,
 * null, objects and arrays go to Vert.x's codec.
 */
public final class JsonText {

  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

  private JsonText() {}

  public static String of(JsonObject object) {
    StringBuilder text = new StringBuilder(128);
    writeObject(text, object.getMap());
    return text.toString();
  }

  public static String of(JsonArray array) {
    StringBuilder text = new StringBuilder(256);
    writeArray(text, array.getList());
    return text.toString();
  }

  private static void writeObject(StringBuilder text, Map<String, Object> members) {
    text.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> member : members.entrySet()) {
      if (!first) {
        text.append(',');
      }
      first = false;
      writeString(text, member.getKey());
      text.append(':');
      writeValue(text, member.getValue());
    }
    text.append('}');
  }

  private static void writeArray(StringBuilder text, List<Object> items) {
    text.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      writeValue(text, items.get(i));
    }
    text.append(']');
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(StringBuilder text, Object value) {
    if (value == null) {
      text.append("null");
    } else if (value instanceof String string) {
      writeString(text, string);
    } else if (value instanceof JsonObject object) {
      writeObject(text, object.getMap());
    } else if (value instanceof JsonArray array) {
      writeArray(text, array.getList());
    } else if (value instanceof Map<?, ?> map) {
      writeObject(text, (Map<String, Object>) map);
    } else if (value instanceof List<?> list) {
      writeArray(text, (List<Object>) list);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
      text.append(value);
    } else {
      // Doubles, big numbers, instants, bytes: the codec's own spelling.
      text.append(Json.encode(value));
    }
  }

  /**
   * Appends {@code string} as a JSON string. Most strings need no escape and are copied whole;
   * Jackson's escaper, which appends character by character, only sees the others.
   */
  public static void writeString(StringBuilder text, String string) {
    text.append('"');
    if (needsEscape(string)) {
      ESCAPER.quoteAsString(string, text);
    } else {
      text.append(string);
    }
    text.append('"');
  }

  private static boolean needsEscape(String string) {
    for (int i = 0; i < string.length(); i++) {
      char c = string.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }
}
