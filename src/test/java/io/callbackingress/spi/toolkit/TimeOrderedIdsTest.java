package io.callbackingress.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  @Test
  void anIdIsAVersion7UuidStampedWithTheCurrentMillisecond() {
    long before = System.currentTimeMillis();
    UUID id = TimeOrderedIds.next();
    long after = System.currentTimeMillis();

    assertEquals(7, id.version());
    assertEquals(2, id.variant(), "the RFC 9562 variant");
    long stamped = id.getMostSignificantBits() >>> 16;
    assertTrue(stamped >= before && stamped <= after, stamped + " within [" + before + ", " + after + "]");
    assertEquals(id, UUID.fromString(id.toString()), "a canonical UUID, as callers and Postgres read it");
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnesAndNeverRepeat() throws InterruptedException {
    Set<UUID> seen = new HashSet<>();
    UUID previous = TimeOrderedIds.next();
    for (int round = 0; round < 5; round++) {
      Thread.sleep(2);
      UUID next = TimeOrderedIds.next();
      assertTrue(previous.toString().compareTo(next.toString()) < 0, previous + " before " + next);
      previous = next;
    }
    for (int i = 0; i < 100_000; i++) {
      assertTrue(seen.add(TimeOrderedIds.next()), "74 random bits: no repeat in 100k ids");
    }
  }
}
