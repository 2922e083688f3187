package io.callbackingress.sanitize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

  @Test
  void textWithoutSecretsIsUnchanged() {
    String text = "All 12 tests passed in 3.2s: ok";
    assertEquals(text, Sanitizer.sanitize(text));
    assertEquals("keyboard layout", Sanitizer.sanitize("keyboard layout"));
    assertNull(Sanitizer.sanitize(null));
  }
}
