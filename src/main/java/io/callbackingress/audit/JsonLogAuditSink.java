package io.callbackingress.audit;

import io.callbackingress.spi.AuditRecord;
import io.callbackingress.spi.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the logger {@code audit} (SPEC 8). logback.xml puts that logger
 * behind an asynchronous appender that never blocks the caller, so this is safe on an event loop.
 */
public final class JsonLogAuditSink implements AuditSink {

  private static final Logger audit = LoggerFactory.getLogger("audit");

  @Override
  public String name() {
    return "json-log";
  }

  @Override
  public void record(AuditRecord record) {
    if (audit.isInfoEnabled()) {
      audit.info(AuditLine.of(record));
    }
  }
}
