package io.callbackingress.config;

import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.ConfigSection;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One object of the configuration file, read key by key.
 *
 * <p>Reading a key is also where its environment override is resolved ({@code http.maxBodyBytes}
 * → {@code INGRESS_HTTP_MAX_BODY_BYTES}) and where its type and range are checked, so overrides can
 * only hit known keys and every failure names the key. {@link #finish()} rejects whatever keys the
 * reader never asked for.
 */
public final class ConfigNode implements ConfigSection {

  private final String path;
  private final JsonObject json;
  private final Map<String, String> env;
  private final Set<String> read = new HashSet<>();

  ConfigNode(String path, JsonObject json, Map<String, String> env) {
    this.path = path;
    this.json = json;
    this.env = env;
  }

  public static ConfigNode root(JsonObject json, Map<String, String> env) {
    return new ConfigNode("", json, env);
  }

  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public ConfigNode child(String key) {
    Object value = value(key, JsonObject.class, false);
    if (value == null) {
      return new ConfigNode(keyPath(key), new JsonObject(), env);
    }
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(keyPath(key), "expected an object");
    }
    return new ConfigNode(keyPath(key), object, env);
  }

  /** Null when the key is absent or null: for optional sections such as {@code management.basicAuth}. */
  public ConfigNode optionalChild(String key) {
    Object value = value(key, JsonObject.class, true);
    return value == null ? null : child(key);
  }

  /** The names under an open-ended map ({@code webhooks.sources}), the given defaults first. */
  public Set<String> childNames(String key, Set<String> defaults) {
    Set<String> names = new LinkedHashSet<>(defaults);
    Object value = json.getValue(key);
    if (value instanceof JsonObject object) {
      names.addAll(object.fieldNames());
    } else if (value != null) {
      throw new ConfigException(keyPath(key), "expected an object");
    }
    return names;
  }

  /** A null fallback makes the key nullable, as {@code tls.certPath}; otherwise null is refused. */
  public String string(String key, String fallback) {
    Object value = value(key, String.class, fallback == null);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(keyPath(key), "expected a string, got " + describe(value));
    }
    return s;
  }

  public String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException(keyPath(key), "is required");
    }
    return value;
  }

  public String oneOf(String key, String fallback, Set<String> allowed) {
    String value = string(key, fallback);
    if (value != null && !allowed.contains(value)) {
      throw new ConfigException(keyPath(key), "must be one of " + allowed + ", got \"" + value + "\"");
    }
    return value;
  }

  public boolean bool(String key, boolean fallback) {
    Object value = value(key, Boolean.class, false);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(keyPath(key), "expected true or false, got " + describe(value));
    }
    return b;
  }

  public int integer(String key, int fallback, int min, int max) {
    Long value = whole(key, min, max, false);
    return value == null ? fallback : value.intValue();
  }

  public Integer optionalInteger(String key, int min, int max) {
    Long value = whole(key, min, max, true);
    return value == null ? null : value.intValue();
  }

  public long longInteger(String key, long fallback, long min, long max) {
    Long value = whole(key, min, max, false);
    return value == null ? fallback : value;
  }

  private Long whole(String key, long min, long max, boolean nullable) {
    Object value = value(key, Number.class, nullable);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(keyPath(key), "expected an integer, got " + describe(value));
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ConfigException(keyPath(key), "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public double number(String key, double fallback, double min, double max) {
    Object value = value(key, Number.class, false);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n)) {
      throw new ConfigException(keyPath(key), "expected a number, got " + describe(value));
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw new ConfigException(keyPath(key), "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public List<String> strings(String key, List<String> fallback) {
    Object value = value(key, JsonArray.class, false);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(keyPath(key), "expected an array of strings, got " + describe(value));
    }
    List<String> out = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new ConfigException(keyPath(key), "expected an array of strings, got an element " + describe(item));
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** Rejects the keys of this object that no reader asked for. */
  public void finish() {
    for (String key : json.fieldNames()) {
      if (!read.contains(key)) {
        throw new ConfigException(keyPath(key), "unknown key");
      }
    }
  }

  /**
   * The typed value of a key, null when it is absent. A key set to null ({@code "port": null} or
   * {@code INGRESS_HTTP_PORT=null}) is refused unless it may be null: for a key with a default that
   * is a value, null is a wrong type (SPEC 11), as {@code conf/config.schema.json} says too.
   */
  private Object value(String key, Class<?> expected, boolean nullable) {
    Object raw = raw(key);
    Object value = typed(key, raw, expected);
    if (value == null && !nullable && (raw instanceof Override || json.containsKey(key))) {
      throw new ConfigException(keyPath(key), "may not be null; leave the key out for its default");
    }
    return value;
  }

  /**
   * The value of a key, the environment override winning over the file. An override is text; it is
   * given the type the file value would have had, so {@code INGRESS_HTTP_PORT=8081} reads as a
   * number and {@code INGRESS_HTTP_TRUSTED_PROXIES=10.0.0.0/8,192.168.0.0/16} as a list.
   */
  private Object raw(String key) {
    read.add(key);
    String name = envName(keyPath(key));
    String override = env.get(name);
    return override == null ? json.getValue(key) : new Override(name, override.trim());
  }

  private record Override(String name, String text) {}

  private Object typed(String key, Object value, Class<?> expected) {
    if (!(value instanceof Override o)) {
      return value;
    }
    if (o.text().equals("null")) {
      return null;
    }
    try {
      if (expected == String.class) {
        return o.text();
      }
      if (expected == Boolean.class) {
        if (!o.text().equals("true") && !o.text().equals("false")) {
          throw new IllegalArgumentException();
        }
        return Boolean.valueOf(o.text());
      }
      if (expected == Number.class) {
        return o.text().matches("-?\\d+") ? (Object) Long.valueOf(o.text()) : (Object) Double.valueOf(o.text());
      }
      if (expected == JsonArray.class) {
        return o.text().startsWith("[") ? new JsonArray(o.text()) : new JsonArray(List.of(o.text().split("\\s*,\\s*")));
      }
      return new JsonObject(o.text());
    } catch (IllegalArgumentException | DecodeException e) {
      throw new ConfigException(keyPath(key), "environment override " + o.name() + " is not a valid " + expected.getSimpleName());
    }
  }

  /** {@code http.maxBodyBytes} → {@code INGRESS_HTTP_MAX_BODY_BYTES}. */
  public static String envName(String keyPath) {
    StringBuilder out = new StringBuilder("INGRESS");
    for (String segment : keyPath.split("\\.")) {
      out.append('_');
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (Character.isUpperCase(c) && i > 0 && segment.charAt(i - 1) != '_') {
          out.append('_');
        }
        out.append(c == '-' ? '_' : Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return String.valueOf(value);
  }
}
