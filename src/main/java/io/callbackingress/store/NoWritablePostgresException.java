package io.callbackingress.store;

/** None of the hosts of {@code postgres.uri} answered as a writable primary: an outage, not a refusal. */
public final class NoWritablePostgresException extends RuntimeException {

  NoWritablePostgresException(String message) {
    super(message, null, false, false);
  }
}
