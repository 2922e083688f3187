package io.callbackingress.auth;

import io.callbackingress.spi.AuthProvider;
import io.callbackingress.spi.AuthSettings;
import io.callbackingress.spi.Authenticator;
import io.callbackingress.spi.ConfigException;
import java.util.Set;

/**
 * {@code mtls}: the caller is the service named by its verified client certificate, and that name
 * must be in {@code families.<name>.allowedIdentities} (SPEC 4). The handshake has already checked
 * the chain against {@code tls.clientCaPath}; this checks who it is.
 */
public final class MtlsAuthProvider implements AuthProvider {

  @Override
  public String name() {
    return "mtls";
  }

  @Override
  public Authenticator create(AuthSettings settings) {
    if (!settings.clientCertificates()) {
      throw new ConfigException("families." + settings.family() + ".auth",
          "is mtls but tls.enabled is false or tls.clientAuth is none, so no client certificate can arrive");
    }
    Set<String> allowed = Set.copyOf(settings.allowedIdentities());
    if (allowed.isEmpty()) {
      throw new ConfigException("families." + settings.family() + ".allowedIdentities", "is empty but the family's auth is mtls");
    }
    return call -> {
      String identity = call.identity();
      if (identity == null) {
        return "no verified client certificate";
      }
      return allowed.contains(identity) ? null : "client certificate identity " + identity + " is not allowed";
    };
  }
}
