package io.callbackingress.support;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.WebhookScheme;
import io.callbackingress.spi.WebhookSource;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A scheme that exists only in tests ({@code "scheme": "payload-ids"}): it trusts every delivery and
 * takes its event type and delivery id from the payload's {@code type} and {@code id} as they are,
 * unchecked, as a careless plugin would.
 */
public final class PayloadIdsScheme implements WebhookScheme {

  @Override
  public String name() {
    return "payload-ids";
  }

  @Override
  public WebhookSource source(String source, List<String> secrets, long toleranceSeconds) {
    return new WebhookSource() {
      @Override
      public String name() {
        return source;
      }

      @Override
      public Set<String> mediaTypes() {
        return Set.of(MediaTypes.JSON);
      }

      @Override
      public boolean verified(Call call, long nowSeconds) {
        return true;
      }

      @Override
      public List<String> requiredHeaders() {
        return List.of();
      }

      @Override
      public Delivery delivery(Call call, JsonObject payload) {
        return new Delivery(payload.getString("type"), payload.getString("id"));
      }
    };
  }
}
