package io.callbackingress.spi;

/**
 * How long to wait before trying a failed database or Redis call again (SPEC 7, 12), chosen by
 * {@code retry.policy}. Built-ins: {@code exponential}, {@code fixed}, {@code none}. Called on
 * event loops: must not block.
 */
public interface RetryPolicy {

  /** What {@code retry.policy} names. */
  String name();

  /** The delay before attempt {@code attempt + 1} (attempts count from 1), or -1 to give up. */
  long delayMillis(int attempt, RetrySettings settings);
}
