package io.callbackingress.family.webhooks;

import io.callbackingress.spi.WebhookScheme;
import io.callbackingress.spi.WebhookSource;
import java.util.List;

/** {@code "scheme": "standard"}: Standard Webhooks, the scheme built in for configured sources. */
final class StandardWebhooksScheme implements WebhookScheme {

  @Override
  public String name() {
    return "standard";
  }

  /** @throws IllegalArgumentException when a secret is not base64 */
  @Override
  public WebhookSource source(String source, List<String> secrets, long toleranceSeconds) {
    return StandardWebhooksSource.of(source, secrets, toleranceSeconds);
  }
}
