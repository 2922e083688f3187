package io.callbackingress.spi;

import io.callbackingress.config.IngressConfig;
import java.util.Map;

/**
 * An authentication mode (SPEC 4, 12), chosen per family by {@code families.<name>.auth}. The
 * built-ins are {@code none}, {@code token} and {@code mtls}.
 */
public interface AuthProvider {

  String name();

  /**
   * Builds the authenticator of one family at start-up. A setting it cannot work with throws
   * {@link io.callbackingress.spi.ConfigException} naming the key, which stops start-up.
   */
  Authenticator create(String family, IngressConfig config, Map<String, String> env);
}
