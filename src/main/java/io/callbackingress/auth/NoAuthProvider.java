package io.callbackingress.auth;

import io.callbackingress.config.IngressConfig;
import io.callbackingress.spi.AuthProvider;
import io.callbackingress.spi.Authenticator;
import java.util.Map;

/** {@code none}: the network is the guard (SPEC 4). */
public final class NoAuthProvider implements AuthProvider {

  @Override
  public String name() {
    return "none";
  }

  @Override
  public Authenticator create(String family, IngressConfig config, Map<String, String> env) {
    return Authenticator.NONE;
  }
}
