package io.callbackingress.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every log line of the test JVM, formatted, so tests can assert what was (and was never) logged. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

  private static final List<String> lines = new CopyOnWriteArrayList<>();
  /** The audit logger's name, which starts each of its lines. */
  private static final String AUDIT = "audit ";

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

  /** The audit record of the request with this X-Request-Id, once it is logged (after the answer, so it is waited for). */
  public static JsonObject auditOf(String requestId) {
    String[] found = new String[1];
    Eventually.await(Duration.ofSeconds(5), "an audit line for " + requestId, () -> {
      for (String line : lines) {
        if (line.startsWith(AUDIT) && line.contains(requestId)) {
          found[0] = line;
          return true;
        }
      }
      return false;
    });
    return new JsonObject(found[0].substring(AUDIT.length()));
  }
}
