package io.callbackingress.spi;

/**
 * An authentication mode (SPEC 4, 12), chosen per family by {@code families.<name>.auth}. The
 * built-ins are {@code none}, {@code token} and {@code mtls}.
 */
public interface AuthProvider {

  /** What {@code families.<name>.auth} names. */
  String name();

  /**
   * Builds the authenticator of one family at start-up, on the main thread: the place to read
   * secrets from {@link AuthSettings#env()} and check them. A setting it cannot work with throws
   * {@link ConfigException} naming the key, which stops start-up.
   */
  Authenticator create(AuthSettings settings);
}
