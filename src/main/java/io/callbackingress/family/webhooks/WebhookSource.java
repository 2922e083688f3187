package io.callbackingress.family.webhooks;

import io.callbackingress.spi.Call;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * One sender's signing scheme (SPEC 3.5). The family runs the steps in the order callers rely on
 * (SPEC 11a): {@link #verified}, then {@link #requiredHeaders}, then the body, then {@link #delivery}.
 */
interface WebhookSource {

  String JSON = "application/json";
  String FORM = "application/x-www-form-urlencoded";

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
