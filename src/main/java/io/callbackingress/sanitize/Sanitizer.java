package io.callbackingress.sanitize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts secrets from free text before it is stored (SPEC 8, 11a): the value after
 * {@code password}, {@code token}, {@code secret} or {@code key} — matched case-insensitively, also
 * inside longer words such as {@code api_key} — and a separator {@code =} or {@code :} becomes
 * {@code ***}, up to the next white space; {@code Authorization: Bearer <x>} keeps its scheme.
 * The name and separator stay exactly as written.
 */
public final class Sanitizer {

  private static final Pattern BEARER = Pattern.compile("(?i)(authorization[ \\t]*:[ \\t]*bearer[ \\t]+)\\S+");
  private static final Pattern NAMED = Pattern.compile("(?i)((?:password|token|secret|key)[ \\t]*[=:][ \\t]*)\\S+");
  private static final String REDACTED = "$1***";

  private Sanitizer() {}

  /** The text with every secret value replaced; null stays null. */
  public static String sanitize(String text) {
    if (text == null || !mayHoldSecret(text)) {
      return text;
    }
    String bearerless = replace(BEARER, text);
    return replace(NAMED, bearerless);
  }

  private static String replace(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? matcher.replaceAll(REDACTED) : text;
  }

  /** A cheap pre-check: most outputs hold neither separator, and then no regex runs at all. */
  private static boolean mayHoldSecret(String text) {
    return text.indexOf('=') >= 0 || text.indexOf(':') >= 0;
  }
}
