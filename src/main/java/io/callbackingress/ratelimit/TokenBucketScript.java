package io.callbackingress.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua token bucket (resources/ratelimit/token_bucket.lua) and its SHA-1, which is the name
 * EVALSHA runs it by: computed here, so every replica knows it without asking Redis.
 */
record TokenBucketScript(String source, String sha) {

  private static final String RESOURCE = "/ratelimit/token_bucket.lua";

  static TokenBucketScript load() {
    try (InputStream in = TokenBucketScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new TokenBucketScript(source, sha1(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
