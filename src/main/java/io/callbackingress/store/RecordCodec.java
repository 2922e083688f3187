package io.callbackingress.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Set;

/**
 * A write's input as JSON, for the spool (SPEC 7): a record becomes an object with one key per
 * component, named in snake_case ({@code submissionUuid} → {@code submission_uuid}), and back.
 * Components may be strings, boxed numbers and booleans, JSON objects and arrays, and byte
 * arrays (base64). Only spooled writes pay for it: the hot path hands the record itself to its
 * operation.
 */
public final class RecordCodec<T extends Record> {

  private static final Set<Class<?>> SUPPORTED = Set.of(String.class, Long.class, Integer.class, Double.class,
      Boolean.class, JsonObject.class, JsonArray.class, byte[].class);

  private final Class<T> type;
  private final String[] keys;
  private final Class<?>[] types;
  private final Method[] accessors;
  private final Constructor<T> constructor;

  private RecordCodec(Class<T> type) {
    this.type = type;
    RecordComponent[] components = type.getRecordComponents();
    this.keys = new String[components.length];
    this.types = new Class<?>[components.length];
    this.accessors = new Method[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      if (!SUPPORTED.contains(types[i])) {
        throw new IllegalArgumentException(type.getName() + "." + components[i].getName() + ": a spooled write's input"
            + " holds strings, boxed numbers and booleans, JSON objects and arrays or bytes, not " + types[i].getName());
      }
      keys[i] = snakeCase(components[i].getName());
      accessors[i] = components[i].getAccessor();
      accessors[i].setAccessible(true);
    }
    try {
      this.constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException impossible) {
      throw new IllegalStateException("a record has its canonical constructor", impossible);
    }
  }

  private static final ClassValue<RecordCodec<?>> CODECS = new ClassValue<>() {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected RecordCodec<?> computeValue(Class<?> type) {
      return new RecordCodec(type);
    }
  };

  /** The codec of {@code type}, built once; throws when a component cannot be spooled. */
  @SuppressWarnings("unchecked")
  public static <T extends Record> RecordCodec<T> of(Class<T> type) {
    return (RecordCodec<T>) CODECS.get(type);
  }

  public JsonObject encode(T value) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < keys.length; i++) {
      json.put(keys[i], component(value, i));
    }
    return json;
  }

  public T decode(JsonObject json) {
    Object[] values = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      values[i] = read(json, keys[i], types[i]);
    }
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException refused) {
      throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + refused.getCause().getMessage(),
          refused.getCause());
    } catch (ReflectiveOperationException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private Object component(T value, int i) {
    try {
      return accessors[i].invoke(value);
    } catch (ReflectiveOperationException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static Object read(JsonObject json, String key, Class<?> type) {
    if (type == String.class) {
      return json.getString(key);
    } else if (type == Long.class) {
      return json.getLong(key);
    } else if (type == Integer.class) {
      return json.getInteger(key);
    } else if (type == Double.class) {
      return json.getDouble(key);
    } else if (type == Boolean.class) {
      return json.getBoolean(key);
    } else if (type == JsonObject.class) {
      return json.getJsonObject(key);
    } else if (type == JsonArray.class) {
      return json.getJsonArray(key);
    }
    return json.getBinary(key);
  }

  static String snakeCase(String name) {
    StringBuilder snake = new StringBuilder(name.length() + 4);
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        snake.append('_').append(Character.toLowerCase(c));
      } else {
        snake.append(c);
      }
    }
    return snake.toString();
  }
}
