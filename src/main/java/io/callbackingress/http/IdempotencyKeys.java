package io.callbackingress.http;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The {@code Idempotency-Key} header's rules (SPEC 6, 11a). */
final class IdempotencyKeys {

  private static final int MAX_LENGTH = 255;
  /** One digest per thread, reset by each use: looking the algorithm up costs more than hashing a small body. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(IdempotencyKeys::sha256);

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

  /**
   * SPEC 6 "on the same route": the method, the route template and the decoded path ids, so
   * {@code /spi/test_runs/}, {@code //spi/test_runs} and {@code /spi/%74est_runs} share a key's
   * scope with {@code /spi/test_runs}, and {@code PATCH /x/1} and {@code PATCH /x/2} do not.
   */
  static String scope(HttpCall call) {
    String route = call.request().method().name() + ' ' + call.route();
    Map<String, String> ids = call.routing().pathParams();
    if (ids.isEmpty()) {
      return route;
    }
    StringBuilder scope = new StringBuilder(route);
    new TreeMap<>(ids).forEach((name, value) -> scope.append(' ').append(name).append('=').append(value));
    return scope.toString();
  }

  /** SHA-256 of the body bytes: a repeat must send the same bytes to be a replay. */
  static String fingerprint(Buffer body) {
    // A heap copy: MessageDigest feeds a direct ByteBuffer through a small temporary array.
    return HexFormat.of().formatHex(SHA_256.get().digest(body == null ? new byte[0] : body.getBytes()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
