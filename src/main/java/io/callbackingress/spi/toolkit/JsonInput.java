package io.callbackingress.spi.toolkit;

import io.callbackingress.spi.Violations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object of a request body field by field, recording every violation under its
 * dotted path instead of stopping at the first, so a 422 lists them all. A getter returns
 * {@code null} for a missing or invalid value; callers build their request only when
 * {@link Violations#isEmpty()}.
 */
public final class JsonInput {

  private final JsonObject json;
  private final String path;
  private final Violations violations;

  private JsonInput(JsonObject json, String path, Violations violations) {
    this.json = json;
    this.path = path;
    this.violations = violations;
  }

  /** The wrapped object of a request body ({@code {"tooling_job":{...}}}), reported under its name. */
  public static JsonInput root(JsonObject body, String name, Violations violations) {
    Object value = body.getValue(name);
    if (!(value instanceof JsonObject object)) {
      violations.add(name, value == null ? "is required" : "must be an object");
      return new JsonInput(new JsonObject(), name, new Violations());
    }
    return new JsonInput(object, name, violations);
  }

  /** An object inside the body, reported under {@code path}. */
  public static JsonInput nested(JsonObject object, String path, Violations violations) {
    return new JsonInput(object, path, violations);
  }

  /** A bare body whose fields sit at the top level. */
  public static JsonInput top(JsonObject body, Violations violations) {
    return new JsonInput(body, "", violations);
  }

  public boolean has(String key) {
    return json.getValue(key) != null;
  }

  public String requiredString(String key, int minLength, int maxLength) {
    return string(key, true, minLength, maxLength, null);
  }

  public String requiredString(String key, TextRule rule) {
    return string(key, true, rule.minLength(), rule.maxLength(), rule);
  }

  public String optionalString(String key, int minLength, int maxLength) {
    return string(key, false, minLength, maxLength, null);
  }

  public String optionalString(String key, TextRule rule) {
    return string(key, false, rule.minLength(), rule.maxLength(), rule);
  }

  /** A free-text field limited in UTF-8 bytes, as stored (SPEC 3.1 {@code output}). */
  public String optionalText(String key, int maxUtf8Bytes) {
    return text(key, false, maxUtf8Bytes);
  }

  public String requiredText(String key, int maxUtf8Bytes) {
    return text(key, true, maxUtf8Bytes);
  }

  public String requiredEnum(String key, Set<String> allowed) {
    return oneOf(key, true, allowed);
  }

  public String optionalEnum(String key, Set<String> allowed) {
    return oneOf(key, false, allowed);
  }

  public Long optionalInteger(String key, long min) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !isIntegral(n)) {
      violations.add(at(key), "must be an integer");
      return null;
    }
    if (!fitsInLong(n)) {
      violations.add(at(key), "must be between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
      return null;
    }
    if (n.longValue() < min) {
      violations.add(at(key), "must be greater than or equal to " + min);
      return null;
    }
    return n.longValue();
  }

  public Long requiredInteger(String key, long min) {
    if (json.getValue(key) == null) {
      violations.add(at(key), "is required");
      return null;
    }
    return optionalInteger(key, min);
  }

  public Double optionalNumber(String key, double min, double max) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      violations.add(at(key), "must be a number");
      return null;
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      violations.add(at(key), "must be between " + format(min) + " and " + format(max));
      return null;
    }
    return d;
  }

  public JsonObject optionalObject(String key) {
    return object(key, false);
  }

  public JsonObject requiredObject(String key) {
    return object(key, true);
  }

  /** Each element of an optional array of objects, as an input of its own ({@code tests.1.status}). */
  public List<JsonInput> optionalObjects(String key) {
    JsonArray array = array(key, false);
    if (array == null) {
      return null;
    }
    List<JsonInput> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String itemPath = at(key) + "." + i;
      if (item instanceof JsonObject object) {
        items.add(new JsonInput(object, itemPath, violations));
      } else {
        violations.add(itemPath, "must be an object");
      }
    }
    return items;
  }

  public List<String> requiredStrings(String key, int maxLength) {
    JsonArray array = array(key, true);
    if (array == null) {
      return null;
    }
    List<String> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (item instanceof String s && !s.isEmpty() && characters(s, 1, maxLength) <= maxLength) {
        items.add(storable(key + "." + i, s));
      } else {
        violations.add(at(key) + "." + i, "must be a string of 1 to " + maxLength + " characters");
      }
    }
    return items;
  }

  /**
   * The length of {@code s} in characters as JSON Schema's {@code maxLength} counts them (code
   * points, so an emoji is one), counted only where it can differ from the UTF-16 length that
   * decides the bounds otherwise.
   */
  private static int characters(String s, int min, int max) {
    return s.length() > max || min > 1 ? s.codePointCount(0, s.length()) : s.length();
  }

  /** Records a violation that spans fields, such as an exactly-one-of rule. */
  public void reject(String key, String message) {
    violations.add(at(key), message);
  }

  /**
   * The value of {@code key} if present and of {@code type}; otherwise null, having recorded
   * "is required" (when it is) or "must be <what>".
   */
  private <T> T present(String key, boolean required, Class<T> type, String what) {
    Object value = json.getValue(key);
    if (value == null) {
      if (required) {
        violations.add(at(key), "is required");
      }
      return null;
    }
    if (!type.isInstance(value)) {
      violations.add(at(key), "must be " + what);
      return null;
    }
    return type.cast(value);
  }

  private String string(String key, boolean required, int min, int max, TextRule rule) {
    String s = present(key, required, String.class, "a string");
    if (s == null) {
      return null;
    }
    int characters = characters(s, min, max);
    if (characters < min || characters > max) {
      violations.add(at(key), min == max ? "must be " + min + " characters" : "must be " + min + " to " + max + " characters");
      return null;
    }
    if (rule != null && !rule.allows(s)) {
      violations.add(at(key), rule.message());
      return null;
    }
    return storable(key, s);
  }

  private String text(String key, boolean required, int maxUtf8Bytes) {
    String s = present(key, required, String.class, "a string");
    if (s == null) {
      return null;
    }
    // Most texts are far below the limit in chars × 3, the worst UTF-8 expansion: skip encoding them.
    if ((long) s.length() * 3 > maxUtf8Bytes && s.getBytes(StandardCharsets.UTF_8).length > maxUtf8Bytes) {
      violations.add(at(key), "must be at most " + maxUtf8Bytes + " bytes (UTF-8)");
      return null;
    }
    return storable(key, s);
  }

  private String oneOf(String key, boolean required, Set<String> allowed) {
    if (json.getValue(key) instanceof String s && allowed.contains(s)) {
      return s;
    }
    String choices = "one of " + String.join(", ", sorted(allowed));
    if (present(key, required, String.class, choices) != null) {
      violations.add(at(key), "must be " + choices);
    }
    return null;
  }

  private JsonObject object(String key, boolean required) {
    return storable(key, present(key, required, JsonObject.class, "an object"));
  }

  /** {@code value}, or null having recorded why Postgres could not store it (SPEC 2.6). */
  private <T> T storable(String key, T value) {
    String problem = value == null ? null : Storable.problemIn(value);
    if (problem != null) {
      violations.add(at(key), problem);
      return null;
    }
    return value;
  }

  private JsonArray array(String key, boolean required) {
    return present(key, required, JsonArray.class, "an array");
  }

  private String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static List<String> sorted(Set<String> values) {
    List<String> list = new ArrayList<>(values);
    list.sort(null);
    return list;
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d);
    }
    return !(n instanceof BigDecimal decimal) || decimal.stripTrailingZeros().scale() <= 0;
  }

  /** Exactly, not as a double: 2^63 and -2^63-1 round to the bounds as doubles but do not fit. */
  private static boolean fitsInLong(Number n) {
    if (n instanceof Double || n instanceof Float) {
      return n.doubleValue() >= -0x1p63 && n.doubleValue() < 0x1p63;
    }
    if (n instanceof BigInteger big) {
      return big.bitLength() < 64;
    }
    if (n instanceof BigDecimal decimal) {
      return decimal.toBigInteger().bitLength() < 64;
    }
    return true;
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
