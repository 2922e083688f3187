package io.callbackingress.audit;

import io.callbackingress.spi.AuditRecord;
import io.callbackingress.spi.AuditSink;

/** Records nothing. */
public final class NoopAuditSink implements AuditSink {

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public void record(AuditRecord record) {
  }
}
