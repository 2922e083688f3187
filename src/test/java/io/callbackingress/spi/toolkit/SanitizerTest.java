package io.callbackingress.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SanitizerTest {

  @Test
  void namedSecretsKeepNameAndSeparatorAsWritten() {
    assertEquals("password=*** next", Sanitizer.sanitize("password=hunter2 next"));
    assertEquals("TOKEN: ***", Sanitizer.sanitize("TOKEN: abc"));
    assertEquals("secret = ***", Sanitizer.sanitize("secret = s3cr3t"));
    assertEquals("api_key=***", Sanitizer.sanitize("api_key=x"));
    assertEquals("line1\nPassword:***\nline3", Sanitizer.sanitize("line1\nPassword:pw\nline3"));
  }

  @Test
  void bearerTokensKeepTheirScheme() {
    assertEquals("Authorization: Bearer ***", Sanitizer.sanitize("Authorization: Bearer eyJhbGciOi.x.y"));
    assertEquals("curl -H 'authorization: bearer *** -v", Sanitizer.sanitize("curl -H 'authorization: bearer abc' -v"));
  }

  /** The SPEC 8 rule as two regular expressions: the oracle the single-pass scanner must agree with. */
  private static final Pattern BEARER = Pattern.compile("(?i)(authorization[ \\t]*:[ \\t]*bearer[ \\t]+)\\S+");
  private static final Pattern NAMED = Pattern.compile("(?i)((?:password|token|secret|key)[ \\t]*[=:][ \\t]*)\\S+");

  @Test
  void agreesWithTheRegularExpressionsOnRandomText() {
    String[] pieces = {"password", "PassWord", "token", "TOKEN", "secret", "key", "api_key", "Authorization", "bearer",
        "Bearer", "=", ":", " ", "\t", "\n", "\r", "x", "abc", "***", "ſecret", "\u212Aey", "é", "-"};
    Random random = new Random(42);
    for (int run = 0; run < 20_000; run++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(12); n >= 0; n--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String input = text.toString();
      String expected = NAMED.matcher(BEARER.matcher(input).replaceAll("$1***")).replaceAll("$1***");
      assertEquals(expected, Sanitizer.sanitize(input), () -> "input: " + input.replace("\n", "\\n"));
    }
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    String text = "All 12 tests passed in 3.2s: ok";
    assertEquals(text, Sanitizer.sanitize(text));
    assertEquals("keyboard layout", Sanitizer.sanitize("keyboard layout"));
    assertNull(Sanitizer.sanitize(null));
  }
}
