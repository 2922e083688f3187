package io.callbackingress.spi.toolkit;

import java.nio.charset.StandardCharsets;

/**
 * SPEC 2.6: every identifier that is stored or looked up — a path id, a webhook delivery or event
 * id from a header or a payload — is at most 255 bytes of UTF-8 and holds nothing Postgres text
 * cannot store ({@link Storable}). Longer ones would reach btree indexes, whose rows are capped; an
 * unpaired surrogate would be stored as {@code ?}, so a key looked up by the id it was claimed
 * with would not be found.
 */
public final class Identifiers {

  public static final int MAX_BYTES = 255;

  private Identifiers() {}

  public static boolean fits(String id) {
    if (Storable.problem(id) != null) {
      return false;
    }
    // chars × 3 is the worst UTF-8 expansion: short ids are never encoded.
    return id.length() * 3L <= MAX_BYTES || id.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }
}
