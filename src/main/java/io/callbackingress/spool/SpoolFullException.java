package io.callbackingress.spool;

/**
 * An append would take the spool past {@code spool.maxBytes}; the caller answers 503 with
 * {@code Retry-After} (SPEC 7). No stack trace: it is thrown on every write of a burst while the
 * spool is full, and where it was thrown is never the question.
 */
public final class SpoolFullException extends RuntimeException {

  public SpoolFullException(long maxBytes) {
    super("spool is full (spool.maxBytes = " + maxBytes + ")", null, false, false);
  }
}
