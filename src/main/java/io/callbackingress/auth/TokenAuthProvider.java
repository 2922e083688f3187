package io.callbackingress.auth;

import io.callbackingress.spi.AuthProvider;
import io.callbackingress.spi.AuthSettings;
import io.callbackingress.spi.Authenticator;
import io.callbackingress.spi.ConfigException;
import io.callbackingress.spi.toolkit.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code token}: {@code X-Internal-Auth} must equal one of the tokens in the variable named by
 * {@code auth.tokensEnv} (SPEC 4). Several tokens allow rotation; every one is compared, in
 * constant time, so the time taken says nothing about which one nearly matched.
 */
public final class TokenAuthProvider implements AuthProvider {

  /** 32 characters: the shortest token SPEC 4 accepts, about 190 bits from a base64 generator. */
  static final int MIN_TOKEN_LENGTH = 32;

  @Override
  public String name() {
    return "token";
  }

  @Override
  public Authenticator create(AuthSettings settings) {
    String variable = settings.tokensEnv();
    List<byte[]> tokens = Secrets.of(settings.env(), variable).stream()
        .map(token -> {
          if (token.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("auth.tokensEnv",
                variable + " holds a token shorter than " + MIN_TOKEN_LENGTH + " characters");
          }
          return token.getBytes(StandardCharsets.UTF_8);
        })
        .toList();
    if (tokens.isEmpty()) {
      throw new ConfigException("families." + settings.family() + ".auth",
          "is token but " + variable + " (auth.tokensEnv) holds no token");
    }
    return call -> {
      String presented = call.header("X-Internal-Auth");
      if (presented == null) {
        return "no X-Internal-Auth header";
      }
      byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
      boolean match = false;
      for (byte[] token : tokens) {
        match |= MessageDigest.isEqual(token, candidate);
      }
      return match ? null : "X-Internal-Auth matches no configured token";
    };
  }
}
