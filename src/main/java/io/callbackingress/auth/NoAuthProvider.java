package io.callbackingress.auth;

import io.callbackingress.spi.AuthProvider;
import io.callbackingress.spi.AuthSettings;
import io.callbackingress.spi.Authenticator;

/** {@code none}: the network is the guard (SPEC 4). */
public final class NoAuthProvider implements AuthProvider {

  @Override
  public String name() {
    return "none";
  }

  @Override
  public Authenticator create(AuthSettings settings) {
    return Authenticator.NONE;
  }
}
