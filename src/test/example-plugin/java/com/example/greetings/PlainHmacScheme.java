package com.example.greetings;

import io.callbackingress.spi.Call;
import io.callbackingress.spi.toolkit.MediaTypes;
import io.callbackingress.spi.toolkit.Signatures;
import io.callbackingress.spi.WebhookScheme;
import io.callbackingress.spi.WebhookSource;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** {@code "scheme": "plain-hmac"}: {@code X-Signature: <hex HMAC-SHA256(secret, body)>}, event and delivery in headers. */
public final class PlainHmacScheme implements WebhookScheme {

  @Override public String name() { return "plain-hmac"; }

  @Override public WebhookSource source(String source, List<String> secrets, long toleranceSeconds) {
    List<byte[]> keys = secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    return new WebhookSource() {
      @Override public String name() { return source; }

      @Override public Set<String> mediaTypes() { return Set.of(MediaTypes.JSON); }

      @Override public boolean verified(Call call, long nowSeconds) {
        List<byte[]> presented = Collections.singletonList(Signatures.fromHex(call.header("X-Signature")));
        return Signatures.anyMatches(keys, "", call.body(), presented);
      }

      @Override public List<String> requiredHeaders() { return List.of("X-Event", "X-Delivery"); }

      @Override public Delivery delivery(Call call, JsonObject payload) {
        return new Delivery(call.header("X-Event"), call.header("X-Delivery"));
      }
    };
  }
}
