package io.callbackingress.http;

import io.callbackingress.spi.toolkit.TimeOrderedIds;
import java.util.UUID;

/** SPEC 2.2: the caller's X-Request-Id when it is 1–128 chars of [A-Za-z0-9._-], else a new UUID. */
public final class RequestIds {

  private static final int MAX_LENGTH = 128;

  private RequestIds() {}

  public static String accept(String candidate) {
    return isValid(candidate) ? candidate : TimeOrderedIds.next().toString();
  }

  static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
