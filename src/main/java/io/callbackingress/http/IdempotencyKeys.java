package io.callbackingress.http;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The {@code Idempotency-Key} header's rules (SPEC 6, 11a). */
final class IdempotencyKeys {

  private static final int MAX_LENGTH = 255;

  private IdempotencyKeys() {}

  /** 1–255 printable ASCII characters. */
  static boolean isValid(String key) {
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** SHA-256 of the body bytes: a repeat must send the same bytes to be a replay. */
  static String fingerprint(Buffer body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(body == null ? new byte[0] : body.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
