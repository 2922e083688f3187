package io.callbackingress.support;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every log line of the test JVM, formatted, so tests can assert what was (and was never) logged. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

  private static final String AUDIT = "audit ";
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

  /** The audit record of the request {@code requestId}: audit lines are written a moment after the answer. */
  public static JsonObject awaitAudit(String requestId, Duration limit) {
    String line = await("the audit line of " + requestId)
        .atMost(limit)
        .until(() -> lines().stream().filter(l -> l.startsWith(AUDIT) && l.contains(requestId)).findFirst(), Optional::isPresent)
        .orElseThrow();
    return new JsonObject(line.substring(AUDIT.length()));
  }
}
