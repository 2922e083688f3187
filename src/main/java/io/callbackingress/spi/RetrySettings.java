package io.callbackingress.spi;

/** The {@code retry} settings a {@link RetryPolicy} shapes its delays with (SPEC 11). */
public interface RetrySettings {

  int baseMs();

  double factor();

  int maxMs();

  /** Attempts in all, the first included. */
  int maxAttempts();
}
