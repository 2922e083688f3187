package io.callbackingress.spi.toolkit;

import java.util.UUID;
import java.util.regex.Pattern;

/** Ids in paths that must be UUIDs: anything else names nothing (404), it is not an error. */
public final class Uuids {

  private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Uuids() {}

  /** The UUID, or null when the text is not a canonical UUID. */
  public static UUID parse(String text) {
    return text != null && CANONICAL.matcher(text).matches() ? UUID.fromString(text) : null;
  }
}
