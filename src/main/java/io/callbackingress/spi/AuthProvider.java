package io.callbackingress.spi;

/**
 * An authentication mode (SPEC 4, 12), chosen per family by {@code families.<name>.auth}. The
 * built-ins are {@code none}, {@code token} and {@code mtls}.
 */
public interface AuthProvider {

  String name();

  /**
   * Builds the authenticator of one family at start-up. A setting it cannot work with throws
   * {@link ConfigException} naming the key, which stops start-up.
   */
  Authenticator create(AuthSettings settings);
}
