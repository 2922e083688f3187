package io.callbackingress.spi.toolkit;

import java.util.Locale;

/** The media type of a {@code Content-Type} header (SPEC 2.5: parameters such as {@code charset} allowed). */
public final class MediaTypes {

  public static final String JSON = "application/json";
  public static final String FORM = "application/x-www-form-urlencoded";

  private MediaTypes() {}

  /** {@code Application/JSON; charset=utf-8} → {@code application/json}; empty without a header. */
  public static String of(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }
}
