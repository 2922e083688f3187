package io.callbackingress.spi.toolkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * SPEC 2.6: what Postgres {@code text} and {@code jsonb} cannot hold — U+0000, and the unpaired
 * surrogates a JSON {@code \\uD800} escape can smuggle into a Java string. Found here, they are a
 * 422 on their field; missed, they fail the write inside its batch.
 */
public final class Storable {

  static final String NUL = "must not contain U+0000";
  static final String UNPAIRED_SURROGATE = "must not contain an unpaired UTF-16 surrogate";

  private Storable() {}

  /** Why {@code s} cannot be stored, or null when it can. */
  public static String problem(String s) {
    if (s.indexOf(0) >= 0) {
      return NUL;
    }
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return UNPAIRED_SURROGATE;
        }
      }
    }
    return null;
  }

  /**
   * {@code s} with every U+0000 and unpaired surrogate replaced by U+FFFD: text that did not pass
   * {@link #problem} (a dead letter's, SPEC 16) made fit to be shown and stored.
   */
  public static String safe(String s) {
    if (problem(s) == null) {
      return s;
    }
    StringBuilder fit = new StringBuilder(s.length());
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        fit.append(c).append(s.charAt(++i));
      } else {
        fit.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return fit.toString();
  }

  /** Why some key or string inside a JSON value cannot be stored, or null when all can. */
  public static String problemIn(Object value) {
    if (value instanceof String s) {
      return problem(s);
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        String problem = problem(field.getKey());
        if (problem == null) {
          problem = problemIn(field.getValue());
        }
        if (problem != null) {
          return problem;
        }
      }
    } else if (value instanceof JsonArray array) {
      for (Object item : array) {
        String problem = problemIn(item);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }
}
