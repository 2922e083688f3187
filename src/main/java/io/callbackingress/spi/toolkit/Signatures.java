package io.callbackingress.spi.toolkit;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over raw bytes, the constant-time comparisons and the replay window that every
 * webhook scheme relies on.
 */
public final class Signatures {

  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private Signatures() {}

  /** HMAC-SHA256(key, prefix + body): the prefix carries timestamps and ids some schemes sign. */
  public static byte[] hmac(byte[] key, String prefix, Buffer body) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
      if (!prefix.isEmpty()) {
        mac.update(prefix.getBytes(StandardCharsets.UTF_8));
      }
      mac.update(body.getBytes());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  public static String sha256Hex(byte[] first, Buffer body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(first);
      digest.update(body.getBytes());
      return HEX.formatHex(digest.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Decodes lowercase or uppercase hex; null for anything else, which then matches nothing. */
  public static byte[] fromHex(String hex) {
    if (hex == null || hex.length() % 2 != 0) {
      return null;
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether any presented signature is the HMAC of {@code prefix + body} under any of the keys
   * (rotation). Every pair is compared, so the time taken does not say which key nearly matched.
   */
  public static boolean anyMatches(List<byte[]> keys, String prefix, Buffer body, List<byte[]> presented) {
    boolean match = false;
    for (byte[] key : keys) {
      byte[] expected = hmac(key, prefix, body);
      for (byte[] candidate : presented) {
        match |= matches(expected, candidate);
      }
    }
    return match;
  }

  /**
   * Constant time: the time taken says nothing about how much of a forged signature was right.
   * A null candidate (undecodable input) is compared against the expected value anyway.
   */
  public static boolean matches(byte[] expected, byte[] candidate) {
    return MessageDigest.isEqual(expected, candidate == null ? new byte[0] : candidate);
  }

  /** The replay window of timestamped schemes: {@code |now - t| <= tolerance}, both directions. */
  public static boolean withinTolerance(String seconds, long nowSeconds, long toleranceSeconds) {
    // 18 digits always fit a long: a longer "timestamp" is refused, not an exception.
    if (seconds == null || seconds.isEmpty() || seconds.length() > 18 || !seconds.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return Math.abs(nowSeconds - Long.parseLong(seconds)) <= toleranceSeconds;
  }
}
