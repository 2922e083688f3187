package io.callbackingress.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class AuditClockTest {

  @Test
  void formatsIsoUtcToTheMillisecondAcrossSecondsDaysAndYears() {
    assertEquals("2026-12-01T05:00:00.123Z", AuditClock.format(Instant.parse("2026-12-01T05:00:00.123Z").toEpochMilli()));
    assertEquals("2026-12-01T05:00:00.007Z", AuditClock.format(Instant.parse("2026-12-01T05:00:00.007Z").toEpochMilli()));
    assertEquals("2026-12-01T05:00:01.000Z", AuditClock.format(Instant.parse("2026-12-01T05:00:01Z").toEpochMilli()));
    assertEquals("2026-12-31T23:59:59.999Z", AuditClock.format(Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli()));
    assertEquals("2027-01-01T00:00:00.000Z", AuditClock.format(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli()));
    assertEquals("1969-12-31T23:59:59.999Z", AuditClock.format(-1));
  }

  @Test
  void nowIsTheCurrentMillisecond() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant now = Instant.parse(AuditClock.now());
    assertTrue(!now.isBefore(before) && !now.isAfter(Instant.now()), now + " is now");
  }
}
