package io.callbackingress.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every log line of the test JVM, formatted, so tests can assert what was (and was never) logged. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

  private static final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      line.append(' ').append(event.getThrowableProxy().getMessage());
    }
    lines.add(line.toString());
  }

  public static List<String> lines() {
    return List.copyOf(lines);
  }

  public static void clear() {
    lines.clear();
  }
}
