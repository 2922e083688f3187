package io.callbackingress.family.webhooks;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.callbackingress.spi.toolkit.Signatures;
import io.callbackingress.spi.WebhookSource;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A source configured under {@code webhooks.sources} with the Standard Webhooks scheme: the signed
 * content is {@code "<webhook-id>.<webhook-timestamp>.<body>"}, the key the base64 secret after
 * {@code whsec_}, and {@code webhook-signature} a space-separated list of {@code v1,<base64>}.
 */
final class StandardWebhooksSource implements WebhookSource {

  private static final String SECRET_PREFIX = "whsec_";

  private final String name;
  private final List<byte[]> keys;
  private final long toleranceSeconds;

  private StandardWebhooksSource(String name, List<byte[]> keys, long toleranceSeconds) {
    this.name = name;
    this.keys = keys;
    this.toleranceSeconds = toleranceSeconds;
  }

  /** @throws IllegalArgumentException when a secret is not base64 */
  static StandardWebhooksSource of(String name, List<String> secrets, long toleranceSeconds) {
    return new StandardWebhooksSource(name, secrets.stream().map(StandardWebhooksSource::key).toList(), toleranceSeconds);
  }

  /** The HMAC key of a secret: the base64 after {@code whsec_}. */
  static byte[] key(String secret) {
    return Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> mediaTypes() {
    return Set.of(MediaTypes.JSON);
  }

  @Override
  public boolean verified(Call call, long nowSeconds) {
    String id = call.header("webhook-id");
    String timestamp = call.header("webhook-timestamp");
    String signatures = call.header("webhook-signature");
    if (id == null || signatures == null || !Signatures.withinTolerance(timestamp, nowSeconds, toleranceSeconds)) {
      return false;
    }
    List<byte[]> presented = new ArrayList<>();
    for (String entry : signatures.trim().split(" +")) {
      if (entry.startsWith("v1,")) {
        presented.add(base64(entry.substring(3)));
      }
    }
    return Signatures.anyMatches(keys, id + "." + timestamp + ".", call.body(), presented);
  }

  /** The delivery id is stored (and is the idempotency key): it is held to the same rules as other sources' ids. */
  @Override
  public List<String> requiredHeaders() {
    return List.of("webhook-id");
  }

  /** The scheme names no event header; the payload's {@code type} is its convention. */
  @Override
  public Delivery delivery(Call call, JsonObject payload) {
    return new Delivery(PayloadIds.optional(payload, "type", "unknown"), call.header("webhook-id"));
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
