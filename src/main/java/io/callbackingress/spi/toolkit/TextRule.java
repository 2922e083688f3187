package io.callbackingress.spi.toolkit;

/**
 * A length range and the characters a field may hold, with the message a caller reads when a
 * value breaks it: the field rules families share. Checked with a lookup table, not a regular
 * expression: slugs and ids are validated on every request.
 */
public final class TextRule {

  /** Track and exercise slugs (SPEC 3.2, 3.3). */
  public static final TextRule SLUG = of(1, 100, "a-z, 0-9 and -", "abcdefghijklmnopqrstuvwxyz0123456789-");
  /** Ids a caller chooses (SPEC 3.1 tooling job ids). */
  public static final TextRule CALLER_ID = of(1, 64, "A-Z, a-z, 0-9, _ and -",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
  /**
   * Names and ids a caller sends and nobody parses (submission, node and process ids, models):
   * anything up to 255, which keeps them within a btree index row.
   */
  public static final TextRule SHORT_TEXT = text(1, 255);

  private final int minLength;
  private final int maxLength;
  /** Which ASCII characters may appear; null when any character may. */
  private final boolean[] allowed;
  private final String message;

  private TextRule(int minLength, int maxLength, boolean[] allowed, String message) {
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.allowed = allowed;
    this.message = message;
  }

  /**
   * @param described the characters as the violation names them, e.g. {@code a-z, 0-9 and -}
   * @param characters every allowed character (ASCII)
   */
  public static TextRule of(int minLength, int maxLength, String described, String characters) {
    boolean[] allowed = new boolean[128];
    characters.chars().forEach(c -> allowed[c] = true);
    return new TextRule(minLength, maxLength, allowed,
        "must be " + minLength + " to " + maxLength + " characters of " + described);
  }

  /** A length range, any characters. */
  public static TextRule text(int minLength, int maxLength) {
    return new TextRule(minLength, maxLength, null, "must be " + minLength + " to " + maxLength + " characters");
  }

  public int minLength() {
    return minLength;
  }

  public int maxLength() {
    return maxLength;
  }

  /** What a violation says. */
  public String message() {
    return message;
  }

  /** Whether every character is allowed (the length is checked apart). */
  public boolean allows(String value) {
    if (allowed == null) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= allowed.length || !allowed[c]) {
        return false;
      }
    }
    return true;
  }
}
