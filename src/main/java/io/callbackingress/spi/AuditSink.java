package io.callbackingress.spi;

/**
 * Receives one record per request (SPEC 8, 12), chosen by {@code plugins.audit}. Built-ins:
 * {@code json-log} and {@code noop}. Called from every event loop at once, after the answer is
 * written: implementations must be thread-safe and must not block.
 */
public interface AuditSink {

  /** What {@code plugins.audit} names. */
  String name();

  /** One request, answered or refused, whatever its status. */
  void record(AuditRecord record);
}
