package io.callbackingress.family.webhooks;

import io.callbackingress.spi.ApiException;
import io.callbackingress.spi.toolkit.Identifiers;
import io.vertx.core.json.JsonObject;

/**
 * Event ids and types a source reads from the signed payload, held to the rules of the ids other
 * sources read from headers (SPEC 2.6): one that cannot be stored as sent is
 * {@code 400 Invalid <field>} before anything is claimed or stored.
 */
final class PayloadIds {

  private PayloadIds() {}

  static String required(JsonObject payload, String field) {
    if (!(payload.getValue(field) instanceof String value) || value.isEmpty()) {
      throw ApiException.badRequest("Missing " + field);
    }
    return storable(field, value);
  }

  /** The field's string, or {@code absent} when the payload has none. */
  static String optional(JsonObject payload, String field, String absent) {
    return payload.getValue(field) instanceof String value ? storable(field, value) : absent;
  }

  private static String storable(String field, String value) {
    if (!Identifiers.fits(value)) {
      throw ApiException.badRequest("Invalid " + field);
    }
    return value;
  }
}
