package io.callbackingress.audit;

import java.time.ZoneOffset;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The {@code ts} of audit lines: ISO-8601 UTC to the millisecond, e.g.
 * {@code 2026-12-01T05:00:00.123Z}. Every request needs one, and {@code Instant.toString()} runs
 * the general formatter each time; here the date and time of day are formatted once per second
 * and only the milliseconds per call. The cached second is an immutable pair swapped in whole, so
 * event loops share it without locking (at worst two of them format the same second).
 */
public final class AuditClock {

  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private record Second(long epochSecond, String formatted) {}

  private static volatile Second current = new Second(Long.MIN_VALUE, "");

  private AuditClock() {}

  public static String now() {
    return format(System.currentTimeMillis());
  }

  static String format(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second second = current;
    if (second.epochSecond() != epochSecond) {
      second = new Second(epochSecond, SECOND.format(Instant.ofEpochSecond(epochSecond)));
      current = second;
    }
    int millis = (int) Math.floorMod(epochMillis, 1000);
    return new StringBuilder(second.formatted().length() + 5).append(second.formatted()).append('.')
        .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10))
        .append('Z').toString();
  }
}
