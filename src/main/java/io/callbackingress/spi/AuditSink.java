package io.callbackingress.spi;

/**
 * Receives one record per request (SPEC 8, 12), chosen by {@code plugins.audit}. Built-ins:
 * {@code json-log} and {@code noop}. Called on event loops: implementations must not block.
 */
public interface AuditSink {

  String name();

  void record(AuditRecord record);
}
