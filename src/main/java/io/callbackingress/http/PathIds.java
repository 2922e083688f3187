package io.callbackingress.http;

import io.callbackingress.spi.toolkit.Identifiers;
import java.util.Map;

/** SPEC 2.6: a path id that no row can have is answered 404 before any lookup. */
final class PathIds {

  private PathIds() {}

  static boolean areStorable(Map<String, String> pathParams) {
    for (String id : pathParams.values()) {
      if (!Identifiers.fits(id)) {
        return false;
      }
    }
    return true;
  }
}
