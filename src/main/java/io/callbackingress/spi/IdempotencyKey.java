package io.callbackingress.spi;

/**
 * The identity of a write that may be repeated: the caller's key within its scope (method and
 * path, SPEC 6 "on the same route"), and a fingerprint of the body, to tell a replay from a reuse.
 */
public record IdempotencyKey(String scope, String key, String fingerprint) {}
