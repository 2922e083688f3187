package io.callbackingress.spi;

/**
 * Decides whether a caller may use a family's endpoints, before the body is read. One instance
 * serves the family on every event loop at once: it must be thread-safe and must not block.
 */
@FunctionalInterface
public interface Authenticator {

  Authenticator NONE = call -> null;

  /**
   * Null to let the request through; otherwise why it is refused. The reason goes to the log only:
   * the caller sees a bare 401 (SPEC 2.3).
   */
  String refusal(Call call);
}
