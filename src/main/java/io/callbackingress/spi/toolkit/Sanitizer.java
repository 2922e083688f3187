package io.callbackingress.spi.toolkit;

/**
 * Redacts secrets from free text before it is stored (SPEC 8, 11a): the value after
 * {@code password}, {@code token}, {@code secret} or {@code key} — matched case-insensitively, also
 * inside longer words such as {@code api_key} — and a separator {@code =} or {@code :} becomes
 * {@code ***}, up to the next white space; {@code Authorization: Bearer <x>} keeps its scheme.
 * The name and separator stay exactly as written.
 *
 * <p>Implementation notes. This runs on an event loop for every stored output of up to
 * {@code limits.maxOutputBytes}, so it is one left-to-right pass over the text rather than
 * regular expressions: at each position only a first letter (a, p, t, s, k) can start a match, and
 * a match is confirmed with region comparisons. Matching is leftmost and resumes after the redacted
 * value, exactly as {@code Matcher.replaceAll} would for
 * {@code (?i)(authorization[ \t]*:[ \t]*bearer[ \t]+)\S+} and then
 * {@code (?i)((?:password|token|secret|key)[ \t]*[=:][ \t]*)\S+}. Measured with
 * benchmarks/jmh SanitizerBenchmark.
 */
public final class Sanitizer {

  private static final String[] NAMES = {"password", "token", "secret", "key"};
  private static final String REDACTED = "***";

  private Sanitizer() {}

  /** The text with every secret value replaced; null stays null. */
  public static String sanitize(String text) {
    if (text == null || (text.indexOf('=') < 0 && text.indexOf(':') < 0)) {
      return text;
    }
    return redactNamed(redactBearer(text));
  }

  /** {@code Authorization: Bearer <x>} → {@code Authorization: Bearer ***}. */
  private static String redactBearer(String text) {
    StringBuilder out = null;
    int copied = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c != 'a' && c != 'A') || !matchesIgnoringAsciiCase(text, i, "authorization")) {
        continue;
      }
      int at = spaces(text, i + 13);
      if (at >= text.length() || text.charAt(at) != ':') {
        continue;
      }
      at = spaces(text, at + 1);
      if (!matchesIgnoringAsciiCase(text, at, "bearer")) {
        continue;
      }
      int valueStart = spaces(text, at + 6);
      int valueEnd = valueEnd(text, valueStart);
      if (valueStart == at + 6 || valueEnd == valueStart) {
        continue;
      }
      out = redact(out, text, copied, valueStart);
      copied = valueEnd;
      i = valueEnd - 1;
    }
    return finish(out, text, copied);
  }

  /** {@code <name><spaces><= or :><spaces><value>} → the value becomes {@code ***}. */
  private static String redactNamed(String text) {
    StringBuilder out = null;
    int copied = 0;
    for (int i = 0; i < text.length(); i++) {
      int nameEnd = nameEndAt(text, i);
      if (nameEnd < 0) {
        continue;
      }
      int at = spaces(text, nameEnd);
      if (at >= text.length() || (text.charAt(at) != '=' && text.charAt(at) != ':')) {
        continue;
      }
      int valueStart = spaces(text, at + 1);
      int valueEnd = valueEnd(text, valueStart);
      if (valueEnd == valueStart) {
        continue;
      }
      out = redact(out, text, copied, valueStart);
      copied = valueEnd;
      i = valueEnd - 1;
    }
    return finish(out, text, copied);
  }

  /** Where a secret's name starting at {@code i} ends, or -1. */
  private static int nameEndAt(String text, int i) {
    char c = lowerAscii(text.charAt(i));
    if (c != 'p' && c != 't' && c != 's' && c != 'k') {
      return -1;
    }
    for (String name : NAMES) {
      if (name.charAt(0) == c && matchesIgnoringAsciiCase(text, i, name)) {
        return i + name.length();
      }
    }
    return -1;
  }

  /** Case-insensitive for ASCII letters only, as {@code (?i)} without UNICODE_CASE. */
  private static boolean matchesIgnoringAsciiCase(String text, int at, String lowerWord) {
    if (at + lowerWord.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < lowerWord.length(); k++) {
      if (lowerAscii(text.charAt(at + k)) != lowerWord.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** {@code \s} of java.util.regex: exactly these six. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static int spaces(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int valueEnd(String text, int from) {
    int i = from;
    while (i < text.length() && !isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static StringBuilder redact(StringBuilder out, String text, int copied, int valueStart) {
    StringBuilder builder = out != null ? out : new StringBuilder(text.length());
    return builder.append(text, copied, valueStart).append(REDACTED);
  }

  private static String finish(StringBuilder out, String text, int copied) {
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }
}
