package io.callbackingress.spi;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * One sender of webhooks and how its deliveries are signed (SPEC 3.5), built at start-up with its
 * secrets. The webhooks family runs the steps in the order callers rely on (SPEC 11a):
 * {@link #verified}, then {@link #requiredHeaders}, then the body, then {@link #delivery}. Runs on
 * event loops: implementations must not block.
 */
public interface WebhookSource {

  /** The source's name in storage, events, metrics and the idempotency scope. */
  String name();

  /** The media types this sender posts. */
  Set<String> mediaTypes();

  /** Whether the raw body carries a valid signature of one of the secrets, within the tolerance. */
  boolean verified(Call call, long nowSeconds);

  /** Headers without which a verified delivery is still a 400. */
  List<String> requiredHeaders();

  /** The event type and delivery id of a verified delivery whose payload is {@code payload}. */
  Delivery delivery(Call call, JsonObject payload);

  record Delivery(String eventType, String deliveryId) {}
}
