package io.callbackingress.family.webhooks;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.callbackingress.spi.toolkit.Signatures;
import io.callbackingress.spi.WebhookSource;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The payment processor, Stripe's scheme: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>,...}
 * over {@code "<t>.<body>"}, the key being the whole secret string, {@code whsec_} included. Several
 * {@code v1} entries come during the sender's own rotation; other schemes ({@code v0}) are ignored.
 */
final class StripeSource implements WebhookSource {

  private final List<byte[]> secrets;
  private final long toleranceSeconds;

  StripeSource(List<String> secrets, long toleranceSeconds) {
    this.secrets = secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    this.toleranceSeconds = toleranceSeconds;
  }

  @Override
  public String name() {
    return "payment_processor";
  }

  @Override
  public Set<String> mediaTypes() {
    return Set.of(MediaTypes.JSON);
  }

  @Override
  public boolean verified(Call call, long nowSeconds) {
    String header = call.header("Stripe-Signature");
    if (header == null) {
      return false;
    }
    String timestamp = null;
    List<byte[]> presented = new ArrayList<>();
    for (String item : header.split(",")) {
      int equals = item.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String scheme = item.substring(0, equals).trim();
      String value = item.substring(equals + 1).trim();
      if (scheme.equals("t")) {
        timestamp = value;
      } else if (scheme.equals("v1")) {
        presented.add(Signatures.fromHex(value));
      }
    }
    if (!Signatures.withinTolerance(timestamp, nowSeconds, toleranceSeconds) || presented.isEmpty()) {
      return false;
    }
    return Signatures.anyMatches(secrets, timestamp + ".", call.body(), presented);
  }

  @Override
  public List<String> requiredHeaders() {
    return List.of();
  }

  /** Stripe names the event in the body: its {@code type} and {@code id}. */
  @Override
  public Delivery delivery(Call call, JsonObject payload) {
    return new Delivery(PayloadIds.required(payload, "type"), PayloadIds.required(payload, "id"));
  }
}
