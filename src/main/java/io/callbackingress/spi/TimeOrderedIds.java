package io.callbackingress.spi;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New ids as UUID version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the
 * other 74 free bits random. Ids made one after another sort one after another, so each new row
 * lands at the right edge of its primary key's B-tree — one hot page — where random (version 4)
 * UUIDs touch a random page of an ever larger index per insert, and a full-page image in the WAL
 * for each after every checkpoint. Still unguessable: the random bits come from a
 * {@link SecureRandom}, one per thread so that event loops do not queue on the JDK's shared one.
 */
public final class TimeOrderedIds {

  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private TimeOrderedIds() {}

  public static UUID next() {
    byte[] random = new byte[10];
    RANDOM.get().nextBytes(random);
    long millis = System.currentTimeMillis();
    long high = millis << 16 | 0x7000L | (random[0] & 0x0fL) << 8 | (random[1] & 0xffL);
    long low = 0x8000_0000_0000_0000L | (random[2] & 0x3fL) << 56;
    for (int i = 3; i < 10; i++) {
      low |= (random[i] & 0xffL) << (8 * (9 - i));
    }
    return new UUID(high, low);
  }
}
