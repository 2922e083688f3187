package io.callbackingress.spi.toolkit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * New ids as UUID version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the
 * other 74 free bits random. Ids made one after another sort one after another, so each new row
 * lands at the right edge of its primary key's B-tree — one hot page — where random (version 4)
 * UUIDs touch a random page of an ever larger index per insert, and a full-page image in the WAL
 * for each after every checkpoint. Still unguessable: the random bits come from a
 * {@link SecureRandom}, a DRBG of each thread's own, drawn {@link #DRAWN} bytes at a time. The JDK's
 * default one reads {@code /dev/urandom} under a lock all its instances share, and asked for ten
 * bytes per id it cost 1.5 % of the event loops under W1.
 */
public final class TimeOrderedIds {

  private static final int RANDOM_BYTES = 10;
  /** Random bits for 64 ids per draw. */
  private static final int DRAWN = RANDOM_BYTES * 64;
  private static final ThreadLocal<RandomBits> RANDOM = ThreadLocal.withInitial(RandomBits::new);

  private TimeOrderedIds() {}

  public static UUID next() {
    RandomBits bits = RANDOM.get();
    int at = bits.take();
    return layout(System.currentTimeMillis(), bits.drawn, at);
  }

  /** Version 7: {@code millis}, then the ten bytes of {@code bits} from {@code at} less the version and variant bits. */
  private static UUID layout(long millis, byte[] bits, int at) {
    long high = millis << 16 | 0x7000L | (bits[at] & 0x0fL) << 8 | (bits[at + 1] & 0xffL);
    long low = 0x8000_0000_0000_0000L | (bits[at + 2] & 0x3fL) << 56;
    for (int i = 3; i < RANDOM_BYTES; i++) {
      low |= (bits[at + i] & 0xffL) << (8 * (9 - i));
    }
    return new UUID(high, low);
  }

  /**
   * The same layout for something that already has a time, with the 74 other bits taken from a
   * SHA-256 of {@code name} instead of random: the same thing always gets the same id (a spooled
   * record set aside again after a crash), and ids still sort by {@code millis}.
   */
  public static UUID of(long millis, byte[] name) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(name);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every JDK has SHA-256", impossible);
    }
    return layout(millis, hash, 0);
  }

  /** One thread's random bytes, handed out ten at a time. */
  private static final class RandomBits {
    final SecureRandom random;
    final byte[] drawn = new byte[DRAWN];
    int offset = DRAWN;

    RandomBits() {
      try {
        random = SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException impossible) {
        throw new IllegalStateException("every JDK since 9 has DRBG", impossible);
      }
    }

    /** Where the next ten unused bytes of {@link #drawn} start. */
    int take() {
      offset += RANDOM_BYTES;
      if (offset >= DRAWN) {
        random.nextBytes(drawn);
        offset = 0;
      }
      return offset;
    }
  }
}
